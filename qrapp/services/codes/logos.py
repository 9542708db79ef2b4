"""Logo uploads: checked by content, rasterised, shrunk, and kept inside the design.

The stored logo is always a PNG we produced ourselves (at most 512 px), whatever was
uploaded, so a crafted file never reaches a renderer or a browser as it came. SVG is drawn
by services.svg_raster (references checked, size fixed, in a child process with limits).
Nothing is written to the public upload folder and the client's file name is ignored.
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from qrapp.services.codes import svg_raster
from qrapp.services.errors import FieldErrors

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4096 * 4096  # refuses decompression bombs before decoding
STORED_SIDE = 512


def _looks_like_svg(data: bytes) -> bool:
    # XML text that opens an <svg> element early; the parser decides the rest.
    return data.lstrip().startswith(b"<") and b"<svg" in data[:4096].lower()


def _error(message: str) -> FieldErrors:
    return FieldErrors({"logo": message})


def _from_svg(data: bytes) -> Image.Image:
    # Bounded: checked references, a size we choose, drawn in a limited child process.
    try:
        png = svg_raster.rasterise(data, side=STORED_SIDE)
    except svg_raster.SvgRefused as exc:
        raise _error(str(exc)) from None
    return Image.open(io.BytesIO(png))


def normalise_logo(data: bytes) -> bytes:
    """PNG bytes of the logo, or FieldErrors({'logo': reason})."""
    if not data:
        raise _error("The file is empty.")
    if len(data) > MAX_BYTES:
        raise _error("The logo must be at most 2 MB.")
    try:
        if _looks_like_svg(data):
            image = _from_svg(data)
        else:
            image = Image.open(io.BytesIO(data))
            if image.format not in ("PNG", "JPEG", "WEBP", "GIF"):
                raise _error("Upload a PNG, JPEG or SVG image.")
            if image.width * image.height > MAX_PIXELS:
                raise _error("The image has too many pixels; use one under 4096 x 4096.")
        image.load()
    except FieldErrors:
        raise
    except (UnidentifiedImageError, OSError, ValueError, UnicodeDecodeError, SyntaxError):
        raise _error("That file is not an image we can read. Upload a PNG, JPEG or SVG.") from None
    except Image.DecompressionBombError:
        raise _error("The image has too many pixels.") from None
    image = image.convert("RGBA")
    image.thumbnail((STORED_SIDE, STORED_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
