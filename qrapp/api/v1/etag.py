"""Strong ETags on reads: a GET answered 200 carries `ETag: "<SHA-256 of the body>"`
(the first 32 hex digits), and a GET whose `If-None-Match` names it gets 304 with no body,
so a client polling a code or its analytics downloads only what changed.

The body is hashed as sent, so the ETag changes exactly when the representation does,
whichever route made it; a route that set its own ETag keeps it.
"""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Headers a 304 keeps (RFC 9110 §15.4.5); the body's own headers go.
_DROP_ON_304 = {b"content-length", b"content-type", b"content-encoding", b"content-disposition"}


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/"x" matches "x"; `*` matches anything."""
    if if_none_match.strip() == "*":
        return True
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate.startswith("W/"):
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


async def send_tagged(scope: Scope, send: Send, start: Message, body: bytes) -> None:
    """Send a 200 GET answer with its ETag, or 304 when the request's If-None-Match names
    it (the middleware below, and the hot read that answers before it: fast_read.py)."""
    tag = etag_of(body)
    headers = [*start.get("headers", []), (b"etag", tag.encode())]
    inm = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
    if inm is not None and matches(inm.decode("latin-1"), tag):
        headers = [(k, v) for k, v in headers if k not in _DROP_ON_304]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ETags:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] != 200 or any(
                    k == b"etag" for k, _ in message.get("headers", [])
                ):
                    start = None
                    await send(message)  # not ours to tag: pass it on as it comes
                    return
                start = message
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await send_tagged(scope, send, start, b"".join(chunks))

        await self.app(scope, receive, capture)
