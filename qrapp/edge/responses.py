"""The edge's answers, built as (status, headers, body) by plain functions, so the ASGI
path and the server's synchronous fast lane (qrapp.edge.fast_http) answer from the same
code; and the mapping of a scan's decision (qrapp.core.scan_decision.Outcome) onto them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from qrapp.core import scan_decision
from qrapp.edge import pages

if TYPE_CHECKING:
    from qrapp.edge.links import Link

Response = tuple[int, list[tuple[bytes, bytes]], bytes]

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_LOCATION_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NO_STORE = (b"cache-control", b"private, max-age=0")
_ROBOTS = (b"x-robots-tag", b"noindex")
_CSP = pages.CSP.encode()


def response(status: int, headers: list, body: bytes = b"") -> Response:
    headers.append((b"content-length", str(len(body)).encode()))
    return status, headers, body


async def send_response(send, answer: Response, head: bool) -> None:
    status, headers, body = answer
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


def html(status: int, body: bytes, extra: list | None = None) -> Response:
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-security-policy", _CSP),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        NO_STORE,
        _ROBOTS,
        *(extra or []),
    ]
    return response(status, headers, body)


def message(reason: str, look: dict | None = None) -> Response:
    """One of pages.MESSAGES with its status ("unknown": 404, "paused": 403, ...), in the
    code's workspace's brand when given."""
    status, body = pages.message_page(reason, look)
    return html(status, body)


def location(url: str) -> bytes:
    # Percent-encode anything a header value cannot carry (non-ASCII, controls such as
    # CR/LF): the fast lane writes header bytes as they are.
    if url.isascii() and not _CONTROL.search(url):
        return url.encode("ascii")
    return quote(url, safe=_LOCATION_SAFE).encode("ascii")


def redirect(url: str) -> Response:
    # 302, never 301: browsers cache 301s forever and a dynamic code must stay editable.
    return 302, [(b"location", location(url)), NO_STORE, _ROBOTS, (b"content-length", b"0")], b""


def for_outcome(link: Link, outcome: scan_decision.Outcome) -> Response:
    """The answer to a scan decided by qrapp.core.scan_decision (the same steps the
    "Simulate a scan" panel runs): a redirect when it names a location (the destination,
    or the fallback URL of a refused scan), else its page."""
    if outcome.location:
        return redirect(outcome.location)
    if outcome.page == scan_decision.PASSWORD_PAGE:
        return html(200, pages.password_page(link.name, look=link.look))
    if outcome.page == scan_decision.BILLING_PAGE:
        return billing_paused(link.brand, link.look)
    return message(outcome.page, link.look)


# A day: the owner usually pays again within days, and a crawler or link checker that
# comes back sooner learns nothing new.
BILLING_RETRY_AFTER = b"86400"


def billing_paused(brand: str, look: dict | None = None) -> Response:
    """503 with Retry-After, not 200: the pause is temporary and the code will redirect
    again once the owner pays, so search engines and link checkers keep the link as it
    was (a 200 would tell them this notice is the link's content now) and come back later;
    a person's browser shows the page the same either way. noindex as every edge page."""
    return html(
        503, pages.billing_paused_page(brand, look), [(b"retry-after", BILLING_RETRY_AFTER)]
    )


HEALTHY: Response = (
    200,
    [(b"content-type", b"application/json"), (b"content-length", b"15")],
    b'{"status":"ok"}',
)


def not_found(name: str) -> Response:
    """A path that is no code (or a method a code does not take: 405)."""
    status, body = pages.message_page("unknown")
    return html(405 if CODE_RE.match(name) else status, body)


def unavailable(body: bytes) -> Response:
    return response(503, [(b"retry-after", b"2"), NO_STORE], body)


def method_not_allowed() -> Response:
    return response(405, [(b"allow", b"GET, HEAD")], b"")
