"""Serve an ASGI app over HTTPS in this process (uvicorn in a thread), for callers that
insist on TLS: the Swish simulator calls our callback route only over https, as Swish does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from tests.support.processes import free_port
from tests.support.tls_certs import Pair
from tests.support.waiting import eventually


@contextmanager
def https_app(app, server: Pair) -> Iterator[str]:
    """Yield the app's https base URL (127.0.0.1, `server`'s certificate)."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        ssl_certfile=str(server.cert),
        ssl_keyfile=str(server.key),
        log_level="warning",
        lifespan="off",
        loop="asyncio",
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    eventually(lambda: uv.started, timeout=20, message="the https app did not start")
    try:
        yield f"https://127.0.0.1:{config.port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
