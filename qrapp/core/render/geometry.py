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

_RIGHT_TURN = {(1, 0): (0, 1), (0, 1): (-1, 0), (-1, 0): (0, -1), (0, -1): (1, 0)}
# Convex corner kind by (incoming, outgoing) direction, for a clockwise outline.
_CORNER_INDEX = {
    ((0, -1), (1, 0)): 0,  # up then right: top-left
    ((1, 0), (0, 1)): 1,  # right then down: top-right
    ((0, 1), (-1, 0)): 2,  # down then left: bottom-right
    ((-1, 0), (0, -1)): 3,  # left then up: bottom-left
}


def _boundary_edges(dark: np.ndarray) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Unit boundary edges of the dark region, oriented with the dark side on the right."""
    padded = np.pad(dark, 1)
    core = padded[1:-1, 1:-1]
    edges: dict[tuple[int, int], list[tuple[int, int]]] = {}
    sides = (
        (~padded[:-2, 1:-1], (0, 0), (1, 0)),  # top edge, left to right
        (~padded[1:-1, 2:], (1, 0), (1, 1)),  # right edge, top to bottom
        (~padded[2:, 1:-1], (1, 1), (0, 1)),  # bottom edge, right to left
        (~padded[1:-1, :-2], (0, 1), (0, 0)),  # left edge, bottom to top
    )
    for open_side, (sx, sy), (ex, ey) in sides:
        rows, cols = np.nonzero(core & open_side)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            edges.setdefault((col + sx, row + sy), []).append((col + ex, row + ey))
    return edges


def trace_outlines(dark: np.ndarray) -> list[list[tuple[int, int, int]]]:
    """Closed outlines of the dark region as corner lists [(x, y, kind)], clockwise.

    kind is 0..3 for a convex corner (tl, tr, br, bl) and -1 for a concave one. Where two
    regions touch only diagonally, the outline turns right so the regions stay separate.
    """
    edges = _boundary_edges(dark)
    loops: list[list[tuple[int, int, int]]] = []
    while edges:
        start = next(iter(edges))
        point, direction = start, None
        corners: list[tuple[int, int, int]] = []
        while True:
            targets = edges.get(point)
            if not targets:
                break
            target = targets[0]
            if len(targets) > 1 and direction is not None:
                turn = _RIGHT_TURN[direction]
                target = next(t for t in targets if (t[0] - point[0], t[1] - point[1]) == turn)
            targets.remove(target)
            if not targets:
                del edges[point]
            step = (target[0] - point[0], target[1] - point[1])
            if step != direction and direction is not None:
                corners.append((*point, _CORNER_INDEX.get((direction, step), -1)))
            direction, point = step, target
        if corners:
            # Close: the turn at the start point, from the last step into the first one.
            first_step = (corners[0][0] - start[0], corners[0][1] - start[1])
            first_dir = (int(np.sign(first_step[0])), int(np.sign(first_step[1])))
            if first_dir != direction:
                corners.insert(0, (*start, _CORNER_INDEX.get((direction, first_dir), -1)))
            loops.append(corners)
    return loops


def emit_outlines(
    sink: PathSink,
    loops: list[list[tuple[int, int, int]]],
    radii: tuple[float, float, float, float],
    dx: float = 0.0,
    dy: float = 0.0,
) -> None:
    """Append traced outlines, rounding convex corners by `radii` (per corner kind)."""
    for loop in loops:
        count = len(loop)
        for index in range(count + 1):
            x, y, kind = loop[index % count]
            nx, ny, _ = loop[(index + 1) % count]
            px, py, _ = loop[index - 1]
            r = radii[kind] if kind >= 0 else 0.0
            ix, iy = _unit(x - px, y - py)
            ox, oy = _unit(nx - x, ny - y)
            if index == 0:
                sink.move(x + dx + ox * r, y + dy + oy * r)
                continue
            sink.line(x + dx - ix * r, y + dy - iy * r)
            if r:
                sink.corner(r, x + dx + ox * r, y + dy + oy * r)
        sink.close()


def _unit(dx: int, dy: int) -> tuple[int, int]:
    return (dx > 0) - (dx < 0), (dy > 0) - (dy < 0)


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
