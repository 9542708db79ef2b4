"""The baseline beside the edge: the least an ASGI app can do to answer a 302."""

_HEADERS = [(b"location", b"https://example.com/landing"), (b"content-length", b"0")]


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            msg = await receive()
            await send({"type": msg["type"] + ".complete"})
            if msg["type"] == "lifespan.shutdown":
                return
    await send({"type": "http.response.start", "status": 302, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": b""})
