"""Serve a small ASGI app (a provider simulator) on 127.0.0.1 in a thread of the test
process, so a test can read and change the simulator's state directly while our code
reaches it over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from tests.support.processes import free_port
from tests.support.waiting import eventually


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """Yields the base URL (no trailing slash) while the app answers."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    eventually(lambda: server.started, timeout=10, message="simulator did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
