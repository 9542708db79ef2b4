"""Small pictures of each module and eye shape for the designer's shape pickers.

Drawn with the same stamps as real codes, so a picture shows exactly what the choice
does (a word like "Classy" does not). Pure: callers cache the bytes.
"""

import io

import numpy as np
from PIL import Image

from qrapp.core.render.stamps import eye_stamps, module_coverage

# A 5x5 patch with runs, corners and a lone module: it shows how each style joins
# neighbours (rounded, classy) and how it treats isolated modules (dots).
_PATCH = np.array(
    [
        [1, 1, 1, 0, 1],
        [1, 0, 1, 0, 0],
        [1, 1, 1, 0, 1],
        [0, 0, 0, 1, 1],
        [1, 0, 1, 1, 0],
    ],
    dtype=bool,
)
_DARK, _MUTED = 0, 185  # grey levels: the shape shown and the part it is paired with


def _png(lightness: np.ndarray, pad: int) -> bytes:
    image = Image.fromarray(np.pad(lightness, pad, constant_values=255).astype(np.uint8), "L")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _paint(*layers: tuple[np.ndarray, int]) -> np.ndarray:
    """White canvas with each (coverage, grey) layer blended on in order."""
    canvas = np.full(layers[0][0].shape, 255.0)
    for coverage, grey in layers:
        alpha = coverage.astype(np.float32) / 255
        canvas = canvas * (1 - alpha) + grey * alpha
    return canvas


def module_sample(style: str, scale: int = 10) -> bytes:
    """PNG of a small patch of modules in `style` (5 modules plus a half-module margin)."""
    coverage = module_coverage(style, _PATCH, scale)
    return _png(_paint((coverage, _DARK)), scale // 2)


def eye_sample(frame: str, ball: str, show: str, scale: int = 8) -> bytes:
    """PNG of one finder pattern; `show` ("frame" or "ball") is drawn dark, the other muted."""
    frame_mask, ball_mask = eye_stamps(frame, ball, 0, scale)
    frame_grey, ball_grey = (_DARK, _MUTED) if show == "frame" else (_MUTED, _DARK)
    return _png(_paint((frame_mask, frame_grey), (ball_mask, ball_grey)), scale // 2)
