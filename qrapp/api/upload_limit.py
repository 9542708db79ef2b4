"""Reflex's /_upload endpoint has no size cap of its own: refuse big bodies up front."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

MAX_UPLOAD_BYTES = 3 * 1024 * 1024  # a 2 MB logo plus multipart overhead


class UploadLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/_upload"):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is None or not length.isdigit() or int(length) > MAX_UPLOAD_BYTES:
            await _too_large(send)
            return
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_UPLOAD_BYTES:
                raise ValueError("upload larger than its Content-Length")
            return message

        await self.app(scope, counting_receive, send)


async def _too_large(send: Send) -> None:
    body = b"Files up to 2 MB can be uploaded."
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body})
