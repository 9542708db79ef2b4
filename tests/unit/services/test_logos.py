"""Logo uploads are checked by content, rasterised and re-encoded by us."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from qrapp.services.codes.logos import MAX_BYTES, STORED_SIDE, normalise_logo
from qrapp.services.errors import FieldErrors


def _png(size=(300, 200), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 90, 255) if mode == "RGBA" else 1).save(out, "PNG")
    return out.getvalue()


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_png_and_jpeg_become_a_small_png():
    out = _decoded(normalise_logo(_png((2000, 1000))))
    assert out.format == "PNG"
    assert max(out.size) == STORED_SIDE
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 20, 30)).save(jpeg, "JPEG")
    assert _decoded(normalise_logo(jpeg.getvalue())).format == "PNG"


def test_svg_is_rasterised():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
        b'<circle cx="20" cy="20" r="18" fill="#c00"/></svg>'
    )
    out = _decoded(normalise_logo(svg))
    assert out.format == "PNG"
    assert out.getpixel((out.width // 2, out.height // 2))[0] > 150


def test_svg_cannot_read_local_files():
    # Refused with a reason rather than drawn without the pictures (see test_svg_raster).
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'width="40" height="40"><image xlink:href="file:///etc/passwd" width="40" '
        b'height="40"/><image href="../../../../etc/hostname" width="40" height="40"/></svg>'
    )
    with pytest.raises(FieldErrors) as err:
        normalise_logo(svg)
    assert "cannot use other files" in err.value.errors["logo"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not an image", "not an image"),
        (b"<html><script>alert(1)</script></html>", "not an image"),
        (b"<svg><unclosed", "not an image"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg></svg>', "entity"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not an image"),
        (b"A" * (MAX_BYTES + 1), "2 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(data, reason):
    with pytest.raises(FieldErrors) as err:
        normalise_logo(data)
    assert reason in err.value.errors["logo"]


def test_pixel_flood_is_refused_before_decoding():
    flood = _png((20000, 20000), mode="1")  # a few kB on disk, 400 megapixels decoded
    assert len(flood) < MAX_BYTES
    with pytest.raises(FieldErrors) as err:
        normalise_logo(flood)
    assert "pixels" in err.value.errors["logo"]
