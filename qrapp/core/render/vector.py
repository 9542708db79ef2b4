"""Draws a code onto any vector canvas (SVG, PDF): one scene description, many writers."""

from collections.abc import Sequence
from typing import Protocol, TypeVar

import numpy as np

from qrapp.core.render.design import Design, Gradient
from qrapp.core.render.geometry import (
    CENTRE_CORNERS,
    CONTOUR_RADII,
    Box,
    PathSink,
    Shape,
    emit_outlines,
    emit_shape,
    eye_shapes,
    module_shapes,
    trace_outlines,
)
from qrapp.core.render.layout import Layout, finder_zone
from qrapp.core.render.symbol import Symbol
from qrapp.core.render.text import emit_caption

Paint = str | Gradient  # a hex colour, or a gradient spanning the symbol


# Each canvas fills the paths it made itself (an SvgPath, a PdfPath), hence generic.
_Path = TypeVar("_Path", bound=PathSink)


class VectorCanvas(Protocol[_Path]):
    def path(self) -> _Path:
        """A fresh path to append outlines to."""
        ...

    def fill(self, path: _Path, paint: Paint, even_odd: bool = False, crisp: bool = False) -> None:
        """Fill the path with a colour, or a gradient spanning the symbol."""
        ...

    def image(self, data: bytes, box: Box) -> None: ...


def visible_modules(symbol: Symbol, layout: Layout) -> np.ndarray:
    """Dark modules drawn as modules: not part of a finder, not behind the logo."""
    visible: np.ndarray = symbol.dark & ~finder_zone(symbol.size) & ~layout.cleared
    return visible


def eye_paints(design: Design) -> tuple[Paint, Paint]:
    base: Paint = design.gradient or design.foreground
    return design.eyes.frame_color or base, design.eyes.ball_color or base


def draw_scene(canvas: VectorCanvas[_Path], symbol: Symbol, design: Design, layout: Layout) -> None:
    for shape, colour in layout.frame_shapes:
        _fill_shapes(canvas, [shape], colour)
    if layout.caption is not None:
        path = canvas.path()
        emit_caption(path, layout.caption.text, layout.caption.box)
        canvas.fill(path, layout.caption.color)

    x0, y0 = layout.symbol_x, layout.symbol_y
    modules = visible_modules(symbol, layout)
    paint: Paint = design.gradient or design.foreground
    path = canvas.path()
    if design.modules in CONTOUR_RADII:
        emit_outlines(path, trace_outlines(modules), CONTOUR_RADII[design.modules], x0, y0)
    else:
        for shape in module_shapes(design.modules, modules, x0, y0):
            emit_shape(path, shape)
    canvas.fill(path, paint, crisp=design.modules == "square")

    frame_paint, ball_paint = eye_paints(design)
    rings, balls = [], []
    for (row, col), corner in zip(symbol.finder_origins(), CENTRE_CORNERS, strict=True):
        ring, ball = eye_shapes(design.eyes.frame, design.eyes.ball, x0 + col, y0 + row, corner)
        rings.append(ring)
        balls.append(ball)
    _fill_shapes(canvas, rings, frame_paint, even_odd=True)
    _fill_shapes(canvas, balls, ball_paint)

    if design.logo is not None and layout.logo_box is not None:
        canvas.image(design.logo.image, layout.logo_box)


def _fill_shapes(
    canvas: VectorCanvas[_Path], shapes: Sequence[Shape], paint: Paint, even_odd: bool = False
) -> None:
    path = canvas.path()
    for shape in shapes:
        emit_shape(path, shape)
    canvas.fill(path, paint, even_odd=even_odd)
