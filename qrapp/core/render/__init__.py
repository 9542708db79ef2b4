"""Rendering: payload + Design -> SVG, PNG, PDF or EPS bytes, or a Pillow image.

    render("https://example.com", design, "png", size=1024)          -> bytes
    render(payloads.parse("wifi", data), {"modules": "dots"}, "svg") -> bytes
    render(text, design, "pdf", width_mm=50, dpi=300)                -> print-ready PDF
    ready = prepare(text, design)   # encode + lay out once, then render(ready, ...) per
                                    # format and scannability.check(ready) for the verdict
    render_image(text, design, size=410)                              -> PIL image

`design` is a Design, its JSON-like dict (validated here), or None for the classic
black-on-white code; PRESETS holds named starting points. Bad input raises PayloadError
(DesignError for design fields) with a message per field.
"""

from dataclasses import dataclass
from typing import Any, Literal

from PIL import Image

from qrapp.core.payloads import Payload, PayloadError
from qrapp.core.render.design import Design, DesignError
from qrapp.core.render.layout import Layout, make_layout
from qrapp.core.render.pdf import render_eps, render_pdf
from qrapp.core.render.png import render_png
from qrapp.core.render.presets import PRESETS, preset
from qrapp.core.render.raster import rasterise_code, rasterise_picture
from qrapp.core.render.svg import render_svg
from qrapp.core.render.symbol import Symbol, build_symbol

Format = Literal["png", "svg", "pdf", "eps"]
FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "eps")
MIN_SIZE, MAX_SIZE = 64, 8192
DEFAULT_SIZE, DEFAULT_DPI = 1024, 300

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_SIZE",
    "FORMATS",
    "PRESETS",
    "Design",
    "DesignError",
    "Format",
    "Prepared",
    "prepare",
    "preset",
    "render",
    "render_image",
]


@dataclass(frozen=True, eq=False)
class Prepared:
    """Everything format-independent: computed once when a code goes to several formats."""

    text: str
    design: Design
    symbol: Symbol
    layout: Layout


def _text(payload: str | Payload) -> tuple[str, str | None]:
    if isinstance(payload, Payload):
        return payload.encode(), payload.preferred_error
    if isinstance(payload, str):
        return payload, None
    raise PayloadError({"payload": "Expected text or a payload model."})


def prepare(payload: str | Payload, design: Design | dict[str, Any] | None = None) -> Prepared:
    """Encode and lay out a code; raises PayloadError (or DesignError) on bad input."""
    text, preferred = _text(payload)
    checked = Design.parse(design)
    level = max(checked.effective_error, preferred or "L", key="LMQH".index)
    symbol = build_symbol(text, level)
    return Prepared(text, checked, symbol, make_layout(symbol, checked))


def _check_size(size: int) -> int:
    if not isinstance(size, int) or not MIN_SIZE <= size <= MAX_SIZE:
        raise PayloadError({"size": f"Size must be {MIN_SIZE} to {MAX_SIZE} pixels."})
    return size


def render_image(
    payload: str | Payload | Prepared,
    design: Design | dict[str, Any] | None = None,
    size: int = DEFAULT_SIZE,
) -> Image.Image:
    """The code as a Pillow image `size` pixels wide (whole pixels per module)."""
    ready = payload if isinstance(payload, Prepared) else prepare(payload, design)
    return rasterise_code(ready.symbol, ready.design, ready.layout, _check_size(size))


def render(
    payload: str | Payload | Prepared,
    design: Design | dict[str, Any] | None = None,
    fmt: Format = "png",
    *,
    size: int = DEFAULT_SIZE,
    dpi: int = DEFAULT_DPI,
    width_mm: float | None = None,
) -> bytes:
    """The code as file bytes.

    `size` is the width in pixels (PNG, and the SVG's nominal size); PDF and EPS pages are
    size/dpi inches wide. For print, give `width_mm` instead: PDF and EPS are then exactly
    that wide and a PNG gets the pixels that width needs at `dpi` (with the DPI recorded).
    """
    ready = payload if isinstance(payload, Prepared) else prepare(payload, design)
    if not isinstance(dpi, int) or not 36 <= dpi <= 2400:
        raise PayloadError({"dpi": "DPI must be 36 to 2400."})
    if width_mm is not None:
        if not 5 <= width_mm <= 2000:
            raise PayloadError({"width_mm": "Print width must be 5 to 2000 mm."})
        size = round(width_mm / 25.4 * dpi)
    _check_size(size)
    width_pt = width_mm / 25.4 * 72 if width_mm is not None else size / dpi * 72
    if fmt == "png":
        # The picture is encoded and dropped here: its arrays may be scratch ones.
        picture = rasterise_picture(ready.symbol, ready.design, ready.layout, size, True)
        return render_png(picture.image, dpi, picture.pixels)
    if fmt == "svg":
        return render_svg(ready.symbol, ready.design, ready.layout, size)
    if fmt in ("pdf", "eps"):
        writer = render_pdf if fmt == "pdf" else render_eps
        return writer(ready.symbol, ready.design, ready.layout, width_pt)
    raise PayloadError({"format": f"Format must be one of {', '.join(FORMATS)}."})
