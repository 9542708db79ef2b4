"""Decoding helpers shared by the QR tests: every output is judged by what a scanner reads."""

import base64
import io

import resvg_py
from PIL import Image, ImageDraw

from qrapp.core.scannability import decode


def logo_png(colours: int = 2) -> bytes:
    """A small flat logo (a rounded badge with a square), like most brand marks."""
    image = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 116, 116), 28, fill=(230, 57, 70, 255))
    if colours > 1:
        draw.rectangle((40, 40, 80, 80), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def logo_b64() -> str:
    return base64.b64encode(logo_png()).decode("ascii")


def png_text(data: bytes) -> str | None:
    return decode(Image.open(io.BytesIO(data)))


def svg_image(data: bytes, width: int = 600) -> Image.Image:
    raster = bytes(resvg_py.svg_to_bytes(svg_string=data.decode("utf-8"), width=width))
    return Image.open(io.BytesIO(raster))


def svg_text(data: bytes, width: int = 600) -> str | None:
    return decode(svg_image(data, width))
