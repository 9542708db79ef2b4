"""The edge: the public ASGI app phones meet. A plain ASGI callable, no framework.

Routes: GET|HEAD /{code} (the scan: qrapp.edge.scan), POST /{code} (the password form:
qrapp.edge.password), GET|HEAD /{code}.png and /{code}.svg (the code's image:
qrapp.edge.images), GET|HEAD /p/{slug}[/c|d/{target}] (published landing pages, their
counted clicks and downloads: qrapp.edge.landing), POST /p/{slug}/f/{block} (a lead form:
qrapp.edge.lead_forms), GET|HEAD /m/{asset}/{variant} (uploaded media, streamed with
ranges: qrapp.edge.media; /media-signed/{key} for the local storage's signed links),
GET /healthz. This module holds the
process-wide state built at startup (Edge), the lifespan and the routing; the answers are
built in qrapp.edge.responses.

Lean on purpose: an edge worker loads no renderer, no scannability check and none of the
code-editing services (import-linter contract "The edge stays lean" in pyproject.toml).
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from qrapp.cachebus import CHANNEL, DOMAIN_CHANNEL, PAGE_CHANNEL, WORKSPACE_CHANNEL
from qrapp.core.visitor import client_ip, daily_key, parse_networks
from qrapp.edge import domains, images, landing, lead_forms, media, page_cache, password, scan
from qrapp.edge.capture import ScanCapture
from qrapp.edge.geo import GeoLocator, Place
from qrapp.edge.links import Resolver
from qrapp.edge.responses import (
    CODE_RE,
    HEALTHY,
    Response,
    message,
    not_found,
    send_response,
    unavailable,
)
from qrapp.services.hosts import own_hosts
from qrapp.settings import get_settings

if TYPE_CHECKING:
    import redis.asyncio as aredis

log = logging.getLogger(__name__)


class Edge:
    """Process-wide state, built at startup (lifespan)."""

    def __init__(self) -> None:
        settings = get_settings()
        self.settings = settings
        self.trusted = parse_networks(settings.edge_trusted_proxies)
        self.default_hosts = _default_hosts(settings.edge_url)
        # Names Caddy may get certificates for besides verified domains (edge.domains.ask).
        self.own_names = frozenset(
            h for h in (urlsplit(u).hostname for u in (settings.edge_url, settings.app_url)) if h
        )
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
        self.domains = domains.DomainCache(self.redis)
        self.pages = page_cache.PageResolver(self.redis)
        self.media = media.AssetCache()
        self.lead_limits = lead_forms.RateLimits(
            self.redis,
            settings.lead_rate_window_seconds,
            settings.lead_max_per_ip,
            settings.lead_max_per_page,
        )
        self.capture = ScanCapture()
        self.geo = GeoLocator(settings.geoip_mmdb_path)
        self._day_start = -1.0e12
        self._day_key = b""
        self._tasks: list[asyncio.Task] = []
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
        js = scan.js
        fragment = (
            f'"country":{js(place.country)},"region":{js(place.region)},"city":{js(place.city)}'
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
            self._tasks.append(asyncio.create_task(self._listen_for_changes(self.redis)))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.capture.stop()
        if self.redis is not None:
            await self.redis.aclose()

    async def _listen_for_changes(self, redis: aredis.Redis) -> None:
        while True:
            try:
                pubsub = redis.pubsub()
                await pubsub.subscribe(CHANNEL, PAGE_CHANNEL, DOMAIN_CHANNEL, WORKSPACE_CHANNEL)
                # Messages sent while we were not listening are lost: start clean.
                self.resolver.cache.clear()
                self.pages.clear()
                self.domains.clear()
                while True:
                    msg = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
                    if msg and msg.get("type") == "message":
                        data = msg["data"]
                        data = data.decode() if isinstance(data, bytes) else str(data)
                        channel = msg.get("channel")
                        if isinstance(channel, bytes):
                            channel = channel.decode()
                        if channel == DOMAIN_CHANNEL:
                            self.domains.drop(data)
                        elif channel == WORKSPACE_CHANNEL:
                            self.resolver.drop_workspace(data)
                            self.pages.drop_workspace(data)
                        elif channel == PAGE_CHANNEL:
                            domain, _, rest = data.partition("\n")
                            slug, _, page_id = rest.partition("\n")
                            self.pages.drop(domain, slug, page_id)
                        else:
                            domain, _, code = data.partition("\n")
                            self.resolver.drop(domain, code)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("code-change subscription lost (%s); retrying", exc)
                self.resolver.cache.clear()
                self.pages.clear()
                self.domains.clear()
                await asyncio.sleep(1)


def _default_hosts(edge_url: str) -> frozenset[str]:
    host = (urlsplit(edge_url).hostname or "").lower()
    return frozenset({host, "localhost", "127.0.0.1", "::1", ""})


def _host(scope) -> bytes:
    for k, v in scope["headers"]:
        if k == b"host":
            return v
    return b""


async def _custom_host(edge: Edge, host: str, path: str) -> Response | domains.DomainSnapshot:
    """On a custom host: an answer now (neutral 404, root, robots.txt, the HTTP proof's
    token), or the verified domain to serve codes and pages of."""
    if path.startswith(domains.CHALLENGE_PREFIX):
        return await domains.challenge(host, path)
    site = await edge.domains.resolve(host)
    if site is None:
        return domains.NEUTRAL_404
    if path == "/":
        return domains.root(site)
    if path == "/robots.txt":
        return domains.robots(site)
    return site


def _split_name(path: str) -> tuple[str, str]:
    """("abc", "png") for /abc.png, ("abc", "") for /abc."""
    name = path[1:]
    if name.endswith((".png", ".svg")):
        return name[:-4], name[-3:]
    return name, ""


def _headers(scope) -> dict[bytes, bytes]:
    out: dict[bytes, bytes] = {}
    for k, v in scope["headers"]:
        if k in out and k in (b"x-forwarded-for", b"cookie"):
            out[k] += b"," if k == b"x-forwarded-for" else b"; "
            out[k] += v
        else:
            out[k] = v
    return out


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
            await send_response(send, HEALTHY, head)
            return
        if path == domains.ASK_PATH:
            await send_response(send, await domains.ask(scope, edge.domains, edge.own_names), head)
            return
        host = edge.domain_of(_host(scope))
        site: domains.DomainSnapshot | None = None
        if host:
            early = await _custom_host(edge, host, path)
            if isinstance(early, tuple):
                await send_response(send, early, head)
                return
            site = early
        if path.startswith(landing.PREFIX):
            await landing.run(scope, receive, send, edge, _headers(scope), head)
            return
        if path.startswith(media.PREFIX):
            await media.run(scope, send, edge.media, _headers(scope), head)
            return
        if path.startswith(media.SIGNED_PREFIX):
            await media.run_signed(scope, send, edge.media, _headers(scope), head)
            return
        name, image_fmt = _split_name(path)
        if not CODE_RE.match(name) or method not in ("GET", "HEAD", "POST"):
            await send_response(send, not_found(name), head)
            return
        headers = _headers(scope)
        domain = edge.domain_of(headers.get(b"host", b""))
        try:
            hit, link = edge.resolver.cached(domain, name)
            if not hit:
                link = await edge.resolver.resolve(domain, name)
        except Exception:
            log.exception("could not resolve %s", name)
            await send_response(send, unavailable(b"Try again shortly."), head)
            return
        if site is not None and link is not None and link.workspace_id != site["workspace_id"]:
            link = None  # a code left on a name that moved to another workspace
        if link is None:
            fallback = domains.missing(site) if site is not None else None
            await send_response(send, fallback or message("unknown"), head)
            return
        if image_fmt:
            live = site is not None  # served on its own verified host
            if not live and link.domain:
                owner = await edge.domains.resolve(link.domain)
                live = owner is not None and owner["workspace_id"] == link.workspace_id
            await images.image(send, link, image_fmt, head, method, live)
            return
        if method == "POST":
            await password.post(scope, receive, send, edge, link, headers)
            return
        await scan.run(scope, send, edge, link, headers, head)

    def answer_now(
        self, head: bool, path: str, query_string: bytes, headers: dict, peer: str
    ) -> Response | None:
        """A GET or HEAD answered without awaiting anything (the code is in the in-process
        cache and has no scan limit), its scan captured; None when it needs the ASGI path.
        The server's fast lane (qrapp.edge.fast_http) calls this; the answers are those
        of http() above, from the same functions."""
        edge = self.edge
        if edge is None:
            return None
        if path == "/healthz":
            return HEALTHY
        if path == domains.ASK_PATH or edge.domain_of(headers.get(b"host", b"")):
            return None  # custom hosts and Caddy's ask: the ASGI path (edge.domains)
        if path.startswith(landing.PREFIX):
            return landing.answer_now(edge, head, path, headers, peer)
        if path.startswith((media.PREFIX, media.SIGNED_PREFIX)):
            return None  # streamed from storage: the ASGI path
        name, image_fmt = _split_name(path)
        if not CODE_RE.match(name):
            return not_found(name)
        if image_fmt:
            return None
        hit, link = edge.resolver.cached(edge.domain_of(headers.get(b"host", b"")), name)
        if not hit:
            return None
        if link is None:
            return message("unknown")
        who = scan.prepare(edge, link, headers, head, peer)
        if not isinstance(who, scan.Scan):
            return who
        if link.limited:
            return None
        if link.page_id:
            page_hit, page = edge.pages.cached_id(link.page_id)
            if not page_hit:
                return None
            return scan.finish_page(edge, link, who, query_string, headers, page)
        answer, scan_event = scan.finish(link, who, query_string, headers)
        if scan_event is not None:
            edge.capture.add(scan_event)
        return answer


app = EdgeApp()
