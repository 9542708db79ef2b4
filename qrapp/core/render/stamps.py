"""Anti-aliased coverage masks ("stamps") for one module or one eye, cached per pixel size.

Shapes are drawn once at 4x and box-filtered down; a code is then assembled from the
stamps with one numpy gather, which costs the same whatever the module style.
"""

import math
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from qrapp.core.render.geometry import (
    BAR_WIDTH,
    CONTOUR_RADII,
    DOT_RADIUS,
    Box,
    Circle,
    Polygon,
    Ring,
    Shape,
    eye_shapes,
)

SUPERSAMPLE = 4  # 16 coverage samples per pixel (fewer for very large areas)
LARGE_SCALE = 64  # px per module above which stamps are not cached
EMPTY = 16  # stamp index of a light module


def draw_shape(draw: ImageDraw.ImageDraw, shape: Shape, scale: float, fill: int) -> None:
    """Draw a module-unit shape onto a Pillow mask at `scale` pixels per module."""
    if isinstance(shape, Ring):
        draw_shape(draw, shape.outer, scale, fill)
        draw_shape(draw, shape.inner, scale, 0)
    elif isinstance(shape, Circle):
        r = shape.r * scale
        cx, cy = shape.cx * scale, shape.cy * scale
        draw.ellipse((cx - r, cy - r, cx + r - 1, cy + r - 1), fill=fill)
    elif isinstance(shape, Polygon):
        draw.polygon([(x * scale, y * scale) for x, y in shape.points], fill=fill)
    else:
        box = (
            shape.x * scale,
            shape.y * scale,
            (shape.x + shape.w) * scale - 1,
            (shape.y + shape.h) * scale - 1,
        )
        if shape.r and any(shape.corners):
            draw.polygon(_rounded_outline(shape, scale), fill=fill)
        else:
            draw.rectangle(box, fill=fill)


def _rounded_outline(box: Box, scale: float, steps: int = 12) -> list[tuple[float, float]]:
    """The rounded box as a polygon with flattened arcs (Pillow's rounded_rectangle
    mis-draws radii close to half the box, which the pill and dot styles need)."""
    x0, y0 = box.x * scale, box.y * scale
    x1, y1 = (box.x + box.w) * scale, (box.y + box.h) * scale
    limit = min(box.w, box.h) * scale / 2
    centres = ((x0, y0, 1, 1), (x1, y0, -1, 1), (x1, y1, -1, -1), (x0, y1, 1, -1))
    points: list[tuple[float, float]] = []
    for corner, ((cx, cy, sx, sy), rounded) in enumerate(zip(centres, box.corners, strict=True)):
        r = min(box.r * scale, limit) if rounded else 0.0
        if not r:
            points.append((cx, cy))
            continue
        ox, oy = cx + sx * r, cy + sy * r
        start = math.pi + corner * math.pi / 2  # tl arc runs from 180 to 270 degrees
        for step in range(steps + 1):
            angle = start + step * (math.pi / 2) / steps
            points.append((ox + r * math.cos(angle), oy + r * math.sin(angle)))
    return points


def rasterise(shapes: list[Shape], width: float, height: float, scale: int) -> np.ndarray:
    """Coverage (0..255) of shapes in a width x height module area at `scale` px/module."""
    area = width * height * scale * scale
    # Fewer samples for big areas (print-size frames): the memory grows with the square.
    factor = SUPERSAMPLE if area <= 2_000_000 else 2 if area <= 12_000_000 else 1
    big = factor * scale
    mask = Image.new("L", (round(width * big), round(height * big)), 0)
    draw = ImageDraw.Draw(mask)
    for shape in shapes:
        draw_shape(draw, shape, big, 255)
    return np.asarray(mask.reduce(factor))


def _module_shape(style: str, up: bool, right: bool, down: bool, left: bool) -> Shape:
    if style == "dots":
        return Circle(0.5, 0.5, DOT_RADIUS)
    inset = (1 - BAR_WIDTH) / 2
    half = BAR_WIDTH / 2
    if style == "vertical":
        return Box(inset, 0, BAR_WIDTH, 1, half, (not up, not up, not down, not down))
    if style == "horizontal":
        return Box(0, inset, 1, BAR_WIDTH, half, (not left, not right, not right, not left))
    # A corner is exposed, and so rounded, when both modules beside it are light.
    radii = CONTOUR_RADII[style]
    exposed = (
        not up and not left,
        not up and not right,
        not down and not right,
        not down and not left,
    )
    corners = tuple(bool(r) and e for r, e in zip(radii, exposed, strict=True))
    radius = max((r for r, e in zip(radii, corners, strict=True) if e), default=0.0)
    return Box(0, 0, 1, 1, radius, corners)  # type: ignore[arg-type]


@lru_cache(maxsize=32)
def module_stamps(style: str, scale: int) -> np.ndarray:
    return _module_stamps(style, scale)


def _module_stamps(style: str, scale: int) -> np.ndarray:
    """(17, scale, scale) coverage: index = up | right<<1 | down<<2 | left<<3; 16 is empty."""
    stamps = np.zeros((17, scale, scale), dtype=np.uint8)
    for config in range(16):
        up, right, down, left = (bool(config >> bit & 1) for bit in range(4))
        stamps[config] = rasterise([_module_shape(style, up, right, down, left)], 1, 1, scale)
    stamps.setflags(write=False)
    return stamps


def neighbour_index(modules: np.ndarray) -> np.ndarray:
    """Per-module stamp index from its four neighbours (EMPTY for light modules)."""
    p = np.pad(modules, 1)
    index = (
        p[:-2, 1:-1].astype(np.uint8)
        | p[1:-1, 2:].astype(np.uint8) << 1
        | p[2:, 1:-1].astype(np.uint8) << 2
        | p[1:-1, :-2].astype(np.uint8) << 3
    )
    return np.where(modules, index, EMPTY).astype(np.intp)


def coverage_stamps(style: str, scale: int) -> np.ndarray:
    """module_stamps, cached up to LARGE_SCALE px/module."""
    return module_stamps(style, scale) if scale <= LARGE_SCALE else _module_stamps(style, scale)


def module_coverage(style: str, modules: np.ndarray, scale: int) -> np.ndarray:
    """Coverage of all modules at `scale` px/module, as one (n*scale, n*scale) array."""
    n = modules.shape[0]
    if style == "square":
        return np.repeat(np.repeat(modules.astype(np.uint8) * 255, scale, 0), scale, 1)
    stamps = coverage_stamps(style, scale)
    tiles: np.ndarray = stamps[neighbour_index(modules)]
    coverage: np.ndarray = tiles.transpose(0, 2, 1, 3).reshape(n * scale, n * scale)
    return coverage


def eye_stamps(frame: str, ball: str, corner: int, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """(frame, ball) coverage of one finder pattern; cached up to LARGE_SCALE px/module."""
    if scale > LARGE_SCALE:
        return _eye_stamps(frame, ball, corner, scale)
    return _cached_eye_stamps(frame, ball, corner, scale)


@lru_cache(maxsize=32)
def _cached_eye_stamps(
    frame: str, ball: str, corner: int, scale: int
) -> tuple[np.ndarray, np.ndarray]:
    return _eye_stamps(frame, ball, corner, scale)


def _eye_stamps(frame: str, ball: str, corner: int, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """(frame, ball) coverage of one 7x7 finder pattern at `scale` px/module."""
    ring, ball_shape = eye_shapes(frame, ball, 0, 0, corner)
    frame_mask = rasterise([ring], 7, 7, scale)
    ball_mask = rasterise([ball_shape], 7, 7, scale)
    frame_mask.setflags(write=False)
    ball_mask.setflags(write=False)
    return frame_mask, ball_mask
