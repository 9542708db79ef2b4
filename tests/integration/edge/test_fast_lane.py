"""The edge server's fast lane (qrapp.edge.fast_http): a cached scan is answered by the
protocol itself, byte for byte as the ASGI path answers it, with HTTP/1.1 keep-alive,
pipelining, HEAD and HTTP/1.0 right, and every scan captured."""

from __future__ import annotations

import socket
import time

import pytest

from tests.integration.edge.conftest import IPHONE, drain, scan_count

pytestmark = pytest.mark.integration


def _request(path: str, method: str = "GET", version: str = "1.1", extra: str = "") -> bytes:
    return (
        f"{method} {path} HTTP/{version}\r\nHost: 127.0.0.1\r\nUser-Agent: {IPHONE}\r\n"
        f"Accept-Language: sv-SE,sv;q=0.9\r\n{extra}\r\n"
    ).encode()


def _read_responses(sock: socket.socket, count: int) -> list[tuple[str, dict[str, str], bytes]]:
    """Parse `count` responses off a socket (they all carry content-length)."""
    buf, out = b"", []
    sock.settimeout(10)
    while len(out) < count:
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {len(out)} responses"
            buf += chunk
        head, buf = buf.split(b"\r\n\r\n", 1)
        status, *lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines)}
        # (The tests send HEAD only for redirects, whose bodies are empty anyway.)
        length = int(headers.get("content-length", "0"))
        while len(buf) < length:
            buf += sock.recv(65536)
        out.append((status, headers, buf[:length]))
        buf = buf[length:]
    return out


def _connect(edge) -> socket.socket:
    return socket.create_connection(("127.0.0.1", edge.port))


def test_cached_scans_answer_like_the_first_and_are_all_captured(edge, make_code):
    code = make_code("https://example.com/landing?x=1")
    path = f"/{code.short_code}"
    with _connect(edge) as sock:
        # The first request fills the cache on the ASGI path; the next three, pipelined
        # in one write on the same connection, are cached: the fast lane answers them.
        sock.sendall(_request(path))
        first = _read_responses(sock, 1)[0]
        sock.sendall(_request(path) + _request(path + "?src=link") + _request(path, "HEAD"))
        rest = _read_responses(sock, 3)
    for status, headers, body in [first, *rest]:
        assert status == "HTTP/1.1 302 Found"
        assert headers["location"] == "https://example.com/landing?x=1"
        assert headers["cache-control"] == "private, max-age=0"
        assert headers["content-length"] == "0"
        assert body == b""
    names = {k for k in first[1] if k != "date"}
    assert all({k for k in h if k != "date"} == names for _s, h, _b in rest)
    assert drain(4) == 4
    assert scan_count("source = 'link'") == 1
    assert scan_count("is_bot") == 1  # the HEAD


def test_http_1_0_gets_its_answer_and_the_connection_closed(edge, make_code):
    code = make_code()
    edge.get(f"/{code.short_code}")  # cache it
    with _connect(edge) as sock:
        sock.sendall(_request(f"/{code.short_code}", version="1.0"))
        status, headers, _ = _read_responses(sock, 1)[0]
        assert " 302 " in status
        assert headers["connection"] == "close"
        sock.settimeout(10)
        assert sock.recv(1) == b""  # closed by the server


def test_a_post_behind_cached_scans_keeps_its_order(edge, make_code):
    code = make_code()
    path = f"/{code.short_code}"
    edge.get(path)
    with _connect(edge) as sock:
        # A GET, a POST (the ASGI path: 405, the code has no password), a GET: the answers
        # come back in request order.
        post = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\na=b".encode()
        sock.sendall(_request(path) + post + _request(path))
        statuses = [s.split()[1] for s, _h, _b in _read_responses(sock, 3)]
    assert statuses == ["302", "405", "302"]


def test_pages_from_the_fast_lane_have_their_bodies(edge):
    with _connect(edge) as sock:
        sock.sendall(_request("/no~such~code") + _request("/healthz"))
        (s1, h1, b1), (s2, _h2, b2) = _read_responses(sock, 2)
    assert s1.split()[1] == "404"
    assert int(h1["content-length"]) == len(b1) > 0
    assert b"<html" in b1.lower()
    assert s2.split()[1] == "200"
    assert b2 == b'{"status":"ok"}'


def test_keep_alive_closes_idle_connections_only(edge, make_code):
    """uvicorn's 5 s keep-alive timeout, kept with one timer per idle period: requests
    every 2 s keep a connection open past 5 s; 5 s of silence closes it."""
    code = make_code()
    path = f"/{code.short_code}"
    edge.get(path)
    with _connect(edge) as sock:
        for _ in range(4):  # 0, 2, 4, 6 s: the connection outlives the first 5 s
            sock.sendall(_request(path))
            assert " 302 " in _read_responses(sock, 1)[0][0]
            time.sleep(2)  # idle 2 s on purpose: less than the 5 s keep-alive
        started = time.monotonic()
        sock.settimeout(15)
        assert sock.recv(1) == b""  # closed by the server...
        assert 2.5 < time.monotonic() - started < 10  # ...about 5 s after the last answer
