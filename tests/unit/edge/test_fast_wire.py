"""The fast lane's header bytes, joined once per prebuilt header list."""

from __future__ import annotations

from qrapp.edge import fast_http


def test_wire_is_the_header_lines_and_follows_each_list():
    first = [(b"content-type", b"text/html"), (b"content-length", b"5")]
    assert fast_http._wire(first) == b"content-type: text/html\r\ncontent-length: 5\r\n"
    assert fast_http._wire(first) is fast_http._wire(first)  # joined once
    # An equal-looking list built later is its own entry (the cache holds `first`, so no
    # later list can take its id).
    second = [(b"content-type", b"text/plain"), (b"content-length", b"5")]
    assert fast_http._wire(second) == b"content-type: text/plain\r\ncontent-length: 5\r\n"
    assert fast_http._wire([]) == b""


def test_wire_cache_stays_bounded():
    lists = [[(b"x-n", str(n).encode())] for n in range(fast_http._WIRE_SIZE * 2)]
    for headers in lists:
        assert fast_http._wire(headers) == b"x-n: " + headers[0][1] + b"\r\n"
    assert len(fast_http._WIRE) <= fast_http._WIRE_SIZE
