"""Logo preparation: decode, fit and resize once per (image, pixel box), then reuse.

Bulk jobs render thousands of codes with the same logo; decoding and resampling it is
the costliest step of a styled render, so the prepared image is kept in a small cache.
"""

import hashlib
import io
from functools import lru_cache

from PIL import Image

CACHED_PIXELS = 1024 * 1024  # print-size logos are rendered rarely: not worth the memory


def _decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA")


def logo_digest(data: bytes) -> str:
    """A short content hash: the cache key for everything derived from one logo."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fitted_logo(data: bytes, width: int, height: int) -> Image.Image:
    """The logo scaled (aspect kept, high-quality filter) to fit a width x height box."""
    width, height = max(width, 1), max(height, 1)
    if width * height > CACHED_PIXELS:
        return _fit(data, width, height)
    return _cached_fit(logo_digest(data), data, width, height)


@lru_cache(maxsize=16)
def _cached_fit(
    digest: str,  # noqa: ARG001 - the cache key
    data: bytes,
    width: int,
    height: int,
) -> Image.Image:
    # Keyed by digest as well, so equal logos from different Design objects share entries.
    return _fit(data, width, height)


def _fit(data: bytes, width: int, height: int) -> Image.Image:
    image = _decoded(data)
    ratio = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
