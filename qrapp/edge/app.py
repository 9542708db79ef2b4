"""The edge: the public ASGI app phones meet. A plain ASGI callable, no framework: the
scan path resolves the code, checks validity, evaluates the rules, answers 302 and hands
the scan event to the background capture, in that order (resolve -> respond -> track).

Routes: GET|HEAD /{code} (redirect), POST /{code} (password form), GET|HEAD /{code}.png
and /{code}.svg (the code's image), GET /healthz.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import gc
import json
import logging
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from types import SimpleNamespace
from urllib.parse import parse_qsl, quote, urlsplit

from qrapp.cachebus import CHANNEL
from qrapp.core import validity
from qrapp.core.ids import uuid7_str
from qrapp.core.rules import Visitor, append_utm, evaluate
from qrapp.core.visitor import (
    MAX_USER_AGENT,
    anonymise_ip,
    client_ip,
    daily_key,
    looks_like_previewer,
    parse_networks,
    parse_user_agent,
    primary_language,
    referrer_host,
    visitor_hash,
)
from qrapp.edge import grants, pages
from qrapp.edge.capture import ScanCapture
from qrapp.edge.geo import GeoLocator, Place
from qrapp.edge.links import Link, Resolver
from qrapp.services.codes import code_access
from qrapp.services.codes.qrcodes import own_hosts
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_LOCATION_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NO_STORE = (b"cache-control", b"private, max-age=0")
_ROBOTS = (b"x-robots-tag", b"noindex")
MAX_FORM_BYTES = 8192


class Edge:
    """Process-wide state, built at startup (lifespan)."""

    def __init__(self) -> None:
        settings = get_settings()
        self.settings = settings
        self.trusted = parse_networks(settings.edge_trusted_proxies)
        self.default_hosts = _default_hosts(settings.edge_url)
        # Looks our own addresses up in DNS now, once, not in a scan's first cache fill
        # (links.py checks every destination against them).
        own_hosts()
        self.redis = None
        if settings.redis_url:
            import redis.asyncio as aredis

            self.redis = aredis.Redis.from_url(
                settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5
            )
        self.resolver = Resolver(self.redis)
        self.capture = ScanCapture()
        self.geo = GeoLocator(settings.geoip_mmdb_path)
        self._day_start = -1.0e12
        self._day_key = b""
        self._tasks: list[asyncio.Task] = []
        self._images: dict[tuple[str, float, str], bytes] = {}
        # Per-scan work that depends only on a header value, cached by that value
        # (bounded: a flood of distinct values only evicts).
        trusted = self.trusted
        self.client_ip = functools.lru_cache(maxsize=16384)(
            lambda peer, xff: client_ip(peer, xff, trusted)
        )
        self.domain_of = functools.lru_cache(maxsize=1024)(self._domain_of)
        self.place = functools.lru_cache(maxsize=65536)(self._place)

    def _domain_of(self, host_header: bytes) -> str:
        host = host_header.decode("latin-1").rsplit(":", 1)[0].strip("[]").lower()
        return "" if host in self.default_hosts else host

    def _place(self, ip: str) -> tuple[Place, str]:
        """The place of an IP and its fragment of the event JSON."""
        place = self.geo.lookup(ip)
        fragment = (
            f'"country":{_js(place.country)},"region":{_js(place.region)},"city":{_js(place.city)}'
        )
        return place, fragment

    def visitor_key(self, now: float) -> bytes:
        if not self._day_start <= now < self._day_start + 86400:
            day = time.strftime("%Y-%m-%d", time.gmtime(now))
            self._day_start = now - now % 86400
            self._day_key = daily_key(self.settings.secret_key, day)
        return self._day_key

    async def start(self) -> None:
        self.capture.start()
        if self.redis is not None:
            self._tasks.append(asyncio.create_task(self._listen_for_changes()))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.capture.stop()
        if self.redis is not None:
            await self.redis.aclose()

    async def _listen_for_changes(self) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub()
                await pubsub.subscribe(CHANNEL)
                # Messages sent while we were not listening are lost: start clean.
                self.resolver.cache.clear()
                while True:
                    msg = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
                    if msg and msg.get("type") == "message":
                        data = msg["data"]
                        data = data.decode() if isinstance(data, bytes) else str(data)
                        domain, _, code = data.partition("\n")
                        self.resolver.drop(domain, code)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("code-change subscription lost (%s); retrying", exc)
                self.resolver.cache.clear()
                await asyncio.sleep(1)


# JSON of strings that repeat from scan to scan (user agents, languages, hosts, places).
_js = functools.lru_cache(maxsize=8192)(json.dumps)


def _default_hosts(edge_url: str) -> frozenset[str]:
    host = (urlsplit(edge_url).hostname or "").lower()
    return frozenset({host, "localhost", "127.0.0.1", "::1", ""})


# --- responses --------------------------------------------------------------------------
# Built as (status, headers, body) by plain functions, so the ASGI path and the server's
# synchronous fast lane (qrapp.edge.fast_http) answer from the same code.

Response = tuple[int, list[tuple[bytes, bytes]], bytes]


def _response(status: int, headers: list, body: bytes = b"") -> Response:
    headers.append((b"content-length", str(len(body)).encode()))
    return status, headers, body


async def _send(send, status: int, headers: list, body: bytes = b"", head: bool = False):
    await _respond(send, _response(status, headers, body), head)


async def _respond(send, response: Response, head: bool) -> None:
    status, headers, body = response
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


def _html(status: int, body: bytes, extra: list | None = None) -> Response:
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-security-policy", pages.CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        _NO_STORE,
        _ROBOTS,
        *(extra or []),
    ]
    return _response(status, headers, body)


def _reason_page(link: Link | None, reason: str) -> Response:
    if link is not None and link.fallback_url and link.is_safe(link.fallback_url):
        return _redirect(link.fallback_url)
    status, body = pages.message_page(reason)
    return _html(status, body)


def _location(url: str) -> bytes:
    # Percent-encode anything a header value cannot carry (non-ASCII, controls such as
    # CR/LF): the fast lane writes header bytes as they are.
    if url.isascii() and not _CONTROL.search(url):
        return url.encode("ascii")
    return quote(url, safe=_LOCATION_SAFE).encode("ascii")


def _redirect_headers(url: str) -> list[tuple[bytes, bytes]]:
    return [(b"location", _location(url)), _NO_STORE, _ROBOTS, (b"content-length", b"0")]


def _redirect(url: str) -> Response:
    # 302, never 301: browsers cache 301s forever and a dynamic code must stay editable.
    return 302, _redirect_headers(url), b""


_HEALTHY: Response = (
    200,
    [(b"content-type", b"application/json"), (b"content-length", b"15")],
    b'{"status":"ok"}',
)


def _not_found(name: str) -> Response:
    """A path that is no code (or a method a code does not take: 405)."""
    status, body = pages.message_page("unknown")
    return _html(405 if _CODE_RE.match(name) else status, body)


def _split_name(path: str) -> tuple[str, str]:
    """("abc", "png") for /abc.png, ("abc", "") for /abc."""
    name = path[1:]
    if name.endswith((".png", ".svg")):
        return name[:-4], name[-3:]
    return name, ""


@dataclass(slots=True)
class Scan:
    """Who is scanning, worked out once per scan."""

    now: float
    now_dt: dt.datetime | None
    ip: str
    ua: str
    is_bot: bool
    place: Place
    place_json: str
    vhash: str


def _unavailable(body: bytes) -> Response:
    return _response(503, [(b"retry-after", b"2"), _NO_STORE], body)


def _headers(scope) -> dict[bytes, bytes]:
    out: dict[bytes, bytes] = {}
    for k, v in scope["headers"]:
        if k in out and k in (b"x-forwarded-for", b"cookie"):
            out[k] += b"," if k == b"x-forwarded-for" else b"; "
            out[k] += v
        else:
            out[k] = v
    return out


async def _read_body(receive, limit: int) -> bytes | None:
    body = b""
    while True:
        msg = await receive()
        if msg["type"] == "http.disconnect":
            return None
        body += msg.get("body", b"")
        if len(body) > limit:
            return None
        if not msg.get("more_body"):
            return body


# --- the app ---------------------------------------------------------------------------


class EdgeApp:
    def __init__(self) -> None:
        self.edge: Edge | None = None

    async def __call__(self, scope, receive, send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self.http(scope, receive, send)
        elif kind == "lifespan":
            await self.lifespan(receive, send)

    async def lifespan(self, receive, send) -> None:
        while True:
            msg = await receive()
            if msg["type"] == "lifespan.startup":
                try:
                    self.edge = Edge()
                    await self.edge.start()
                    # What startup built lives as long as the process: keep it out of
                    # the collector's full passes (tens of ms each, a p99 spike).
                    gc.collect()
                    gc.freeze()
                except Exception as exc:
                    log.exception("edge failed to start")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif msg["type"] == "lifespan.shutdown":
                if self.edge is not None:
                    await self.edge.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def http(self, scope, receive, send) -> None:
        edge = self.edge
        if edge is None:  # a server without lifespan support
            self.edge = edge = Edge()
            await edge.start()
        method = scope["method"]
        head = method == "HEAD"
        path = scope["path"]
        if path == "/healthz":
            await _respond(send, _HEALTHY, head)
            return
        name, image_fmt = _split_name(path)
        if not _CODE_RE.match(name) or method not in ("GET", "HEAD", "POST"):
            await _respond(send, _not_found(name), head)
            return
        headers = _headers(scope)
        domain = edge.domain_of(headers.get(b"host", b""))
        try:
            hit, link = edge.resolver.cached(domain, name)
            if not hit:
                link = await edge.resolver.resolve(domain, name)
        except Exception:
            log.exception("could not resolve %s", name)
            await _respond(send, _unavailable(b"Try again shortly."), head)
            return
        if link is None:
            await _respond(send, _reason_page(None, "unknown"), head)
            return
        if image_fmt:
            await self.image(send, link, image_fmt, head, method)
            return
        if method == "POST":
            await self.password_post(scope, receive, send, edge, link, headers)
            return
        await self.scan(scope, send, edge, link, headers, head)

    def answer_now(
        self, head: bool, path: str, query_string: bytes, headers: dict, peer: str
    ) -> Response | None:
        """A GET or HEAD answered without awaiting anything (the code is in the in-process
        cache and has no scan limit), its scan captured; None when it needs the ASGI path.
        The server's fast lane (qrapp.edge.fast_http) calls this; the answers are those
        of http() below, from the same functions."""
        edge = self.edge
        if edge is None:
            return None
        if path == "/healthz":
            return _HEALTHY
        name, image_fmt = _split_name(path)
        if not _CODE_RE.match(name):
            return _not_found(name)
        if image_fmt:
            return None
        hit, link = edge.resolver.cached(edge.domain_of(headers.get(b"host", b"")), name)
        if not hit:
            return None
        if link is None:
            return _reason_page(None, "unknown")
        scan = self.prepare_scan(edge, link, headers, head, peer)
        if not isinstance(scan, Scan):
            return scan
        if link.limited:
            return None
        response, event = self.finish_scan(edge, link, scan, query_string, headers)
        if event is not None:
            edge.capture.add(event)
        return response

    def prepare_scan(
        self, edge: Edge, link: Link, headers, head: bool, peer: str
    ) -> Response | Scan:
        """Validity and the password gate (a page to answer), else who is scanning."""
        now = time.time()
        now_dt = None
        if not link.always_open:
            now_dt = dt.datetime.fromtimestamp(now, dt.UTC)
            reason = validity.check(
                status=link.status,
                starts_at=link.starts_at,
                ends_at=link.ends_at,
                schedule=link.schedule,
                now=now_dt,
            )
            if reason:
                return _reason_page(link, reason)
        if link.password_hash and not _has_grant(headers, link):
            return _html(200, pages.password_page(link.name))
        xff = headers.get(b"x-forwarded-for", b"").decode("latin-1")
        ip = edge.client_ip(peer, xff)
        ua = headers.get(b"user-agent", b"").decode("latin-1")[: MAX_USER_AGENT * 2]
        place, place_json = edge.place(ip)
        return Scan(
            now=now,
            now_dt=now_dt,
            ip=ip,
            ua=ua,
            is_bot=head or looks_like_previewer(ua),
            place=place,
            place_json=place_json,
            vhash=visitor_hash(edge.visitor_key(now), ip, ua),
        )

    async def scan(self, scope, send, edge: Edge, link: Link, headers, head: bool) -> None:
        peer = (scope.get("client") or ("", 0))[0]
        scan = self.prepare_scan(edge, link, headers, head, peer)
        if not isinstance(scan, Scan):
            await _respond(send, scan, head)
            return
        if link.limited:
            refusal = await self.take_limit(edge, link, scan, headers)
            if refusal is not None:
                await _respond(send, refusal, head)
                return
        response, event = self.finish_scan(
            edge, link, scan, scope.get("query_string", b""), headers
        )
        await _respond(send, response, head)
        if event is not None:
            edge.capture.add(event)

    async def take_limit(self, edge: Edge, link: Link, scan: Scan, headers) -> Response | None:
        """Use up one of a limited code's scans; the page to answer when none is left."""
        ua = scan.ua
        # Limits are consumed by people only: previewers and bots get a neutral page,
        # so a chat app's link preview cannot use up a one-time code.
        if scan.is_bot or parse_user_agent(ua[:MAX_USER_AGENT]).is_bot:
            edge.capture.add(self._event(link, scan, headers, True, None, "", ""))
            return _html(200, pages.message_page("preview")[1])
        try:
            if link.one_scan_per_visitor:
                key = code_access.once_key(link.id, anonymise_ip(scan.ip), ua)
                if not await asyncio.to_thread(code_access.grant_visitor_once, link.id, key):
                    return _reason_page(link, validity.ALREADY_SCANNED)
            if link.max_scans and not await asyncio.to_thread(code_access.take_scan_slot, link.id):
                return _reason_page(link, validity.LIMIT_REACHED)
        except Exception:
            log.exception("scan-limit check failed for %s", link.short_code)
            return _unavailable(b"Try again.")
        return None

    def finish_scan(
        self, edge: Edge, link: Link, scan: Scan, query_string: bytes, headers
    ) -> tuple[Response, str | None]:
        """The redirect (rules evaluated) and the scan event to capture once it is sent."""
        query = dict(parse_qsl(query_string.decode("latin-1"))) if query_string else {}
        if link.rules:
            visitor = Visitor(
                now=scan.now_dt or dt.datetime.fromtimestamp(scan.now, dt.UTC),
                user_agent=scan.ua[:MAX_USER_AGENT],
                accept_language=headers.get(b"accept-language", b"").decode("latin-1"),
                country=scan.place.country,
                region=scan.place.region,
                city=scan.place.city,
                ip=scan.ip,
                query=query,
                sticky_key=scan.vhash,
            )
            decision = evaluate(link.rules, visitor, link.destination, is_safe=link.is_safe)
            destination, rule_id, variant = decision.destination, decision.rule_id, decision.variant
            if not link.is_safe(destination):
                return _reason_page(None, "bad_destination"), None
            response = _redirect(append_utm(destination, link.utm))
        else:
            # No rules: the answer is the same for every scan of this cache fill.
            destination, rule_id, variant = link.destination, None, ""
            response = link.memo.get("redirect")
            if response is None:
                response = link.memo["redirect"] = (
                    _redirect(append_utm(destination, link.utm))
                    if link.is_safe(destination)
                    else _reason_page(None, "bad_destination")
                )
            if response[0] != 302:
                return response, None
        src = query.get("src") if query else None
        event = self._event(link, scan, headers, scan.is_bot, rule_id, variant, destination, src)
        return response, event

    @staticmethod
    def _event(link, scan, headers, is_bot, rule_id, variant, destination, src=None) -> str:
        """The scan event as the JSON text json.dumps would make of the event dict (compact
        separators, this key order), built from cached pieces."""
        ref = referrer_host(headers.get(b"referer", b"").decode("latin-1"))
        lang = primary_language(headers.get(b"accept-language", b"").decode("latin-1"))
        memo = link.memo
        head_json = memo.get("event")
        if head_json is None:
            head_json = memo["event"] = f'"code":{_js(link.id_str)},"ws":{_js(link.workspace_id)}'
        src = src if src in ("qr", "link") else ("link" if ref else "qr")
        return (
            f'{{"id":"{uuid7_str()}",{head_json},"t":{float.__repr__(scan.now)},'
            f'"ua":{_js(scan.ua[:MAX_USER_AGENT])},"lang":{_js(lang)},"ref":{_js(ref)},'
            f'"src":"{src}",{scan.place_json},"vh":"{scan.vhash}",'
            f'"bot":{"true" if is_bot else "false"},'
            f'"rule":{"null" if rule_id is None else _js(rule_id)},"variant":{_js(variant)},'
            f'"dest":{_js(destination)}}}'
        )

    async def password_post(self, scope, receive, send, edge: Edge, link: Link, headers) -> None:
        if not link.password_hash:
            await _send(send, 405, [(b"allow", b"GET, HEAD")], b"")
            return
        body = await _read_body(receive, MAX_FORM_BYTES)
        if body is None:
            await _send(send, 413, [], b"Too large")
            return
        password = dict(parse_qsl(body.decode("utf-8", "replace"))).get("password", "")
        peer = (scope.get("client") or ("", 0))[0]
        ip = client_ip(peer, headers.get(b"x-forwarded-for", b"").decode("latin-1"), edge.trusted)
        verdict = await asyncio.to_thread(
            code_access.check_code_password, link.id, anonymise_ip(ip) or ip, password
        )
        if verdict is True:
            grant = grants.make_grant(link.id_str, link.password_hash)
            secure = "; Secure" if edge.settings.edge_url.startswith("https") else ""
            cookie = (
                f"{grants.cookie_name(link.short_code)}={grant}; Path=/{link.short_code}; "
                f"Max-Age={edge.settings.edge_grant_minutes * 60}; HttpOnly; SameSite=Lax{secure}"
            )
            qs = scope.get("query_string", b"")
            target = f"/{link.short_code}" + (f"?{qs.decode('latin-1')}" if qs else "")
            # A page, not a 303: see pages.unlocked_page (CSP form-action and redirects).
            body = pages.unlocked_page(link.name, _location(target).decode("ascii"))
            await _respond(send, _html(200, body, [(b"set-cookie", cookie.encode())]), False)
            return
        if verdict is False:
            await _respond(
                send, _html(401, pages.password_page(link.name, "Wrong password.")), False
            )
            return
        too_many = pages.password_page(link.name, "Too many attempts. Try again later.")
        await _respond(
            send, _html(429, too_many, [(b"retry-after", str(int(verdict)).encode())]), False
        )

    async def image(self, send, link: Link, fmt: str, head: bool, method: str) -> None:
        if method == "POST":
            await _send(send, 405, [(b"allow", b"GET, HEAD")], b"")
            return
        body = await asyncio.to_thread(
            _render_image,
            link.short_code,
            link.domain,
            json.dumps(link.design, sort_keys=True),
            fmt,
            link.updated_at,
        )
        ctype = b"image/png" if fmt == "png" else b"image/svg+xml"
        headers = [
            (b"content-type", ctype),
            (b"cache-control", b"public, max-age=300"),
            (b"x-content-type-options", b"nosniff"),
        ]
        if fmt == "svg":
            headers.append(
                (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'")
            )
        await _send(send, 200, headers, body, head)


def _has_grant(headers, link: Link) -> bool:
    raw = headers.get(b"cookie")
    if not raw:
        return False
    jar = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except Exception:
        return False
    morsel = jar.get(grants.cookie_name(link.short_code))
    return bool(morsel) and grants.grant_valid(morsel.value, link.id_str, link.password_hash)


@functools.lru_cache(maxsize=512)
def _render_image(short_code: str, domain: str, design_json: str, fmt: str, _version: float):
    from qrapp.core.render import render
    from qrapp.services.codes.qrcodes import short_url

    code = SimpleNamespace(domain=domain, short_code=short_code)  # all short_url reads
    try:
        return render(short_url(code), json.loads(design_json), fmt, size=512)
    except Exception:
        log.exception("design of %s does not render; using the default design", short_code)
        return render(short_url(code), None, fmt, size=512)


app = EdgeApp()
