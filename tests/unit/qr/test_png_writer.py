"""The PNG writer for styled codes (Up-filtered rows, ISA-L deflate): any PNG reader gets
exactly the pixels, palette, transparency and DPI that Pillow's own encoder would write.
render() reuses scratch arrays from one code to the next; nothing it returned may change.
"""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from qrapp.core.render import PRESETS, render, render_image
from qrapp.core.render import png as png_writer
from tests.unit.qr.helpers import logo_b64, png_text

URL = "https://qr.example.com/Ab3dE5f"
STYLED = {
    "modules": "rounded",
    "eyes": {"frame": "rounded", "ball": "circle", "frame_color": "#1a3d7c"},
    "logo": {"image": logo_b64(), "size": 0.2},
}


def _chunks(data: bytes) -> dict[bytes, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks[kind] = body
        at += 12 + length
    return chunks


def _pillow_png(image: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _same_picture(ours: bytes, pillows: bytes) -> None:
    a, b = Image.open(io.BytesIO(ours)), Image.open(io.BytesIO(pillows))
    assert (a.mode, a.size) == (b.mode, b.size)
    assert a.info.get("dpi") == b.info.get("dpi")
    assert a.info.get("transparency") == b.info.get("transparency")
    assert a.getpalette() == b.getpalette()
    assert np.array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize(
    ("design", "mode"),
    [
        (STYLED, "P"),
        (
            {
                "modules": "dots",
                "transparent_background": True,
                "eyes": {"frame": "circle", "frame_color": "#aa0000"},
            },
            "P",
        ),
        (PRESETS["ocean"], "RGB"),  # a gradient
        ({**PRESETS["ocean"], "transparent_background": True}, "RGBA"),
    ],
)
@pytest.mark.parametrize("size", [64, 333, 1024])
def test_styled_codes_are_written_by_the_fast_writer_with_pillows_pixels(design, mode, size):
    image = render_image(URL, design, size=size)
    assert image.mode == mode
    assert png_writer._fast_writable(image)
    ours = render(URL, design, "png", size=size, dpi=600)
    _same_picture(ours, _pillow_png(image, 600))
    chunks = _chunks(ours)
    assert chunks[b"IHDR"][8] == 8  # bit depth
    if size >= 333 and not design.get("transparent_background"):
        assert png_text(ours) == URL


def test_rows_are_stored_as_differences_to_the_row_above():
    data = render(URL, STYLED, "png", size=1024)
    rows = zlib.decompress(_chunks(data)[b"IDAT"])
    width = Image.open(io.BytesIO(data)).width
    filters = set(rows[:: width + 1])
    assert rows[0] == 0
    assert filters == {0, 2}
    # Smaller than Pillow's unfiltered rows at the zlib level the renderer used before.
    out = io.BytesIO()
    render_image(URL, STYLED, size=1024).save(out, "PNG", compress_level=3)
    assert len(data) < len(out.getvalue())


def test_few_colour_palettes_keep_pillows_packed_bits():
    plain = render_image(URL, None, size=1024)
    assert not png_writer._fast_writable(plain)
    assert _chunks(render(URL, None, "png", size=1024))[b"IHDR"][8] == 1


def test_a_picture_bigger_than_the_fast_limit_goes_through_pillow(monkeypatch):
    monkeypatch.setattr(png_writer, "FAST_PIXELS", 300 * 300)
    image = render_image(URL, STYLED, size=400)
    assert not png_writer._fast_writable(image)
    _same_picture(render(URL, STYLED, "png", size=400), _pillow_png(image, 300))


def test_reused_scratch_arrays_never_change_what_was_returned():
    other = "https://qr.example.com/zz9YY8x"
    first_png = render(URL, STYLED, "png", size=500)
    first_image = render_image(URL, STYLED, size=500)
    before = np.asarray(first_image).copy()
    second_png = render(other, STYLED, "png", size=500)  # same sizes: same scratch arrays
    render_image(other, STYLED, size=500)
    assert png_text(first_png) == URL
    assert png_text(second_png) == other
    assert np.array_equal(np.asarray(first_image), before)
    assert png_text(render(URL, STYLED, "png", size=500)) == URL
    assert render(URL, STYLED, "png", size=500) == first_png
