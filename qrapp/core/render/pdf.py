"""Vector PDF (and EPS) writer: paths in module units, native gradients, embedded logo.

Written by hand rather than through a PDF library: a code is a few filled paths, so the
file stays small, fast to produce and identical on every machine. Captions are glyph
outlines, so no font is embedded and none can be substituted.
"""

import io
import itertools
import math
import zlib
from functools import lru_cache
from typing import cast

from PIL import Image

from qrapp.core.render.design import Design, Gradient, rgb
from qrapp.core.render.geometry import Box
from qrapp.core.render.layout import Layout
from qrapp.core.render.svg import linear_ends
from qrapp.core.render.symbol import Symbol
from qrapp.core.render.vector import Paint, draw_scene

_KAPPA = 0.5522847498  # cubic Bezier handle length for a quarter circle of radius 1
# Paths are written in integer thousandths of a module (far finer than any printer) and
# scaled back with a transform: formatting integers is several times faster than floats.
_MILLI = 1000
_TO_MILLI = {"pdf": "q 0.001 0 0 0.001 0 0 cm", "eps": "gsave 0.001 0.001 scale"}
_FROM_MILLI = {"pdf": "1000 0 0 1000 0 0 cm", "eps": "1000 1000 scale"}
_END = {"pdf": "Q", "eps": "grestore"}


def _n(value: float) -> str:
    # 1/1000 module is far below any printer's resolution; repr of a rounded float is
    # the shortest exact text and much faster than format-and-strip.
    rounded = round(value, 3)
    whole = int(rounded)
    return str(whole) if rounded == whole else repr(rounded)


class PdfPath:
    """PDF/PostScript path operators; `ops` names the dialect's move/line/curve/close."""

    def __init__(self, ops: tuple[str, str, str, str] = ("m", "l", "c", "h")) -> None:
        self.parts: list[str] = []
        self.ops = ops
        self.x = self.y = 0.0

    def move(self, x: float, y: float) -> None:
        self.parts.append(f"{round(x * _MILLI)} {round(y * _MILLI)} {self.ops[0]}")
        self.x, self.y = x, y

    def line(self, x: float, y: float) -> None:
        if (x, y) != (self.x, self.y):
            self.parts.append(f"{round(x * _MILLI)} {round(y * _MILLI)} {self.ops[1]}")
        self.x, self.y = x, y

    def curve(self, x1: float, y1: float, x2: float, y2: float, x: float, y: float) -> None:
        m = _MILLI
        self.parts.append(
            f"{round(x1 * m)} {round(y1 * m)} {round(x2 * m)} {round(y2 * m)}"
            f" {round(x * m)} {round(y * m)} {self.ops[2]}"
        )
        self.x, self.y = x, y

    def corner(self, r: float, x: float, y: float) -> None:  # noqa: ARG002 - PathSink API
        # Clockwise (screen) quarter arc: the corner point is where the tangents meet.
        sx, sy = self.x, self.y
        dx, dy = x - sx, y - sy
        # The corner vertex lies along the start tangent, which is horizontal or vertical.
        cx, cy = (x, sy) if _starts_horizontal(dx, dy) else (sx, y)
        k = _KAPPA
        self.curve(sx + (cx - sx) * k, sy + (cy - sy) * k, x + (cx - x) * k, y + (cy - y) * k, x, y)

    def circle(self, cx: float, cy: float, r: float) -> None:
        k = r * _KAPPA
        self.move(cx + r, cy)
        self.curve(cx + r, cy + k, cx + k, cy + r, cx, cy + r)
        self.curve(cx - k, cy + r, cx - r, cy + k, cx - r, cy)
        self.curve(cx - r, cy - k, cx - k, cy - r, cx, cy - r)
        self.curve(cx + k, cy - r, cx + r, cy - k, cx + r, cy)
        self.close()

    def close(self) -> None:
        self.parts.append(self.ops[3])

    def data(self) -> str:
        return "\n".join(self.parts)


def _starts_horizontal(dx: float, dy: float) -> bool:
    # A clockwise turn: moving right then down, down then left, left then up, up then right.
    return (dx > 0) == (dy > 0)


class _PdfCanvas:
    def __init__(self, gradient_box: Box, dialect: str = "pdf") -> None:
        self.dialect = dialect
        self.ops: list[str] = []
        self.gradient_box = gradient_box
        self.shadings: list[Gradient] = []
        self.images: list[bytes] = []

    def path(self) -> PdfPath:
        return PdfPath(("m", "l", "c", "h") if self.dialect == "pdf" else ("M", "L", "C", "Z"))

    def fill(
        self,
        path: PdfPath,
        paint: Paint,
        even_odd: bool = False,
        crisp: bool = False,  # noqa: ARG002 - VectorCanvas API: crisp edges are an SVG hint
    ) -> None:
        if not path.parts:
            return
        pdf = self.dialect == "pdf"
        begin, end = _TO_MILLI[self.dialect], _END[self.dialect]
        if isinstance(paint, str):
            r, g, b = (channel / 255 for channel in rgb(paint))
            colour = f"{_n(r)} {_n(g)} {_n(b)} {'rg' if pdf else 'setrgbcolor'}"
            fill = ("f*" if even_odd else "f") if pdf else ("eofill" if even_odd else "fill")
            self.ops.append(f"{colour}\n{begin}\n{path.data()}\n{fill}\n{end}")
            return
        if paint not in self.shadings:
            self.shadings.append(paint)
        index = self.shadings.index(paint)
        back = _FROM_MILLI[self.dialect]
        if pdf:
            clip = "W* n" if even_odd else "W n"
            paint_op = f"/Sh{index} sh"
        else:
            clip = "eoclip newpath" if even_odd else "clip newpath"
            paint_op = f"{_shading(paint, self.gradient_box)} shfill"
        self.ops.append(f"{begin}\n{path.data()}\n{clip}\n{back}\n{paint_op}\n{end}")

    def image(self, data: bytes, box: Box) -> None:
        _, _, width, height = _image_objects(data)
        ratio = min(box.w / width, box.h / height)
        w, h = width * ratio, height * ratio
        x, y = box.x + (box.w - w) / 2, box.y + (box.h - h) / 2
        self.images.append(data)
        index = len(self.images) - 1
        if self.dialect == "pdf":
            # The page is flipped (y down), so the image's unit square is flipped back.
            self.ops.append(f"q {_n(w)} 0 0 {_n(-h)} {_n(x)} {_n(y + h)} cm /Im{index} Do Q")
        else:
            with Image.open(io.BytesIO(data)) as source:
                self.ops.append(_ps_image(source.convert("RGBA"), x, y, w, h))


def _function(gradient: Gradient) -> str:
    """A PDF function for the stops: one interpolation, or several stitched together."""

    def colour(value: str) -> str:
        return " ".join(_n(c / 255) for c in rgb(value))

    stops = list(gradient.stops)
    if stops[0].offset > 0:
        stops.insert(0, stops[0].model_copy(update={"offset": 0.0}))
    if stops[-1].offset < 1:
        stops.append(stops[-1].model_copy(update={"offset": 1.0}))
    pieces = [
        f"<< /FunctionType 2 /Domain [0 1] /C0 [{colour(a.color)}] /C1 [{colour(b.color)}] /N 1 >>"
        for a, b in itertools.pairwise(stops)
    ]
    if len(pieces) == 1:
        return pieces[0]
    bounds = " ".join(_n(stop.offset) for stop in stops[1:-1])
    encode = " ".join("0 1" for _ in pieces)
    return (
        f"<< /FunctionType 3 /Domain [0 1] /Functions [{' '.join(pieces)}]"
        f" /Bounds [{bounds}] /Encode [{encode}] >>"
    )


def _coords(gradient: Gradient, box: Box) -> tuple[int, str]:
    if gradient.kind == "radial":
        cx, cy = box.x + box.w / 2, box.y + box.h / 2
        r = box.w / 2 * math.sqrt(2)
        return 3, f"{_n(cx)} {_n(cy)} 0 {_n(cx)} {_n(cy)} {_n(r)}"
    (x1, y1), (x2, y2) = linear_ends(gradient.angle, box)
    return 2, f"{_n(x1)} {_n(y1)} {_n(x2)} {_n(y2)}"


def _shading(gradient: Gradient, box: Box) -> str:
    kind, coords = _coords(gradient, box)
    return (
        f"<< /ShadingType {kind} /ColorSpace /DeviceRGB /Coords [{coords}]"
        f" /Function {_function(gradient)} /Extend [true true] >>"
    )


def _ps_image(image: Image.Image, x: float, y: float, w: float, h: float) -> str:
    # EPS has no soft masks: flatten the logo on white, as print does anyway.
    flat = Image.new("RGB", image.size, (255, 255, 255))
    flat.paste(image, (0, 0), image)
    data = flat.tobytes().hex()
    lines = "\n".join(data[i : i + 128] for i in range(0, len(data), 128))
    iw, ih = image.size
    return (
        f"gsave {_n(x)} {_n(y)} translate {_n(w)} {_n(h)} scale\n"
        f"{iw} {ih} 8 [{iw} 0 0 {ih} 0 0]\n{{currentfile {iw * 3} string readhexstring pop}}"
        f" false 3 colorimage\n{lines}\ngrestore"
    )


def _content(symbol: Symbol, design: Design, layout: Layout, dialect: str) -> _PdfCanvas:
    n = symbol.size
    canvas = _PdfCanvas(Box(layout.symbol_x, layout.symbol_y, n, n), dialect)
    if not design.transparent_background:
        path = canvas.path()
        path.move(0, 0)
        path.line(layout.width, 0)
        path.line(layout.width, layout.height)
        path.line(0, layout.height)
        path.close()
        canvas.fill(path, design.background)
    draw_scene(canvas, symbol, design, layout)
    return canvas


@lru_cache(maxsize=4)
def _image_objects(data: bytes) -> tuple[bytes, bytes | None, int, int]:
    """(RGB stream, alpha stream or None, width, height), both Flate-compressed.

    Cached per logo: bulk PDF jobs embed the same logo thousands of times."""
    with Image.open(io.BytesIO(data)) as source:
        image = source.convert("RGBA")
    alpha = image.getchannel("A")
    lowest = cast(int, alpha.getextrema()[0])  # one channel: (min, max) of ints
    has_alpha = lowest < 255
    rgb_bytes = zlib.compress(image.convert("RGB").tobytes(), 6)
    alpha_bytes = zlib.compress(alpha.tobytes(), 6) if has_alpha else None
    return rgb_bytes, alpha_bytes, image.width, image.height


def render_pdf(symbol: Symbol, design: Design, layout: Layout, width_pt: float) -> bytes:
    """A one-page PDF exactly the code's size, in vector form."""
    canvas = _content(symbol, design, layout, "pdf")
    scale = width_pt / layout.width
    height_pt = layout.height * scale
    # Flip to a y-down page in module units, the coordinates the scene is drawn in.
    body = f"{_n(scale)} 0 0 {_n(-scale)} 0 {_n(height_pt)} cm\n" + "\n".join(canvas.ops)
    stream = zlib.compress(body.encode("ascii"), 3)

    objects: list[bytes] = []

    def add(obj: bytes) -> int:
        objects.append(obj)
        return len(objects)

    add(b"<< /Type /Catalog /Pages 2 0 R >>")
    add(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(b"")  # page, filled in once the resources have numbers
    content = add(
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
    )
    shadings = []
    for gradient in canvas.shadings:
        # Shadings are painted with `sh` inside the flipped space: coordinates in modules.
        shadings.append(add(_shading(gradient, canvas.gradient_box).encode("ascii")))
    images = []
    for data in canvas.images:
        rgb_stream, alpha_stream, w, h = _image_objects(data)
        smask = ""
        if alpha_stream is not None:
            alpha_id = add(
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
                b" /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
                % (w, h, len(alpha_stream))
                + alpha_stream
                + b"\nendstream"
            )
            smask = f" /SMask {alpha_id} 0 R"
        images.append(
            add(
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB"
                b" /BitsPerComponent 8 /Filter /FlateDecode /Length %d%s >>\nstream\n"
                % (w, h, len(rgb_stream), smask.encode())
                + rgb_stream
                + b"\nendstream"
            )
        )
    resources = ""
    if shadings:
        resources += (
            " /Shading << " + " ".join(f"/Sh{i} {o} 0 R" for i, o in enumerate(shadings)) + " >>"
        )
    if images:
        resources += (
            " /XObject << " + " ".join(f"/Im{i} {o} 0 R" for i, o in enumerate(images)) + " >>"
        )
    objects[2] = (
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_n(width_pt)} {_n(height_pt)}]"
        f" /Resources <<{resources} >> /Contents {content} 0 R >>"
    ).encode("ascii")

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def render_eps(symbol: Symbol, design: Design, layout: Layout, width_pt: float) -> bytes:
    """Encapsulated PostScript (level 3 for gradients), for print shops that ask for it."""
    canvas = _content(symbol, design, layout, "eps")
    scale = width_pt / layout.width
    height_pt = layout.height * scale
    head = (
        "%!PS-Adobe-3.0 EPSF-3.0\n"
        f"%%BoundingBox: 0 0 {math.ceil(width_pt)} {math.ceil(height_pt)}\n"
        f"%%HiResBoundingBox: 0 0 {_n(width_pt)} {_n(height_pt)}\n"
        "%%LanguageLevel: 3\n%%Pages: 1\n%%EndComments\n"
        "/M {moveto} bind def /L {lineto} bind def /C {curveto} bind def /Z {closepath} bind def\n"
        f"0 {_n(height_pt)} translate {_n(scale)} {_n(-scale)} scale\n"
    )
    return (head + "\n".join(canvas.ops) + "\nshowpage\n%%EOF\n").encode("ascii")
