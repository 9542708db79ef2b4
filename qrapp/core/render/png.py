"""PNG encoding tuned for codes: palette images stay palette (1-, 4- or 8-bit)."""

import io

from PIL import Image

# zlib level 6 shrinks flat code images hardly more than 3 but costs about twice the time.
COMPRESS_LEVEL = 3


def render_png(image: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=COMPRESS_LEVEL, dpi=(dpi, dpi))
    return out.getvalue()
