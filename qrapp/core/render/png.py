"""PNG encoding tuned for codes: palette images stay palette (1-, 4- or 8-bit).

8-bit palette, RGB and RGBA images (every styled code) are written here rather than by
Pillow: each row after the first is stored as its difference to the row above (PNG
filter "Up"), so the many pixel rows a module row repeats become zeros, and deflated with
ISA-L (the `isal` package) at level 1, which is about seven times faster than zlib here.
A 1024 px styled code takes ~0.4 ms instead of Pillow's ~3 ms, and the file is smaller.
Without `isal` the standard zlib at level 1 does it. Images with few colours (1-, 2- and
4-bit palettes: plain codes) and other modes go through Pillow, which packs the bits.
"""

import io
import struct
import zlib
from collections.abc import Callable

import numpy as np
from PIL import Image

from qrapp.core.render.scratch import scratch


def _deflater() -> Callable[..., bytes]:
    """compress(data, level): ISA-L's when installed (a C extension with wheels for the
    usual platforms; the pinned requirements have it), else zlib's."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover
        return zlib.compress
    return isal_zlib.compress


_compress = _deflater()

# zlib level 6 shrinks flat code images hardly more than 3 but costs about twice the time.
COMPRESS_LEVEL = 3
FAST_LEVEL = 1
_MAGIC = b"\x89PNG\r\n\x1a\n"
_COLOUR_TYPE = {"P": 3, "RGB": 2, "RGBA": 6}
# The writer holds the image twice more (its array, the filtered rows): print sizes
# beyond this go through Pillow's streaming encoder instead.
FAST_PIXELS = 4096 * 4096


def render_png(image: Image.Image, dpi: int, pixels: np.ndarray | None = None) -> bytes:
    """`pixels`: the array `image` was made from, if the caller has it (it saves a copy)."""
    if _fast_writable(image):
        return _write(image, dpi, np.asarray(image) if pixels is None else pixels)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=COMPRESS_LEVEL, dpi=(dpi, dpi))
    return out.getvalue()


def _fast_writable(image: Image.Image) -> bool:
    if image.width * image.height > FAST_PIXELS:
        return False
    if image.mode == "P":
        # Pillow writes small palettes with 1, 2 or 4 bits per pixel; keep that for them.
        palette = image.palette
        return (
            palette is not None
            and palette.mode == "RGB"
            and len(image.getpalette() or ()) // 3 > 16
            and isinstance(image.info.get("transparency", b""), bytes)
        )
    return image.mode in ("RGB", "RGBA") and "transparency" not in image.info


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _write(image: Image.Image, dpi: int, pixels: np.ndarray) -> bytes:
    width, height = image.size
    parts = [
        _MAGIC,
        _chunk(
            b"IHDR", struct.pack(">IIBBBBB", width, height, 8, _COLOUR_TYPE[image.mode], 0, 0, 0)
        ),
    ]
    if image.mode == "P":
        palette = bytes(image.getpalette() or ())[: 256 * 3]
        parts.append(_chunk(b"PLTE", palette))
        if (alphas := image.info.get("transparency")) is not None:
            parts.append(_chunk(b"tRNS", alphas[: len(palette) // 3]))
    per_metre = int(dpi / 0.0254 + 0.5)  # as Pillow writes it, so readers get the same dpi
    parts.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    parts.append(_chunk(b"IDAT", _compress(_up_filtered(pixels), FAST_LEVEL)))
    parts.append(_chunk(b"IEND", b""))
    return b"".join(parts)


def _up_filtered(pixels: np.ndarray) -> np.ndarray:
    """The scanlines, each a filter byte and the row: the first row as it is (filter 0),
    every other one as its byte-wise difference to the row above (filter 2, "Up")."""
    rows = pixels.reshape(pixels.shape[0], -1)
    height, stride = rows.shape
    out = scratch("png rows", (height, stride + 1))
    if out is None:
        out = np.empty((height, stride + 1), dtype=np.uint8)
    out[0, 0] = 0
    out[0, 1:] = rows[0]
    out[1:, 0] = 2
    np.subtract(rows[1:], rows[:-1], out=out[1:, 1:])  # wraps modulo 256, as PNG wants
    return out
