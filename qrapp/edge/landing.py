"""Public landing pages on the edge: GET|HEAD /p/<slug> (the page), /p/<slug>/c/<target>
(a counted click: 302 to the stored URL, app-store buttons by the visitor's OS) and
/p/<slug>/d/<block-id> (a download: the stored .vcf / .ics as an attachment);
/p/<slug>/f/<block-id> takes a lead form's POST (qrapp.edge.lead_forms).

Everything served was rendered at publish time and stored with the page's version
(services.pages.editing.publish); this module only answers from it, so the edge loads no
renderer, templates or sanitizer. The answers are prebuilt once per cache fill (Page) and
answered without awaiting anything when the page is in the in-process cache, so the
server's fast lane (qrapp.edge.fast_http) takes them like cached scans.

Caching: `Cache-Control: no-cache` with the version's ETag. A browser keeps the page but
asks every time (If-None-Match -> 304, no body), so a new version is seen on the next
visit after publishing, and every visit reaches the edge and is counted as a view (a
`max-age` would let browsers and shared caches show an unpublished page and hide repeat
visits from the counts). A 304 counts as a view: the person opened the page again.

Over 400 lines: the routes, their prebuilt answers and the page cache (memory -> Redis
-> database, as edge.links does for codes) belong together; one resolver shared with
edge.links is the next clean-up.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import os
import re
import time
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from qrapp.cachebus import page_cache_key, page_changes_marker_path, page_version_key
from qrapp.core import leads
from qrapp.core.ab_tests import pick_variant
from qrapp.core.brand import brand_landing
from qrapp.core.ids import uuid7_str
from qrapp.core.visitor import (
    MAX_USER_AGENT,
    looks_like_previewer,
    primary_language,
    referrer_host,
    visitor_hash,
)
from qrapp.edge import lead_forms, page_variants, pages, responses
from qrapp.edge.links import _SET_IF_UNCHANGED, REDIS_TTL_SECONDS, Breaker, LinkCache
from qrapp.edge.responses import Response
from qrapp.services.pages import page_access
from qrapp.settings import get_settings

if TYPE_CHECKING:
    from qrapp.edge.app import Edge

log = logging.getLogger(__name__)

PREFIX = "/p/"
_TOKEN_PLACEHOLDER = leads.TOKEN_PLACEHOLDER.encode()
_PATH_RE = re.compile(r"^/p/([A-Za-z0-9][A-Za-z0-9_-]{0,79})(?:/([cdf])/([A-Za-z0-9_-]{1,64}))?/?$")
_BY_ID = "\0id"  # the cache key space of pages by id (no domain has a NUL)
PAGE_TTL_SECONDS = 60.0  # a safety net: publishing announces itself on the cache bus
CACHE_CONTROL = (b"cache-control", b"no-cache")
_CLICK_SCHEMES = ("http", "https", "mailto", "tel")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]|^ ")  # controls anywhere, or a leading space
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_CONTENT_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")
js = json.dumps


def parse(path: str) -> tuple[str, str, str] | None:
    """("slug", "", "") for /p/slug, ("slug", "c"|"d"|"f", "target") for a click / download
    / lead form."""
    m = _PATH_RE.match(path)
    if m is None:
        return None
    return m.group(1), m.group(2) or "", m.group(3) or ""


def _quoted_etag(etag: str) -> bytes:
    etag = "".join(ch for ch in etag if ch.isascii() and ch.isprintable() and ch != '"')[:120]
    return f'"{etag}"'.encode()


def _security_headers(csp: str) -> list[tuple[bytes, bytes]]:
    # The house's security headers (as qrapp.edge.responses.html) with the version's CSP.
    csp_bytes = csp.encode("ascii", "ignore").replace(b"\r", b"").replace(b"\n", b"")
    return [
        (b"content-security-policy", csp_bytes or pages.CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
    ]


def safe_click(url: Any) -> str | None:
    """A stored click target, checked again before it becomes a Location: publish made it
    with the page sanitizer's rules, but a row changed behind the app's back must not send
    `javascript:` (or anything but http/https/mailto/tel)."""
    if not isinstance(url, str) or not url or len(url) > 4096 or _CONTROL.search(url):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in _CLICK_SCHEMES:
        return None
    if scheme in ("http", "https") and not urlsplit(url).netloc:
        return None
    return url


def safe_filename(name: Any, fallback: str = "download") -> str:
    """A file name for Content-Disposition: no path, no controls, plain ASCII, bounded."""
    text = str(name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _FILENAME_UNSAFE.sub("_", text).strip(" ._")[:100]
    return text or fallback


def _download_response(block_id: str, item: Any) -> Response | None:
    if not isinstance(item, dict):
        return None
    body = item.get("body")
    if not isinstance(body, str):
        return None
    ctype = str(item.get("content_type") or "").lower().split(";", 1)[0].strip()
    if not _CONTENT_TYPE_RE.match(ctype) or ctype.startswith("text/html") or "xml" in ctype:
        ctype = "application/octet-stream"
    name = safe_filename(item.get("filename"), fallback=f"{block_id}")
    disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    headers = [
        (b"content-type", f"{ctype}; charset=utf-8".encode()),
        (b"content-disposition", disposition.encode("ascii")),
        (b"x-content-type-options", b"nosniff"),
        (b"content-security-policy", b"default-src 'none'; sandbox"),
        responses.NO_STORE,
    ]
    return responses.response(200, headers, body.encode("utf-8"))


@dataclass(slots=True)
class Page:
    """A published page version as the edge serves it, answers prebuilt."""

    page_id: str
    workspace_id: str
    domain: str
    slug: str
    version: int
    etag: bytes
    ok: Response
    not_modified: Response
    clicks: dict[str, Any]
    downloads: dict[str, Response]
    event_head: str = field(default="", repr=False)
    # block id -> core.leads.FormSpec; a page with forms gets a fresh token in every view
    forms: dict[str, Any] = field(default_factory=dict)
    # A running A/B test: this Page's variant key, and on the page as resolved its
    # variants (each a Page, "A" first), their weights and the cookie that keeps the choice
    variant: str = ""
    variants: tuple[Page, ...] = ()
    weights: tuple[tuple[str, int], ...] = ()
    cookie: bytes = b""
    look: dict[str, Any] = field(default_factory=dict)  # the brand (lead-form pages too)

    def matches(self, if_none_match: bytes) -> bool:
        if not if_none_match:
            return False
        if if_none_match.strip() == b"*":
            return True
        for tag in if_none_match.split(b","):
            tag = tag.strip()
            if tag.startswith(b"W/"):
                tag = tag[2:]
            if tag == self.etag.removeprefix(b"W/"):
                return True
        return False

    def ok_now(self, secret: str, now: float) -> Response:
        """The page as served now: with lead forms, the render-time token written over the
        placeholder (same length: the prebuilt Content-Length holds)."""
        if not self.forms:
            return self.ok
        status, headers, body = self.ok
        token = leads.sign_token(secret, self.page_id, now).encode()
        return status, headers, body.replace(_TOKEN_PLACEHOLDER, token)

    def for_visitor(self, headers, vhash: str) -> Page:
        """The variant this visitor gets (the page itself when no test runs): the one
        their cookie names, else the weighted pick for their visitor hash."""
        if not self.variants:
            return self
        key = page_variants.cookie_value(headers, self.cookie)
        for variant in self.variants:
            if key and variant.variant == key:
                return variant
        key = pick_variant(self.weights, self.page_id, vhash)
        return next((v for v in self.variants if v.variant == key), self.variants[0])

    def click_url(self, target: str, user_agent: str) -> str | None:
        value = self.clicks.get(target)
        if isinstance(value, dict):  # app-store buttons: the visitor's OS picks
            key = os_key(user_agent)
            url = safe_click(value.get(key)) or safe_click(value.get("other"))
            if url is None:
                for v in value.values():
                    url = safe_click(v)
                    if url:
                        break
            return url
        return safe_click(value)


def os_key(user_agent: str) -> str:
    if "iPhone" in user_agent or "iPad" in user_agent or "iPod" in user_agent:
        return "ios"
    if "Android" in user_agent:
        return "android"
    return "other"


def _field(snap: Any, name: str, default: Any = None) -> Any:
    if isinstance(snap, dict):
        return snap.get(name, default)
    return getattr(snap, name, default)


def page_from_snapshot(snap: Any) -> Page:
    """A page_access.PageSnapshot (a dict or an object with those attributes) -> Page.
    With a running A/B test, the Page also holds each variant as a Page of its own
    (variant "A" from the snapshot's fields), each answer setting the variant's cookie."""
    variants = [v for v in (_field(snap, "variants", []) or []) if isinstance(v, dict)]
    page = _page(snap, snap)
    if len(variants) < 2:
        return page
    built, weights = [], []
    for v in variants:
        key = str(v.get("key") or "")[:4]
        if key:
            built.append(_page(snap, snap if key == "A" else v, key))
            weights.append((key, int(v.get("weight") or 0)))
    page.variants = tuple(built)
    page.weights = tuple(weights)
    page.cookie = page_variants.cookie_name(page.page_id).encode()
    return page


def _page(snap: Any, src: Any, variant: str = "") -> Page:
    """A Page of `snap`'s identity serving `src`'s content (the snapshot's own or a
    variant's); with `variant`, its events carry the key and its answers set the cookie."""
    look = dict(_field(snap, "look", {}) or {})
    text, csp, brand_tag = brand_landing(
        str(_field(src, "html", "")), str(_field(src, "csp", "")), look
    )
    html = text.encode("utf-8")
    etag_text = str(_field(src, "etag", "")) or hashlib.sha256(html).hexdigest()[:32]
    # A new brand is a new ETag: a browser holding the page must not keep the old look.
    etag = _quoted_etag(etag_text + (f"-{brand_tag}" if brand_tag else ""))
    forms = {str(k): v for k, v in (_field(src, "forms", {}) or {}).items() if isinstance(v, dict)}
    if forms:
        etag = b"W/" + etag  # the bytes differ per view (the form token), the page does not
    page_id = str(_field(snap, "page_id", ""))
    base = [
        (b"content-type", b"text/html; charset=utf-8"),
        *_security_headers(csp),
        CACHE_CONTROL,
        (b"etag", etag),
    ]
    if variant:
        base.append(page_variants.set_cookie(page_id, variant))
    ok = responses.response(200, list(base), html)
    not_modified = (304, [h for h in base if h[0] != b"content-type"], b"")
    workspace_id = str(_field(snap, "workspace_id", ""))
    version = int(_field(src, "version", 0) or 0)
    downloads = {}
    for block_id, item in (_field(src, "downloads", {}) or {}).items():
        answer = _download_response(str(block_id), item)
        if answer is not None:
            downloads[str(block_id)] = answer
    head = f'"page":{js(page_id)},"ws":{js(workspace_id)},"v":{version}'
    return Page(
        page_id=page_id,
        workspace_id=workspace_id,
        domain=str(_field(snap, "domain", "") or ""),
        slug=str(_field(snap, "slug", "")),
        version=version,
        etag=etag,
        ok=ok,
        not_modified=not_modified,
        clicks=dict(_field(src, "clicks", {}) or {}),
        downloads=downloads,
        event_head=head + (f',"vr":{js(variant)}' if variant else ""),
        forms=forms,
        variant=variant,
        look=look,
    )


class PageResolver:
    """Published pages by (domain, slug) and by page id (codes pointing at a page), kept
    in process; filled from Redis (by slug) else the database through
    services.pages.page_access (in a thread, one fill per key at a time). Unknown and
    unpublished pages are cached as None too. The cache bus drops a page when it is
    published, unpublished, moved or deleted (qrapp.cachebus.announce_page_changed): the
    Redis pub/sub message in production, the page-change marker file in the embedded
    default (the whole cache is emptied when it moves)."""

    def __init__(self, redis_client=None) -> None:
        settings = get_settings()
        ttl = PAGE_TTL_SECONDS if settings.edge_cache_seconds > 0 else 0.0
        self.cache = LinkCache(ttl, max(1000, settings.edge_cache_size // 4))
        self.redis = redis_client
        self.breaker = Breaker()
        self.generation = 0  # goes up on every drop: a fill that straddles one is not kept
        self._inflight: dict[tuple[str, str], asyncio.Future] = {}
        self._marker = page_changes_marker_path()
        self._marker_mtime = self._mtime()
        self._marker_checked = 0.0

    def _mtime(self) -> int:
        if self._marker is None:
            return 0
        try:
            return os.stat(self._marker).st_mtime_ns
        except OSError:
            return 0

    def check_marker(self) -> None:
        if self._marker is not None:
            now = time.monotonic()  # one stat per 50 ms, not per view
            if now < self._marker_checked + 0.05:
                return
            self._marker_checked = now
            mtime = self._mtime()
            if mtime != self._marker_mtime:
                self._marker_mtime = mtime
                self.clear()

    def cached(self, domain: str, slug: str) -> tuple[bool, Page | None]:
        self.check_marker()
        return self.cache.get((domain, slug), time.monotonic())  # type: ignore[return-value]

    def cached_id(self, page_id: str) -> tuple[bool, Page | None]:
        self.check_marker()
        return self.cache.get((_BY_ID, page_id), time.monotonic())  # type: ignore[return-value]

    async def resolve(self, domain: str, slug: str) -> Page | None:
        return await self._resolve((domain, slug))

    async def resolve_id(self, page_id: str) -> Page | None:
        return await self._resolve((_BY_ID, page_id))

    async def _resolve(self, key: tuple[str, str]) -> Page | None:
        self.check_marker()
        hit, cached = self.cache.get(key, time.monotonic())
        if hit:
            return cached  # type: ignore[return-value]
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        fut = asyncio.get_running_loop().create_future()
        self._inflight[key] = fut
        generation = self.generation
        try:
            snap, current = await self._fill(key)
            page = page_from_snapshot(snap) if snap else None
            if current and generation == self.generation:  # no page changed meanwhile
                self.cache.put(key, page, time.monotonic())  # type: ignore[arg-type]
            fut.set_result(page)
            return page
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # mark retrieved
            raise
        finally:
            self._inflight.pop(key, None)

    async def _fill(self, key: tuple[str, str]) -> tuple[Any, bool]:
        """The snapshot and whether it may be cached. By slug through Redis like
        links.Resolver (set only if the page's version counter did not move while the
        database was read); by id straight from the database (codes pointing at pages
        are one fill per edge per TTL, and there is no per-id version counter)."""
        if key[0] == _BY_ID:
            return await asyncio.to_thread(page_access.published_page_by_id, key[1]), True
        domain, slug = key
        rkey, vkey = page_cache_key(domain, slug), page_version_key(domain, slug)
        version = None
        use_redis = self.redis is not None and self.breaker.ok()
        if use_redis:
            try:
                raw, version = await self.redis.mget(rkey, vkey)
                if raw:
                    return json.loads(raw), True
            except Exception:
                use_redis = False
                self.breaker.trip()
                log.warning("redis unavailable for page lookups; using the database")
        snap = await asyncio.to_thread(page_access.published_page, domain, slug)
        current = True
        if use_redis and self.breaker.ok() and snap is not None:
            try:
                current = bool(
                    await self.redis.eval(
                        _SET_IF_UNCHANGED,
                        2,
                        vkey,
                        rkey,
                        version or b"",
                        json.dumps(snap),
                        REDIS_TTL_SECONDS,
                    )
                )
            except Exception:
                self.breaker.trip()
        return snap, current

    def drop(self, domain: str, slug: str, page_id: str) -> None:
        self.generation += 1
        self.cache.drop((domain, slug))
        self.cache.drop((_BY_ID, page_id))

    def clear(self) -> None:
        self.generation += 1
        self.cache.clear()


@dataclass(slots=True)
class Visit:
    now: float
    ua: str
    is_bot: bool
    place_json: str
    vhash: str


# What a view derives from one header value alone, kept by that value (bounded: a flood of
# distinct values only evicts), as the scan path does for IPs and places: a page view is
# a few microseconds of Python, and these were a fifth of them.
@functools.lru_cache(maxsize=8192)
def _agent(raw: bytes) -> tuple[str, bool]:
    """User-Agent -> (the text kept, looks like a link previewer)."""
    ua = raw.decode("latin-1")[: MAX_USER_AGENT * 2]
    return ua, looks_like_previewer(ua)


@functools.lru_cache(maxsize=8192)
def _ua_json(ua: str) -> str:
    return js(ua[:MAX_USER_AGENT])


@functools.lru_cache(maxsize=4096)
def _lang_json(raw: bytes) -> str:
    return js(primary_language(raw.decode("latin-1")))


@functools.lru_cache(maxsize=4096)
def _ref_json(raw: bytes) -> str:
    return js(referrer_host(raw.decode("latin-1")))


def visit(edge: Edge, headers, head: bool, peer: str) -> Visit:
    now = time.time()
    xff = headers.get(b"x-forwarded-for", b"").decode("latin-1")
    ip = edge.client_ip(peer, xff)
    ua, previewer = _agent(headers.get(b"user-agent", b""))
    _place, place_json = edge.place(ip)
    return Visit(
        now=now,
        ua=ua,
        is_bot=head or previewer,
        place_json=place_json,
        vhash=visitor_hash(edge.visitor_key(now), ip, ua),
    )


def event(
    page: Page, who: Visit | Any, headers, kind: str, target: str = "", code_id: str = ""
) -> str:
    """A page view ("pv") or click ("pc") for the scan stream; the ingest tells them from
    scans by the leading `{"k":"p` (services.scans.page_ingest)."""
    return (
        f'{{"k":"{kind}","id":"{uuid7_str()}",{page.event_head},'
        f'"code":{js(code_id) if code_id else "null"},"target":{js(target)},'
        f'"t":{float.__repr__(who.now)},"ua":{_ua_json(who.ua)},'
        f'"lang":{_lang_json(headers.get(b"accept-language", b""))},'
        f'"ref":{_ref_json(headers.get(b"referer", b""))},{who.place_json},"vh":"{who.vhash}",'
        f'"bot":{"true" if who.is_bot else "false"}}}'
    )


def page_unknown() -> Response:
    return responses.message("page_unknown")


def view(page: Page, headers, secret: str = "", now: float = 0.0) -> Response:
    """The page, or 304 when the browser already holds this version."""
    if page.matches(headers.get(b"if-none-match", b"")):
        return page.not_modified
    return page.ok_now(secret, now) if page.forms else page.ok


def answer(
    edge: Edge, page: Page | None, action: str, target: str, headers, head: bool, peer: str
) -> Response:
    """The answer to /p/<slug>[/c|d/<target>] for a resolved page; its event captured."""
    if page is None:
        return page_unknown()
    if action == "":
        who = visit(edge, headers, head, peer)
        page = page.for_visitor(headers, who.vhash)
        edge.capture.add(event(page, who, headers, "pv"))
        return view(page, headers, edge.settings.secret_key if page.forms else "", who.now)
    if action == "c":
        who = visit(edge, headers, head, peer)
        page = page.for_visitor(headers, who.vhash)
        url = page.click_url(target, who.ua)
        if url is None:
            return page_unknown()
        edge.capture.add(event(page, who, headers, "pc", target))
        return responses.redirect(url)
    if page.variants:  # the download of the variant this visitor sees
        page = page.for_visitor(headers, visit(edge, headers, head, peer).vhash)
    download = page.downloads.get(target)
    if download is None:
        return page_unknown()
    who = visit(edge, headers, head, peer)
    edge.capture.add(event(page, who, headers, "pc", target))
    return download


def answer_now(edge: Edge, head: bool, path: str, headers, peer: str) -> Response | None:
    """The fast lane's answer (None when the page is not in the in-process cache)."""
    parsed = parse(path)
    if parsed is None:
        return page_unknown()
    slug, action, target = parsed
    if action == "f":
        return None  # lead forms: the ASGI path (lead_forms)
    hit, page = edge.pages.cached(edge.domain_of(headers.get(b"host", b"")), slug)
    if not hit:
        return None
    return answer(edge, page, action, target, headers, head, peer)


async def run(scope, receive, send, edge: Edge, headers, head: bool) -> None:
    """The ASGI path (cache misses, repeated headers, lead-form posts and the like)."""
    peer = (scope.get("client") or ("", 0))[0]
    parsed = parse(scope["path"])
    method = scope["method"]
    if parsed is None or method not in ("GET", "HEAD", "POST"):
        await responses.send_response(send, page_unknown(), head)
        return
    slug, action, target = parsed
    if method == "POST" and action != "f":
        await responses.send_response(send, responses.method_not_allowed(), False)
        return
    domain = edge.domain_of(headers.get(b"host", b""))
    try:
        page = await edge.pages.resolve(domain, slug)
    except Exception:
        log.exception("could not resolve page %s", slug)
        await responses.send_response(send, responses.unavailable(b"Try again shortly."), head)
        return
    if action == "f" and page is not None:
        if page.variants:  # the form of the variant this visitor saw
            page = page.for_visitor(headers, visit(edge, headers, False, peer).vhash)
        if method == "POST":
            reply = await lead_forms.post(receive, edge, page, target, headers, peer)
        else:
            reply = lead_forms.thank_you(page, target)
        await responses.send_response(send, reply, head)
        return
    if action == "f":
        await responses.send_response(send, page_unknown(), head)
        return
    await responses.send_response(
        send, answer(edge, page, action, target, headers, head, peer), head
    )
