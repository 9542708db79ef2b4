"""Reflex's /_upload endpoint has no size cap of its own: refuse big bodies up front."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

MAX_UPLOAD_BYTES = 3 * 1024 * 1024  # a 2 MB logo plus multipart overhead
# The bulk page's spreadsheet (20 MB, state/bulk_form.py) plus multipart overhead. The
# handler named in the request is the one that runs, and it reads at most its own cap.
BULK_UPLOAD_BYTES = 21 * 1024 * 1024
BULK_HANDLER_SUFFIX = b".upload_file"
BULK_STATE_MARK = b"bulk_state"


def _limit(headers: dict[bytes, bytes]) -> int:
    handler = headers.get(b"reflex-event-handler", b"")
    if BULK_STATE_MARK in handler and handler.endswith(BULK_HANDLER_SUFFIX):
        return BULK_UPLOAD_BYTES
    return MAX_UPLOAD_BYTES


class UploadLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/_upload"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        limit = _limit(headers)
        if length is None or not length.isdigit() or int(length) > limit:
            await _too_large(send, limit)
            return
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise ValueError("upload larger than its Content-Length")
            return message

        await self.app(scope, counting_receive, send)


async def _too_large(send: Send, limit: int) -> None:
    body = b"Files up to %d MB can be uploaded." % (limit // (1024 * 1024) - 1)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body})
