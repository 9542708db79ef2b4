"""SVG writer: compact paths in module units, gradients, embedded logo, outlined caption."""

import base64
import io
import math
from xml.sax.saxutils import quoteattr

from PIL import Image

from qrapp.core.render.design import Design, Gradient
from qrapp.core.render.geometry import Box
from qrapp.core.render.layout import Layout
from qrapp.core.render.symbol import Symbol
from qrapp.core.render.vector import Paint, draw_scene


def num(value: float) -> str:
    """Shortest faithful text for a coordinate (3 decimals are ~1/1000 module)."""
    if value == int(value):
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


class SvgPath:
    """Path data with absolute commands, H/V for the axis-aligned lines most outlines are."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.x = self.y = 0.0

    def move(self, x: float, y: float) -> None:
        self.parts.append(f"M{num(x)} {num(y)}")
        self.x, self.y = x, y

    def line(self, x: float, y: float) -> None:
        if y == self.y:
            if x != self.x:
                self.parts.append(f"H{num(x)}")
        elif x == self.x:
            self.parts.append(f"V{num(y)}")
        else:
            self.parts.append(f"L{num(x)} {num(y)}")
        self.x, self.y = x, y

    def corner(self, r: float, x: float, y: float) -> None:
        self.parts.append(f"A{num(r)} {num(r)} 0 0 1 {num(x)} {num(y)}")
        self.x, self.y = x, y

    def curve(self, x1: float, y1: float, x2: float, y2: float, x: float, y: float) -> None:
        self.parts.append(f"C{num(x1)} {num(y1)} {num(x2)} {num(y2)} {num(x)} {num(y)}")
        self.x, self.y = x, y

    def circle(self, cx: float, cy: float, r: float) -> None:
        d = num(2 * r)
        rr = num(r)
        self.parts.append(f"M{num(cx - r)} {num(cy)}a{rr} {rr} 0 1 0 {d} 0a{rr} {rr} 0 1 0 -{d} 0")
        self.x, self.y = cx - r, cy

    def close(self) -> None:
        self.parts.append("Z")

    def data(self) -> str:
        return "".join(self.parts)


class _SvgCanvas:
    def __init__(self, gradient_box: Box) -> None:
        self.body: list[str] = []
        self.defs: list[str] = []
        self.gradient_box = gradient_box
        self.gradient_ids: dict[Gradient, str] = {}

    def path(self) -> SvgPath:
        return SvgPath()

    def fill(
        self, path: SvgPath, paint: Paint, even_odd: bool = False, crisp: bool = False
    ) -> None:
        data = path.data()
        if not data:
            return
        fill = paint if isinstance(paint, str) else f"url(#{self._gradient(paint)})"
        rule = ' fill-rule="evenodd"' if even_odd else ""
        crisp_attr = ' shape-rendering="crispEdges"' if crisp else ""
        self.body.append(f'<path fill="{fill}"{rule}{crisp_attr} d="{data}"/>')

    def image(self, data: bytes, box: Box) -> None:
        mime, payload = _embeddable(data)
        href = f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"
        self.body.append(
            f'<image x="{num(box.x)}" y="{num(box.y)}" width="{num(box.w)}" height="{num(box.h)}"'
            f' preserveAspectRatio="xMidYMid meet" href={quoteattr(href)}/>'
        )

    def _gradient(self, gradient: Gradient) -> str:
        if gradient in self.gradient_ids:
            return self.gradient_ids[gradient]
        ident = f"g{len(self.gradient_ids)}"
        self.gradient_ids[gradient] = ident
        box = self.gradient_box
        stops = "".join(
            f'<stop offset="{num(stop.offset)}" stop-color="{stop.color}"/>'
            for stop in gradient.stops
        )
        cx, cy = box.x + box.w / 2, box.y + box.h / 2
        if gradient.kind == "radial":
            r = num(box.w / 2 * math.sqrt(2))
            self.defs.append(
                f'<radialGradient id="{ident}" gradientUnits="userSpaceOnUse" cx="{num(cx)}"'
                f' cy="{num(cy)}" r="{r}">{stops}</radialGradient>'
            )
        else:
            (x1, y1), (x2, y2) = linear_ends(gradient.angle, box)
            self.defs.append(
                f'<linearGradient id="{ident}" gradientUnits="userSpaceOnUse" x1="{num(x1)}"'
                f' y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}">{stops}</linearGradient>'
            )
        return ident


def linear_ends(angle: float, box: Box) -> tuple[tuple[float, float], tuple[float, float]]:
    """Gradient line through the box centre, long enough to span the box at that angle."""
    rad = math.radians(angle)
    dx, dy = math.cos(rad), math.sin(rad)
    half = (abs(box.w * dx) + abs(box.h * dy)) / 2
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    return (cx - dx * half, cy - dy * half), (cx + dx * half, cy + dy * half)


def _embeddable(data: bytes) -> tuple[str, bytes]:
    """PNG and JPEG go in as they are; anything else is converted to PNG for viewers."""
    if data.startswith(b"\x89PNG"):
        return "image/png", data
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg", data
    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.convert("RGBA").save(out, "PNG")
    return "image/png", out.getvalue()


def render_svg(symbol: Symbol, design: Design, layout: Layout, size: int) -> bytes:
    n = symbol.size
    canvas = _SvgCanvas(Box(layout.symbol_x, layout.symbol_y, n, n))
    if not design.transparent_background:
        canvas.body.append(
            f'<rect width="{layout.width}" height="{layout.height}" fill="{design.background}"/>'
        )
    draw_scene(canvas, symbol, design, layout)
    height = size * layout.height / layout.width
    defs = f"<defs>{''.join(canvas.defs)}</defs>" if canvas.defs else ""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{num(height)}"'
        f' viewBox="0 0 {layout.width} {layout.height}" role="img" aria-label="QR code">'
    )
    return (head + defs + "".join(canvas.body) + "</svg>\n").encode("utf-8")
