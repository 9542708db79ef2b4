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

The prebuilt answers are qrapp.edge.page_answers; the page cache (memory -> Redis ->
database, sharing edge.read_through with edge.links) is qrapp.edge.page_cache.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qrapp.core.ids import uuid7_str
from qrapp.core.visitor import (
    MAX_USER_AGENT,
    looks_like_previewer,
    primary_language,
    referrer_host,
    visitor_hash,
)
from qrapp.edge import lead_forms, responses
from qrapp.edge.page_answers import Page
from qrapp.edge.responses import Response

if TYPE_CHECKING:
    from qrapp.edge.app import Edge

log = logging.getLogger(__name__)

PREFIX = "/p/"
_PATH_RE = re.compile(r"^/p/([A-Za-z0-9][A-Za-z0-9_-]{0,79})(?:/([cdf])/([A-Za-z0-9_-]{1,64}))?/?$")
js = json.dumps
_NONE = js("")  # a view's target (no block)
_LANG, _REFERER = b"accept-language", b"referer"


def parse(path: str) -> tuple[str, str, str] | None:
    """("slug", "", "") for /p/slug, ("slug", "c"|"d"|"f", "target") for a click / download
    / lead form."""
    m = _PATH_RE.match(path)
    if m is None:
        return None
    return m.group(1), m.group(2) or "", m.group(3) or ""


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
def _visitor_json(ua: str, accept_language: bytes, referer: bytes) -> str:
    """The event's "ua", "lang" and "ref" members, kept by the three values together (one
    look-up per view: a browser sends the same three on every view)."""
    lang = primary_language(accept_language.decode("latin-1"))
    ref = referrer_host(referer.decode("latin-1"))
    return f'"ua":{js(ua[:MAX_USER_AGENT])},"lang":{js(lang)},"ref":{js(ref)}'


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
        f'"code":{js(code_id) if code_id else "null"},"target":{js(target) if target else _NONE},'
        f'"t":{float.__repr__(who.now)},'
        f"{_visitor_json(who.ua, headers.get(_LANG, b''), headers.get(_REFERER, b''))},"
        f'{who.place_json},"vh":"{who.vhash}",'
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
    if domain and page is not None:
        # A page left on a custom domain that moved to another workspace is not served
        # there (app.http looked the host up just before: a cache hit).
        hit, site = edge.domains.cached(domain)
        if hit and (site is None or site["workspace_id"] != page.workspace_id):
            page = None
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
