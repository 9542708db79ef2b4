"""Shapes in module units, shared by the vector writers (SVG, PDF) and the rasteriser.

A shape is plain data (`Box` with rounded corners, `Circle`, `Polygon`); `Ring` is an
outer shape minus an inner one (the finder frames). Module outlines for the connected
styles are traced as contours of the union of dark modules, so vector output has no
hairline seams between neighbouring modules and only exposed corners are rounded.
"""

from dataclasses import dataclass
from typing import Protocol

import numpy as np

# Exposed-corner radius (in modules) per connected style: (top-left, top-right,
# bottom-right, bottom-left). "classy" rounds only two opposite corners.
CONTOUR_RADII: dict[str, tuple[float, float, float, float]] = {
    "square": (0, 0, 0, 0),
    "rounded": (0.35, 0.35, 0.35, 0.35),
    "extra-rounded": (0.5, 0.5, 0.5, 0.5),
    "classy": (0.5, 0, 0.5, 0),
}
DOT_RADIUS = 0.45  # slightly under half a module: separate dots read as dots
BAR_WIDTH = 0.8  # vertical/horizontal bars leave a 0.2 module gap between lanes


@dataclass(frozen=True)
class Box:
    """A rectangle whose flagged corners (tl, tr, br, bl) are rounded with radius r."""

    x: float
    y: float
    w: float
    h: float
    r: float = 0.0
    corners: tuple[bool, bool, bool, bool] = (True, True, True, True)


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float


@dataclass(frozen=True)
class Polygon:
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Ring:
    outer: "Shape"
    inner: "Shape"


Shape = Box | Circle | Polygon | Ring


class PathSink(Protocol):
    """Receives outlines; `corner` is a clockwise quarter arc of radius r ending at (x, y)."""

    def move(self, x: float, y: float) -> None: ...
    def line(self, x: float, y: float) -> None: ...
    def corner(self, r: float, x: float, y: float) -> None: ...
    def curve(self, x1: float, y1: float, x2: float, y2: float, x: float, y: float) -> None: ...
    def circle(self, cx: float, cy: float, r: float) -> None: ...
    def close(self) -> None: ...


def emit_shape(sink: PathSink, shape: Shape) -> None:
    """Append a shape's outline to a path (rings rely on the even-odd fill rule)."""
    if isinstance(shape, Ring):
        emit_shape(sink, shape.outer)
        emit_shape(sink, shape.inner)
    elif isinstance(shape, Circle):
        sink.circle(shape.cx, shape.cy, shape.r)
    elif isinstance(shape, Polygon):
        first, *rest = shape.points
        sink.move(*first)
        for point in rest:
            sink.line(*point)
        sink.close()
    else:
        _emit_box(sink, shape)


def _emit_box(sink: PathSink, box: Box) -> None:
    tl, tr, br, bl = (box.r if flag else 0.0 for flag in box.corners)
    x0, y0, x1, y1 = box.x, box.y, box.x + box.w, box.y + box.h
    sink.move(x0 + tl, y0)
    sink.line(x1 - tr, y0)
    if tr:
        sink.corner(tr, x1, y0 + tr)
    sink.line(x1, y1 - br)
    if br:
        sink.corner(br, x1 - br, y1)
    sink.line(x0 + bl, y1)
    if bl:
        sink.corner(bl, x0, y1 - bl)
    sink.line(x0, y0 + tl)
    if tl:
        sink.corner(tl, x0 + tl, y0)
    sink.close()


# --- module outlines -------------------------------------------------------------------


def _boundary_edges(dark: np.ndarray, stride: int) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Unit boundary edges of the dark region, oriented with the dark side on the right.

    Vertices are numbered y * stride + x. Returns start -> end for ordinary vertices and
    start -> [ends] for "pinch" vertices, where two regions touch only diagonally.
    """
    padded = np.pad(dark, 1)
    core = padded[1:-1, 1:-1]
    sides = (
        (~padded[:-2, 1:-1], (0, 0), (1, 0)),  # top edge, left to right
        (~padded[1:-1, 2:], (1, 0), (1, 1)),  # right edge, top to bottom
        (~padded[2:, 1:-1], (1, 1), (0, 1)),  # bottom edge, right to left
        (~padded[1:-1, :-2], (0, 1), (0, 0)),  # left edge, bottom to top
    )
    starts, ends = [], []
    for open_side, (sx, sy), (ex, ey) in sides:
        rows, cols = np.nonzero(core & open_side)
        starts.append((rows + sy) * stride + cols + sx)
        ends.append((rows + ey) * stride + cols + ex)
    start = np.concatenate(starts)
    end = np.concatenate(ends)
    values, counts = np.unique(start, return_counts=True)
    pinched: dict[int, list[int]] = {}
    if (counts > 1).any():
        is_pinch = np.isin(start, values[counts > 1])
        for s, e in zip(start[is_pinch].tolist(), end[is_pinch].tolist(), strict=True):
            pinched.setdefault(s, []).append(e)
        start, end = start[~is_pinch], end[~is_pinch]
    return dict(zip(start.tolist(), end.tolist(), strict=True)), pinched


Corner = tuple[int, int, int, int, int, int, int]  # x, y, kind, in dx, in dy, out dx, out dy


def trace_outlines(dark: np.ndarray) -> list[list[Corner]]:
    """Closed outlines of the dark region as corner lists, clockwise on screen.

    kind is 0..3 for a convex corner (tl, tr, br, bl) and -1 for a concave one; the unit
    directions into and out of the corner come with it. Where two regions touch only
    diagonally, the outline turns right, so the regions stay separate shapes.
    """
    stride = dark.shape[1] + 1
    following, pinched = _boundary_edges(dark, stride)
    unit = {1: (1, 0), -1: (-1, 0), stride: (0, 1), -stride: (0, -1)}
    right_turn = {1: stride, stride: -1, -1: -stride, -stride: 1}
    kinds = {(-stride, 1): 0, (1, stride): 1, (stride, -1): 2, (-1, -stride): 3}
    loops: list[list[Corner]] = []
    while following or pinched:
        if following:
            start, target = following.popitem()
        else:
            start = next(iter(pinched))
            target = pinched[start].pop()
            if not pinched[start]:
                del pinched[start]
        first = step = target - start
        point = target
        turns: list[tuple[int, int, int]] = []  # (vertex, in step, out step)
        while point != start:
            if point in following:
                target = following.pop(point)
            else:  # a pinch vertex: keep to the right-hand region
                options = pinched[point]
                target = point + right_turn[step]
                if target not in options:
                    target = options[0]
                options.remove(target)
                if not options:
                    del pinched[point]
            new_step = target - point
            if new_step != step:
                turns.append((point, step, new_step))
            step, point = new_step, target
        if step != first:
            turns.append((start, step, first))
        loops.append(
            [
                (v % stride, v // stride, kinds.get((a, b), -1), *unit[a], *unit[b])
                for v, a, b in turns
            ]
        )
    return loops


def emit_outlines(
    sink: PathSink,
    loops: list[list[Corner]],
    radii: tuple[float, float, float, float],
    dx: float = 0.0,
    dy: float = 0.0,
) -> None:
    """Append traced outlines, rounding convex corners by `radii` (per corner kind)."""
    if not any(radii):
        for loop in loops:
            x, y = loop[0][0], loop[0][1]
            sink.move(x + dx, y + dy)
            for x, y, *_ in loop[1:]:
                sink.line(x + dx, y + dy)
            sink.close()
        return
    for loop in loops:
        x, y, kind, _ix, _iy, ox, oy = loop[0]
        r = radii[kind] if kind >= 0 else 0.0
        sink.move(x + dx + ox * r, y + dy + oy * r)
        for x, y, kind, ix, iy, ox, oy in [*loop[1:], loop[0]]:
            r = radii[kind] if kind >= 0 else 0.0
            sink.line(x + dx - ix * r, y + dy - iy * r)
            if r:
                sink.corner(r, x + dx + ox * r, y + dy + oy * r)
        sink.close()


def module_shapes(style: str, dark: np.ndarray, dx: float = 0, dy: float = 0) -> list[Shape]:
    """The separate shapes of the non-contour styles (dots and bars), in module units,
    with the symbol's top-left module at (dx, dy)."""
    if style == "dots":
        rows, cols = np.nonzero(dark)
        return [
            Circle(c + 0.5 + dx, r + 0.5 + dy, DOT_RADIUS)
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
        ]
    vertical = style == "vertical"
    grid = dark.T if vertical else dark
    shapes: list[Shape] = []
    inset = (1 - BAR_WIDTH) / 2
    for lane, row in enumerate(grid):
        padded = np.concatenate(([0], row.astype(np.int8), [0]))
        change = np.flatnonzero(np.diff(padded))
        for start, stop in zip(change[::2].tolist(), change[1::2].tolist(), strict=True):
            length = stop - start
            if vertical:
                box = Box(lane + inset + dx, start + dy, BAR_WIDTH, length, BAR_WIDTH / 2)
            else:
                box = Box(start + dx, lane + inset + dy, length, BAR_WIDTH, BAR_WIDTH / 2)
            shapes.append(box)
    return shapes


# --- finder patterns ("eyes") ------------------------------------------------------------

# Which corner of each finder (top-left, top-right, bottom-left, as Symbol.finder_origins
# lists them) faces the symbol's centre, in tl/tr/br/bl numbering.
CENTRE_CORNERS = (2, 3, 1)
_FRAME_RADII = {"square": 0.0, "rounded": 2.0, "extra-rounded": 3.0, "circle": 3.5, "leaf": 3.0}
_BALL_RADII = {"square": 0.0, "rounded": 0.9, "circle": 1.5, "leaf": 1.5}


def _away_from_centre(corner: int) -> tuple[bool, bool, bool, bool]:
    """Corner flags rounding every corner but `corner` (the one facing the symbol centre)."""
    flags = [True, True, True, True]
    flags[corner] = False
    return flags[0], flags[1], flags[2], flags[3]


def eye_shapes(frame: str, ball: str, x: float, y: float, centre_corner: int) -> tuple[Ring, Shape]:
    """The finder frame (a 7x7 ring) and ball (3x3) with top-left at (x, y)."""
    corners = _away_from_centre(centre_corner) if frame == "leaf" else (True,) * 4
    if frame == "circle":
        ring = Ring(Circle(x + 3.5, y + 3.5, 3.5), Circle(x + 3.5, y + 3.5, 2.5))
    else:
        r = _FRAME_RADII[frame]
        ring = Ring(Box(x, y, 7, 7, r, corners), Box(x + 1, y + 1, 5, 5, max(r - 1, 0), corners))
    if ball == "diamond":
        cx, cy = x + 3.5, y + 3.5
        # A slightly oversized diamond keeps the ball's dark area close to the 3x3 square.
        d = 1.95
        ball_shape: Shape = Polygon(((cx, cy - d), (cx + d, cy), (cx, cy + d), (cx - d, cy)))
    elif ball == "circle":
        ball_shape = Circle(x + 3.5, y + 3.5, 1.5)
    else:
        ball_corners = _away_from_centre(centre_corner) if ball == "leaf" else (True,) * 4
        ball_shape = Box(x + 2, y + 2, 3, 3, _BALL_RADII[ball], ball_corners)
    return ring, ball_shape
