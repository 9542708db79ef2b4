"""Reflex's /_upload endpoint has no size cap of its own: refuse big bodies up front.
The media upload (/_upload/media) has its own, larger cap: the largest of the per-kind
caps in the settings (the service checks the cap of the file's kind)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from qrapp.core import routes
from qrapp.settings import get_settings

MAX_UPLOAD_BYTES = 3 * 1024 * 1024  # a 2 MB logo plus multipart overhead
MULTIPART_OVERHEAD = 64 * 1024


def media_upload_bytes() -> int:
    s = get_settings()
    largest = max(
        s.media_max_image_bytes,
        s.media_max_pdf_bytes,
        s.media_max_video_bytes,
        s.media_max_audio_bytes,
        s.media_max_file_bytes,
    )
    return largest + MULTIPART_OVERHEAD


class UploadLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/_upload"):
            await self.app(scope, receive, send)
            return
        media = scope["path"] == routes.MEDIA_UPLOAD
        cap = media_upload_bytes() if media else MAX_UPLOAD_BYTES
        length = dict(scope["headers"]).get(b"content-length")
        if length is None or not length.isdigit() or int(length) > cap:
            await _too_large(send, cap - MULTIPART_OVERHEAD if media else 0)
            return
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > cap:
                raise ValueError("upload larger than its Content-Length")
            return message

        await self.app(scope, counting_receive, send)


async def _too_large(send: Send, media_cap: int = 0) -> None:
    if media_cap:
        if media_cap >= 1024 * 1024:
            size = b"%d MB" % (media_cap // (1024 * 1024))
        else:
            size = b"%d KB" % (media_cap // 1024)
        body = b'{"error":"Files up to %s can be uploaded."}' % size
        ctype = b"application/json"
    else:
        body = b"Files up to 2 MB can be uploaded."
        ctype = b"text/plain"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", ctype), (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body})
