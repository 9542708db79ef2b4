"""Logo preparation: decode, fit and resize once per (image, pixel box), then reuse.

Bulk jobs render thousands of codes with the same logo; decoding and resampling it is
the costliest step of a styled render, so the prepared image is kept in a small cache.
"""

import hashlib
import io
from functools import lru_cache

from PIL import Image


@lru_cache(maxsize=16)
def _decoded(digest: str, data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA")


def logo_digest(data: bytes) -> str:
    """A short content hash: the cache key for everything derived from one logo."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fitted_logo(data: bytes, width: int, height: int) -> Image.Image:
    """The logo scaled (aspect kept, high-quality filter) to fit a width x height box."""
    return _fitted(logo_digest(data), data, max(width, 1), max(height, 1))


@lru_cache(maxsize=32)
def _fitted(digest: str, data: bytes, width: int, height: int) -> Image.Image:
    image = _decoded(digest, data)
    ratio = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
