"""Where everything goes on the canvas, in module units: quiet zone, frame, caption, logo."""

import math
from dataclasses import dataclass

import numpy as np

from qrapp.core.render.design import Design
from qrapp.core.render.geometry import Box, Shape
from qrapp.core.render.symbol import FINDER, Symbol


@dataclass(frozen=True)
class Caption:
    text: str
    box: Box  # the area the text is centred in
    color: str


@dataclass(frozen=True)
class Layout:
    """Canvas size and positions in module units (whole numbers where pixels must align)."""

    width: int
    height: int
    symbol_x: int
    symbol_y: int
    size: int  # modules per side of the symbol
    frame_shapes: tuple[tuple[Shape, str], ...]  # (shape, colour) painted before the code
    caption: Caption | None
    logo_box: Box | None  # where the logo image goes
    cleared: np.ndarray  # bool (size x size): modules hidden behind the logo


def _cleared_area(symbol: Symbol, design: Design) -> tuple[np.ndarray, Box | None]:
    n = symbol.size
    cleared = np.zeros((n, n), dtype=bool)
    if design.logo is None:
        return cleared, None
    logo = design.logo
    # An odd number of whole modules keeps the cleared area centred on the middle module.
    side = math.ceil(logo.size * n + 2 * logo.margin)
    side += 1 - side % 2
    start = (n - side) // 2
    if logo.shape == "circle":
        rows, cols = np.indices((n, n))
        centre = (n - 1) / 2
        radius = side / 2
        # Clear modules whose any part falls in the circle, so none is cut by the logo.
        dy = np.maximum(np.abs(rows - centre) - 0.5, 0)
        dx = np.maximum(np.abs(cols - centre) - 0.5, 0)
        cleared = dx * dx + dy * dy < radius * radius
    else:
        cleared[start : start + side, start : start + side] = True
    inner = side - 2 * logo.margin
    if logo.shape == "circle":
        # The image must stay inside the cleared circle: use the inscribed square.
        inner /= math.sqrt(2)
    offset = (n - inner) / 2
    return cleared, Box(offset, offset, inner, inner)


def finder_zone(size: int) -> np.ndarray:
    """Modules that belong to the three finder patterns (drawn as eyes, not modules)."""
    zone = np.zeros((size, size), dtype=bool)
    zone[:FINDER, :FINDER] = True
    zone[:FINDER, size - FINDER :] = True
    zone[size - FINDER :, :FINDER] = True
    return zone


def make_layout(symbol: Symbol, design: Design) -> Layout:
    n = symbol.size
    quiet = design.quiet_zone
    block = n + 2 * quiet  # the code with its quiet zone
    frame = design.frame
    cleared, logo_box = _cleared_area(symbol, design)
    if frame.style == "none":
        return Layout(
            block, block, quiet, quiet, n, (), None, _offset(logo_box, quiet, quiet), cleared
        )
    # Proportional to the code, so a frame looks the same on a short URL and a vCard;
    # whole modules for border and band keep the code on the pixel grid.
    border = max(1, round(block * 0.035))
    band = max(5, round(block * 0.2))
    radius = block * 0.05
    shapes: list[tuple[Shape, str]] = []
    if frame.style in ("banner-bottom", "banner-top"):
        width, height = block + 2 * border, block + 2 * border + band
        top = border + (band if frame.style == "banner-top" else 0)
        caption_y = border if frame.style == "banner-top" else border + block
        shapes.append((Box(0, 0, width, height, radius), frame.color))
        shapes.append((Box(border, top, block, block, radius / 2), design.background))
        caption = Caption(frame.text, Box(border, caption_y, block, band), frame.text_color)
    elif frame.style == "box":
        width, height = block + 2 * border, block + 2 * border + band
        top = border
        outer = Box(0, 0, width, width, radius)
        inner = Box(border, border, block, block, max(radius - border, 0))
        shapes.append((outer, frame.color))
        shapes.append((inner, design.background))
        caption = Caption(frame.text, Box(0, width, width, band), frame.color)
    else:  # pill: a rounded badge under the code
        width, height = block, block + band
        top = 0
        pill = Box(block * 0.12, block + band * 0.05, block * 0.76, band * 0.75, band * 0.375)
        shapes.append((pill, frame.color))
        caption = Caption(frame.text, pill, frame.text_color)
    x, y = (width - block) // 2 + quiet, top + quiet
    return Layout(width, height, x, y, n, tuple(shapes), caption, _offset(logo_box, x, y), cleared)


def _offset(box: Box | None, dx: float, dy: float) -> Box | None:
    return None if box is None else Box(box.x + dx, box.y + dy, box.w, box.h)
