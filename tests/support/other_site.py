"""A second, plain web site on 127.0.0.1 for e2e tests that follow a redirect off the edge:
any path answers a small page whose h1#landed names the path it was asked for."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.processes import free_port


@contextmanager
def other_site(title: str, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve it for the block; yields its base URL under `host` (e.g. "localhost", for
    another origin than the edge's 127.0.0.1 on the same machine)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = f"<!doctype html><title>{title}</title><h1 id=landed>{self.path}</h1>"
            body = page.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
