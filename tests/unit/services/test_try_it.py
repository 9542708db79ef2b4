"""The home page's try-it generator: input checks, the real decoder's verdict, files,
and the per-IP budget."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from qrapp.services import try_it
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.services.try_it import RateLimiter, TryItThrottled, TryRequest


def _decode(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert results
    return results[0].text


@pytest.mark.parametrize("style", list(try_it.STYLES))
def test_preview_and_png_hold_the_url(style):
    req = TryRequest(kind="url", content="example.com/menu", style=style)
    png, verdict, text = try_it.preview(req)
    assert text == "https://example.com/menu"
    assert verdict.level in ("ok", "warn")
    assert verdict.decoded_text == text
    assert _decode(png) == text
    assert _decode(try_it.download(req, "png")) == text
    assert try_it.download(req, "svg").lstrip().startswith(b"<")


def test_text_codes_keep_the_text():
    png, _verdict, text = try_it.preview(TryRequest(kind="text", content="Hej då, 12 €"))
    assert text == "Hej då, 12 €"
    assert _decode(png) == text


@pytest.mark.parametrize(
    ("req", "field"),
    [
        (TryRequest(kind="url", content="javascript:alert(1)"), "content"),
        (TryRequest(kind="url", content="   "), "content"),
        (TryRequest(kind="text", content="x" * (try_it.MAX_CONTENT + 1)), "content"),
        (TryRequest(kind="wifi", content="x"), "kind"),
        (TryRequest(kind="url", content="example.com", style="../etc"), "style"),
    ],
)
def test_bad_input_gets_a_message(req, field):
    with pytest.raises(FieldErrors) as caught:
        try_it.preview(req)
    assert field in caught.value.errors


def test_download_formats_are_png_and_svg_only():
    with pytest.raises(ServiceError):
        try_it.download(TryRequest(kind="url", content="example.com"), "pdf")


def test_rate_limiter_budget_per_key_and_window():
    limiter = RateLimiter(limit=3, window=60)
    for _ in range(3):
        limiter.hit("a", now=100.0)
    with pytest.raises(TryItThrottled):
        limiter.hit("a", now=110.0)
    limiter.hit("b", now=110.0)  # another visitor has their own budget
    limiter.hit("a", now=161.0)  # the window moved on


def test_rate_limiter_forgets_the_oldest_keys():
    limiter = RateLimiter(limit=1, window=60, max_keys=2)
    limiter.hit("a", now=1.0)
    limiter.hit("b", now=1.0)
    limiter.hit("c", now=1.0)
    limiter.hit("a", now=2.0)  # forgotten, so allowed again
    assert len(limiter._hits) == 2


def test_ipv6_visitors_are_counted_per_64():
    assert try_it.ip_key("2001:db8:1:2:aaaa::1") == try_it.ip_key("2001:db8:1:2:bbbb::9")
    assert try_it.ip_key("2001:db8:1:3::1") != try_it.ip_key("2001:db8:1:2::1")
    assert try_it.ip_key("203.0.113.9") == "203.0.113.9"


def test_public_route_serves_files_refuses_bad_input_and_throttles(monkeypatch):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from qrapp.api import try_it as route

    monkeypatch.setattr(try_it, "DOWNLOADS", RateLimiter(limit=3))
    client = TestClient(Starlette(routes=route.routes))
    r = client.get("/try/qr.png", params={"kind": "url", "content": "example.com/a"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    assert r.headers["content-disposition"] == 'attachment; filename="qr-code.png"'
    assert r.headers["cache-control"] == "no-store"
    assert _decode(r.content) == "https://example.com/a"
    r = client.get("/try/qr.svg", params={"kind": "url", "content": "javascript:alert(1)"})
    assert r.status_code == 400
    assert "not allowed" in r.text
    r = client.get("/try/qr.svg", params={"kind": "text", "content": "x" * 5000})
    assert r.status_code == 414  # refused before any work, and not counted
    r = client.get("/try/qr.svg", params={"kind": "text", "content": "hello"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/svg+xml"
    r = client.get("/try/qr.png", params={"kind": "text", "content": "hello"})
    assert r.status_code == 429
    assert r.headers["retry-after"] == "60"
