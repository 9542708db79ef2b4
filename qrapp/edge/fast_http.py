"""uvicorn's httptools protocol with a fast lane for scans the edge can answer at once.

    uvicorn qrapp.edge.app:app --http qrapp.edge.fast_http:EdgeHttpProtocol

For each request uvicorn builds an ASGI scope, a request/response cycle with an
asyncio.Event, and a task, and then turns the app's two messages back into bytes: about
half of a cached redirect's time. Most scans need none of that: the code is in the
edge's in-process cache and nothing has to be awaited. For those (a GET or HEAD without
a body, nothing in flight before it on the connection) this protocol asks the app's
`answer_now` directly and writes the response bytes itself; everything else (cache
misses, limited codes, images, password forms, anything unusual) takes uvicorn's normal
ASGI path unchanged. Both paths answer from the same functions (qrapp.edge.scan,
qrapp.edge.responses).
"""

from __future__ import annotations

import urllib.parse

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from qrapp.edge.app import app as edge_app

# The header block of an answer as bytes, by the identity of its header list: most answers
# are prebuilt once per cache fill (a page version, a code's redirect) and sent thousands of
# times, so their "name: value\r\n" lines are joined once. The entry holds the list, so
# its id cannot be reused while cached; answers built per request only pass through.
_WIRE: dict[int, tuple[list, bytes]] = {}
_WIRE_SIZE = 4096


def _wire(headers: list) -> bytes:
    entry = _WIRE.get(id(headers))
    if entry is not None and entry[0] is headers:
        return entry[1]
    wire = b"".join([b"%s: %s\r\n" % pair for pair in headers])
    if len(_WIRE) >= _WIRE_SIZE:
        _WIRE.clear()
    _WIRE[id(headers)] = (headers, wire)
    return wire


class EdgeHttpProtocol(HttpToolsProtocol):
    _answered = False
    _last_activity = 0.0

    def on_message_begin(self) -> None:
        # The ASGI scope is built only for requests that take the ASGI path (below).
        self._answered = False
        self.url = b""
        self.expect_100_continue = False
        self.headers = []
        self.scope = None  # type: ignore[assignment]

    def on_headers_complete(self) -> None:
        if self._answer_now():
            return
        # As uvicorn's on_message_begin builds it (uvicorn 0.54).
        self.scope = {  # type: ignore[typeddict-item]
            "type": "http",
            "asgi": {"version": self.asgi_version, "spec_version": "2.3"},
            "http_version": "1.1",
            "server": self.server,
            "client": self.client,
            "scheme": self.scheme,  # type: ignore[typeddict-item]
            "root_path": self.root_path,
            "headers": self.headers,
            "state": self.app_state.copy(),
        }
        super().on_headers_complete()

    # Keep-alive: uvicorn cancels its idle timer on every read and arms a new one after
    # every response (a heap push and a cancel per request). Here one timer per idle
    # period checks the time of the last activity and re-arms itself for the rest.
    def _unset_keepalive_if_required(self) -> None:
        self._last_activity = self.loop.time()

    def on_response_complete(self) -> None:
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self._last_activity = self.loop.time()
        self.flow.resume_reading()
        if self.pipeline:
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
        elif self.timeout_keep_alive_task is None:
            self.timeout_keep_alive_task = self.loop.call_later(
                self.timeout_keep_alive, self.timeout_keep_alive_handler
            )

    def timeout_keep_alive_handler(self) -> None:
        self.timeout_keep_alive_task = None
        if self.transport.is_closing():
            return
        if self.pipeline or (self.cycle is not None and not self.cycle.response_complete):
            return  # a request in flight: its on_response_complete arms the timer again
        idle = self.loop.time() - self._last_activity
        if idle >= self.timeout_keep_alive:
            self.transport.close()
        else:
            self.timeout_keep_alive_task = self.loop.call_later(
                self.timeout_keep_alive - idle, self.timeout_keep_alive_handler
            )

    def on_body(self, body: bytes) -> None:
        if not self._answered:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if not self._answered:
            super().on_message_complete()

    def _answer_now(self) -> bool:
        method = self.parser.get_method()
        if method not in (b"GET", b"HEAD") or self.access_log:
            return False
        if self.pipeline or (self.cycle is not None and not self.cycle.response_complete):
            return False  # pipelined behind a request still on the ASGI path: keep order
        if self.parser.should_upgrade():
            return False
        headers: dict[bytes, bytes] = {}
        for name, value in self.headers:
            if name in headers:  # repeated headers (X-Forwarded-For, Cookie): ASGI path
                return False
            headers[name] = value
        if b"content-length" in headers or b"transfer-encoding" in headers:
            return False  # a body: the ASGI path
        url = httptools.parse_url(self.url)
        path = url.path.decode("ascii")
        if "%" in path:
            path = urllib.parse.unquote(path)
        head = method == b"HEAD"
        try:
            response = edge_app.answer_now(
                head, path, url.query or b"", headers, self.client[0] if self.client else ""
            )
        except Exception:  # the ASGI path answers (and logs) it
            return False
        if response is None:
            return False
        status, response_headers, body = response
        keep_alive = self.parser.get_http_version() == "1.1" and self.parser.should_keep_alive()
        out = [
            STATUS_LINE[status],
            _wire(self.server_state.default_headers),  # a new list every second (Date)
            _wire(response_headers),
            b"\r\n" if keep_alive else b"connection: close\r\n\r\n",
        ]
        if body and not head:
            out.append(body)
        self.transport.write(b"".join(out))
        self._answered = True
        if keep_alive:
            self.on_response_complete()  # counts it, arms the keep-alive timer if idle
        else:
            self.server_state.total_requests += 1
            self.transport.close()
        return True
