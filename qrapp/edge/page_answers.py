"""A published landing page version as the edge serves it (Page): every answer prebuilt
once per cache fill from the version stored at publish time (services.pages.editing
.publish): the page with its headers and ETag, its 304, its downloads, its click targets
(checked again before they become a Location), and with a running A/B test each variant
as a Page of its own. qrapp.edge.landing answers from these; qrapp.edge.page_cache keeps
them.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from qrapp.core import leads
from qrapp.core.ab_tests import pick_variant
from qrapp.core.brand import brand_landing
from qrapp.edge import page_variants, pages, responses
from qrapp.edge.responses import Response

_TOKEN_PLACEHOLDER = leads.TOKEN_PLACEHOLDER.encode()
CACHE_CONTROL = (b"cache-control", b"no-cache")
_CLICK_SCHEMES = ("http", "https", "mailto", "tel")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]|^ ")  # controls anywhere, or a leading space
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_CONTENT_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")
js = json.dumps


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
