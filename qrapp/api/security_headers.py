"""Security headers on every answer of the web process, and the login binding cookie.

The Content-Security-Policy allows what the Reflex frontend needs and nothing else:
its own scripts plus the inline scripts of the built pages (by hash, read from the
build), `eval` (Reflex runs `rx.call_script` code with it), inline styles (Emotion and
Radix write them at run time), images from data: and blob: URLs, and the websocket to
the backend. `frame-ancestors 'none'` and X-Frame-Options stop other pages framing the
signed-in app (clickjacking).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qrapp.settings import PROJECT_ROOT, get_settings

# `.*?`, not `.+?`: an empty <script src=...></script> (assets/focus.js in the head) would
# otherwise match on to the next </script>, swallowing the inline script after it, whose
# hash was then missing: React Router's hydration script on /codes/<id> was refused.
_INLINE_SCRIPT = re.compile(rb"<script\b[^>]*>(.*?)</script>", re.S)


def build_dir() -> Path:
    """Where `reflex run --env prod` / `reflex export` put the static frontend."""
    web = Path(os.environ.get("REFLEX_WEB_WORKDIR", PROJECT_ROOT / ".web"))
    return web / "build" / "client"


class _InlineScriptHashes:
    """sha256 sources of every inline script of the built pages, recomputed when a
    build replaces them (31 pages hold 25 distinct scripts: a short header)."""

    def __init__(self) -> None:
        self._stamp: int | None = None
        self._sources = ""

    def sources(self) -> str:
        root = build_dir()
        try:  # one stat per answer: every build writes index.html anew
            stamp = (root / "index.html").stat().st_mtime_ns
        except OSError:
            stamp = 0
        if stamp != self._stamp:
            hashes = set()
            for page in root.rglob("*.html") if stamp else []:
                for match in _INLINE_SCRIPT.finditer(page.read_bytes()):
                    if not match.group(1):
                        continue  # a script with src: nothing inline to allow
                    digest = hashlib.sha256(match.group(1)).digest()
                    hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
            self._stamp, self._sources = stamp, " ".join(sorted(hashes))
        return self._sources


_HASHES = _InlineScriptHashes()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy() -> str:
    s = get_settings()
    api = _origin(s.public_api_url)
    websocket = api.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    # The builder's preview shows a page's uploaded media from the edge (/m/...).
    edge = _origin(s.edge_url)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'unsafe-eval' {_HASHES.sources()}".rstrip(),
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {api} {edge}".rstrip(),
            f"media-src 'self' {edge}".rstrip(),
            "font-src 'self' data:",
            f"connect-src 'self' {api} {websocket}".rstrip(),
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def static_headers() -> list[tuple[str, str]]:
    headers = [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]
    if get_settings().is_production:
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return headers


def _binding_cookie() -> str:
    s = get_settings()
    secure = "; Secure" if s.app_url.startswith("https://") else ""
    # A browser-session cookie: it lives as long as the tab that may ask for a login.
    return (
        f"{s.login_binding_cookie_name}={secrets.token_urlsafe(32)}; Path=/; HttpOnly; "
        f"SameSite=Lax{secure}"
    )


class SecurityHeaders:
    """ASGI middleware: adds the headers to every HTTP answer (keeping a route's own
    Referrer-Policy or CSP), and gives a browser without one its binding cookie with
    the first page it loads, before the page's websocket connects."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie_name = get_settings().login_binding_cookie_name
        raw_cookie = next((v for k, v in scope["headers"] if k == b"cookie"), b"")
        has_binding = bool(cookie_parser(raw_cookie.decode("latin-1")).get(cookie_name))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in static_headers():
                    if name not in headers:
                        headers[name] = value
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = content_security_policy()
                is_page = headers.get("content-type", "").startswith("text/html")
                if not has_binding and (is_page or message["status"] == 304):
                    headers.append("Set-Cookie", _binding_cookie())
            await send(message)

        await self.app(scope, receive, send_with_headers)
