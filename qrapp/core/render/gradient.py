"""Gradient fills as RGB images for the rasteriser (SVG and PDF use native gradients)."""

import math
from functools import lru_cache

import numpy as np
from PIL import Image

from qrapp.core.render.design import Gradient, rgb


def _lookup(gradient: Gradient) -> np.ndarray:
    """256 RGB colours sampled along the gradient's stops."""
    positions = np.linspace(0, 1, 256)
    offsets = [stop.offset for stop in gradient.stops]
    colours = np.array([rgb(stop.color) for stop in gradient.stops], dtype=float)
    return (
        np.stack(
            [np.interp(positions, offsets, colours[:, channel]) for channel in range(3)], axis=1
        )
        .round()
        .astype(np.uint8)
    )


CACHED_SIDE = 2048  # larger images are rare (print) and too big to keep around


def gradient_image(gradient: Gradient, side: int) -> Image.Image:
    """The gradient over a side x side square (the symbol), matching the SVG geometry."""
    return _cached_gradient(gradient, side) if side <= CACHED_SIDE else _gradient(gradient, side)


@lru_cache(maxsize=8)
def _cached_gradient(gradient: Gradient, side: int) -> Image.Image:
    return _gradient(gradient, side)


def _gradient(gradient: Gradient, side: int) -> Image.Image:
    coords = (np.arange(side, dtype=np.float32) + 0.5) / side - 0.5
    if gradient.kind == "radial":
        # Radius reaches the corners, as the SVG radialGradient r = w/2 * sqrt(2).
        t = np.hypot(coords[None, :], coords[:, None]) / (math.sqrt(2) / 2)
    else:
        rad = math.radians(gradient.angle)
        dx, dy = math.cos(rad), math.sin(rad)
        span = abs(dx) + abs(dy)
        t = (coords[None, :] * dx + coords[:, None] * dy) / span + 0.5
    index = np.clip(t * 255 + 0.5, 0, 255).astype(np.uint8)
    return Image.fromarray(_lookup(gradient)[index], "RGB")
