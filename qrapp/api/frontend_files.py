"""How the web process answers for the built frontend's files.

- `/assets/<name>-<hash>.<ext>`: the build names every file there by its content, so a
  browser may keep it for a year without asking again (`immutable`).
- Pages (HTML) are revalidated on every load (`no-cache`: the ETag makes that a 304),
  so a browser never holds a page that points at assets a later build removed.
- `/login` answers with the page itself: Reflex exports pages as `login/index.html`,
  and its static files answer `/login` with a 307 to `/login/`, a round trip before the
  first paint and a URL that is not the one the app links to.

Both the embedded web process and Reflex's Granian workers serve through this (it sits
in qrapp.api.app, which Reflex mounts in front of its own routes).
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qrapp.api.security_headers import build_dir

IMMUTABLE = "public, max-age=31536000, immutable"
# Vite names a built file `<name>-<8 characters of its content hash>.<ext>`.
_HASHED_ASSET = re.compile(r"^/assets/[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+(\.gz|\.br)?$")
_PAGE_PATH = re.compile(r"^(/[a-z0-9_-]+)+$")


def canonical_page_path(path: str) -> str | None:
    """The path Reflex's static files serve the exported page of `path` at without a
    redirect (`/login` -> `/login/`), or None when `path` is not an exported page."""
    if not _PAGE_PATH.match(path):
        return None
    if (build_dir() / path.lstrip("/") / "index.html").is_file():
        return path + "/"
    return None


class FrontendFiles:
    """ASGI middleware: cache headers for the build's files, exported pages without the
    trailing-slash redirect."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        hashed = bool(_HASHED_ASSET.match(path))
        if not hashed and (served := canonical_page_path(path)):
            scope = {**scope, "path": served, "raw_path": served.encode()}

        async def send_with_cache(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "cache-control" not in headers:
                    if hashed and message["status"] in (200, 304):
                        headers["Cache-Control"] = IMMUTABLE
                    elif headers.get("content-type", "").startswith("text/html"):
                        headers["Cache-Control"] = "no-cache"
            await send(message)

        await self.app(scope, receive, send_with_cache)
