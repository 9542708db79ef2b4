"""Rasteriser: a Symbol + Design + Layout -> Pillow image at whole pixels per module.

Two paths: without a gradient (and with a logo whose colours fit in the palette) the
image is a palette image built as an index array (palette.py: what the design fixes is
made once per design and size), which is fast and makes small PNGs; otherwise RGB(A)
compositing with Pillow. Square-only designs skip anti-aliasing entirely: drawn at one
pixel per module and scaled with NEAREST.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw

from qrapp.core.render import palette
from qrapp.core.render.design import Design, Gradient, rgb
from qrapp.core.render.geometry import CENTRE_CORNERS
from qrapp.core.render.gradient import gradient_image
from qrapp.core.render.layout import Layout, finder_zone
from qrapp.core.render.logo import fitted_logo
from qrapp.core.render.palette import TRANSPARENT, Layer, ModulesSpot, PlacedLogo
from qrapp.core.render.scratch import scratch
from qrapp.core.render.stamps import eye_stamps, module_coverage, rasterise
from qrapp.core.render.symbol import Symbol
from qrapp.core.render.text import font_size, pillow_font
from qrapp.core.render.vector import eye_paints, visible_modules


@dataclass(frozen=True)
class Placement:
    scale: int  # pixels per module
    left: int  # pixels of padding that make the image exactly the requested width
    top: int
    width: int
    height: int


def placement(layout: Layout, size: int) -> Placement:
    scale = max(1, size // layout.width)
    pad = max(0, size - scale * layout.width)
    return Placement(
        scale, pad // 2, pad // 2, scale * layout.width + pad, scale * layout.height + pad
    )


def _background(design: Design) -> str:
    return TRANSPARENT if design.transparent_background else design.background


def _is_plain(design: Design) -> bool:
    return (
        design.modules == "square"
        and design.eyes.frame == "square"
        and design.eyes.ball == "square"
        and design.gradient is None
        and design.logo is None
        and design.frame.style == "none"
    )


class Picture(NamedTuple):
    image: Image.Image
    # The array the image was made from, when there is one: the PNG writer reads it
    # directly (Pillow's tobytes costs ~1.4 ms per megapixel).
    pixels: np.ndarray | None = None


def rasterise_code(symbol: Symbol, design: Design, layout: Layout, size: int) -> Image.Image:
    """The code as a Pillow image (mode P, RGB or RGBA) about `size` pixels wide."""
    return rasterise_picture(symbol, design, layout, size).image


def rasterise_picture(
    symbol: Symbol, design: Design, layout: Layout, size: int, transient: bool = False
) -> Picture:
    """rasterise_code, with the image's pixel array where it was built as one.
    `transient`: the caller drops the picture before it asks for another in this thread,
    so its pixels may live in a reused scratch array (scratch.py)."""
    place = placement(layout, size)
    if _is_plain(design):
        return Picture(_plain(symbol, design, layout, place))
    if design.gradient is None:
        # The key holds all the base depends on: the layout follows from the design and
        # the symbol's size, the pixels from the layout and the placement.
        key = (design, symbol.size, place)
        base = palette.cached_base(
            key, place.width * place.height, lambda: _palette_base(symbol, design, layout, place)
        )
        if base is not None:
            out = scratch("indices", (place.height, place.width)) if transient else None
            index = palette.paint_indices(base, visible_modules(symbol, layout), out)
            return Picture(palette.as_image(base, index), index)
    layers = [
        *_under_layers(design, layout, place),
        _modules_layer(symbol, design, layout, place),
        *_eye_layers(symbol, design, layout, place),
    ]
    logo = _logo(design, layout, place)
    s = place.scale
    box = (place.left + layout.symbol_x * s, place.top + layout.symbol_y * s, symbol.size * s)
    return Picture(_rgb_image(layers, logo, design, place, box))


# --- plain: one pixel per module, then NEAREST -------------------------------------------


def _plain(symbol: Symbol, design: Design, layout: Layout, place: Placement) -> Image.Image:
    n = symbol.size
    frame_colour, ball_colour = eye_paints(design)
    grid = symbol.dark.astype(np.uint8)
    zone = finder_zone(n)
    balls = np.zeros_like(zone)
    for row, col in symbol.finder_origins():
        balls[row + 2 : row + 5, col + 2 : col + 5] = True
    grid[zone & symbol.dark] = 2
    grid[balls & symbol.dark] = 3
    colours = [_background(design), design.foreground, str(frame_colour), str(ball_colour)]
    used = 4 if len({*colours[1:]}) > 1 else 2
    if used == 2:
        grid[grid > 1] = 1
    quiet = layout.symbol_x
    block = np.pad(grid, quiet)
    image = Image.fromarray(block, "P").resize(
        (block.shape[1] * place.scale, block.shape[0] * place.scale), Image.Resampling.NEAREST
    )
    if place.left:
        canvas = Image.new("P", (place.width, place.height), 0)
        canvas.paste(image, (place.left, place.top))
        image = canvas
    entries = [(c, 255) if c != TRANSPARENT else ("#000000", 0) for c in colours[:used]]
    flat: list[int] = []
    for colour, _alpha in entries:
        flat.extend(rgb(colour))
    image.putpalette(flat)
    alphas = [alpha for _colour, alpha in entries]
    if any(alpha < 255 for alpha in alphas):
        image.info["transparency"] = bytes(alphas)
    return image


# --- layers, in painting order: frame and caption, modules, eyes; then the logo ----------


def _under_layers(design: Design, layout: Layout, place: Placement) -> list[Layer]:
    s = place.scale
    under = _background(design)
    layers: list[Layer] = []
    for shape, colour in layout.frame_shapes:
        cover = rasterise([shape], layout.width, layout.height, s)
        layers.append(Layer(cover, place.left, place.top, colour, under))
        under = colour
    if layout.caption is not None:
        caption_under = _background(design) if design.frame.style == "box" else design.frame.color
        layers.append(_caption_layer(layout, place, caption_under))
    return layers


def _symbol_origin(layout: Layout, place: Placement) -> tuple[int, int]:
    return place.left + layout.symbol_x * place.scale, place.top + layout.symbol_y * place.scale


def _modules_layer(symbol: Symbol, design: Design, layout: Layout, place: Placement) -> Layer:
    x0, y0 = _symbol_origin(layout, place)
    coverage = module_coverage(design.modules, visible_modules(symbol, layout), place.scale)
    return Layer(coverage, x0, y0, design.gradient or design.foreground, _background(design))


def _eye_layers(symbol: Symbol, design: Design, layout: Layout, place: Placement) -> list[Layer]:
    s, bg = place.scale, _background(design)
    x0, y0 = _symbol_origin(layout, place)
    frame_paint, ball_paint = eye_paints(design)
    layers: list[Layer] = []
    for (row, col), corner in zip(symbol.finder_origins(), CENTRE_CORNERS, strict=True):
        frame_mask, ball_mask = eye_stamps(design.eyes.frame, design.eyes.ball, corner, s)
        ex, ey = x0 + col * s, y0 + row * s
        layers.append(Layer(frame_mask, ex, ey, frame_paint, bg))
        layers.append(Layer(ball_mask, ex, ey, ball_paint, bg))
    return layers


def _caption_layer(layout: Layout, place: Placement, under: str) -> Layer:
    caption = layout.caption
    assert caption is not None
    s = place.scale
    box = caption.box
    x, y = place.left + round(box.x * s), place.top + round(box.y * s)
    w, h = max(1, round(box.w * s)), max(1, round(box.h * s))
    mask = Image.new("L", (w, h), 0)
    font = pillow_font(max(4, round(font_size(caption.text, box) * s)))
    ImageDraw.Draw(mask).text((w / 2, h / 2), caption.text, fill=255, font=font, anchor="mm")
    return Layer(np.asarray(mask), x, y, caption.color, under)


def _logo(design: Design, layout: Layout, place: Placement) -> PlacedLogo | None:
    if design.logo is None or layout.logo_box is None:
        return None
    box, s = layout.logo_box, place.scale
    fit = (int(box.w * s), int(box.h * s))
    image = fitted_logo(design.logo.image, *fit)
    x = place.left + round((box.x + box.w / 2) * s - image.width / 2)
    y = place.top + round((box.y + box.h / 2) * s - image.height / 2)
    return PlacedLogo(image, x, y, fit, design.logo.image)


# --- palette composition (palette.py) ---------------------------------------------------


def _palette_base(
    symbol: Symbol, design: Design, layout: Layout, place: Placement
) -> palette.PaletteBase | None:
    """Everything but the modules; depends on the symbol only through its size."""
    assert design.gradient is None
    x0, y0 = _symbol_origin(layout, place)
    spot = ModulesSpot(x0, y0, design.modules, place.scale, design.foreground, _background(design))
    return palette.build_base(
        place.width,
        place.height,
        _background(design),
        _under_layers(design, layout, place),
        spot,
        _eye_layers(symbol, design, layout, place),
        _logo(design, layout, place),
    )


# --- RGB(A) composition -----------------------------------------------------------------


def _rgb_image(
    layers: list[Layer],
    logo: PlacedLogo | None,
    design: Design,
    place: Placement,
    symbol_box: tuple[int, int, int],
) -> Image.Image:
    """Composite layers over the background; gradients span symbol_box (x, y, side)."""
    transparent = design.transparent_background
    mode = "RGBA" if transparent else "RGB"
    fill = (0, 0, 0, 0) if transparent else rgb(design.background)
    canvas = Image.new(mode, (place.width, place.height), fill)
    gradients: dict[Gradient, Image.Image] = {}
    for layer in layers:
        h, w = layer.coverage.shape
        mask = Image.fromarray(layer.coverage, "L")
        if isinstance(layer.ink, Gradient):
            gx, gy, side = symbol_box
            if layer.ink not in gradients:  # once per call: big ones are not cached
                gradients[layer.ink] = gradient_image(layer.ink, side)
            full = gradients[layer.ink]
            dx, dy = layer.x - gx, layer.y - gy
            ink = full.crop((dx, dy, dx + w, dy + h))
        else:
            ink = Image.new("RGB", (w, h), rgb(layer.ink))
        if transparent:
            ink = ink.convert("RGBA")
            ink.putalpha(mask)
            canvas.alpha_composite(ink, (layer.x, layer.y))
        else:
            canvas.paste(ink, (layer.x, layer.y), mask)
    if logo is not None:
        image, x, y = logo.image, logo.x, logo.y
        if transparent:
            canvas.alpha_composite(image, (x, y))
        else:
            canvas.paste(image, (x, y), image)
    return canvas
