"""Reflex's /_upload endpoint has no size cap of its own: refuse big bodies up front.
The media upload (/_upload/media) has its own, larger cap: the largest of the per-kind
caps in the settings (the service checks the cap of the file's kind). The bulk page's
spreadsheet upload, a Reflex upload named by its handler, has its own too."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from qrapp.core import routes
from qrapp.settings import get_settings

MAX_UPLOAD_BYTES = 3 * 1024 * 1024  # a 2 MB logo plus multipart overhead
MULTIPART_OVERHEAD = 64 * 1024
# The bulk page's spreadsheet (20 MB, state/bulk_form.py) plus multipart overhead. The
# handler named in the request is the one that runs, and it reads at most its own cap.
BULK_UPLOAD_BYTES = 21 * 1024 * 1024
BULK_HANDLER_SUFFIX = b".upload_file"
BULK_STATE_MARK = b"bulk_state"


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


def _reflex_limit(headers: dict[bytes, bytes]) -> int:
    handler = headers.get(b"reflex-event-handler", b"")
    if BULK_STATE_MARK in handler and handler.endswith(BULK_HANDLER_SUFFIX):
        return BULK_UPLOAD_BYTES
    return MAX_UPLOAD_BYTES


class UploadLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(routes.REFLEX_UPLOAD):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        media = scope["path"] == routes.MEDIA_UPLOAD
        cap = media_upload_bytes() if media else _reflex_limit(headers)
        length = headers.get(b"content-length")
        if length is None or not length.isdigit() or int(length) > cap:
            if media:
                await _media_too_large(send, cap - MULTIPART_OVERHEAD)
            else:
                await _too_large(send, cap)
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


async def _media_too_large(send: Send, media_cap: int) -> None:
    if media_cap >= 1024 * 1024:
        size = b"%d MB" % (media_cap // (1024 * 1024))
    else:
        size = b"%d KB" % (media_cap // 1024)
    await _answer(send, b'{"error":"Files up to %s can be uploaded."}' % size, b"application/json")


async def _too_large(send: Send, limit: int) -> None:
    # The caps are a whole number of MB plus 1 MB for the multipart overhead.
    body = b"Files up to %d MB can be uploaded." % (limit // (1024 * 1024) - 1)
    await _answer(send, body, b"text/plain")


async def _answer(send: Send, body: bytes, ctype: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", ctype), (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body})
