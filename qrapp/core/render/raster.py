"""Rasteriser: a Symbol + Design + Layout -> Pillow image at whole pixels per module.

Two paths: without a gradient (and with a logo whose colours fit in the palette) the
image is a palette image built as an index array, which is fast and makes small PNGs;
otherwise RGB(A) compositing with Pillow. Square-only designs skip
anti-aliasing entirely: drawn at one pixel per module and scaled with NEAREST.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw

from qrapp.core.render.design import Design, Gradient, rgb
from qrapp.core.render.geometry import CENTRE_CORNERS
from qrapp.core.render.gradient import gradient_image
from qrapp.core.render.layout import Layout, finder_zone
from qrapp.core.render.logo import CACHED_PIXELS, fitted_logo
from qrapp.core.render.stamps import eye_stamps, module_coverage, rasterise
from qrapp.core.render.symbol import Symbol
from qrapp.core.render.text import font_size, pillow_font
from qrapp.core.render.vector import eye_paints, visible_modules

LEVELS = 15  # anti-aliasing levels per colour pair in palette images
TRANSPARENT = "transparent"


@dataclass(frozen=True)
class _Layer:
    coverage: np.ndarray  # uint8 0..255
    x: int
    y: int
    ink: str | Gradient
    under: str  # colour the layer is drawn over (for palette ramps), or TRANSPARENT


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


def rasterise_code(symbol: Symbol, design: Design, layout: Layout, size: int) -> Image.Image:
    """The code as a Pillow image (mode P, RGB or RGBA) about `size` pixels wide."""
    place = placement(layout, size)
    if _is_plain(design):
        return _plain(symbol, design, layout, place)
    layers = _layers(symbol, design, layout, place)
    logo = _logo(design, layout, place)
    if design.gradient is None:
        image = _palette_image(layers, logo, design, place)
        if image is not None:
            return image
    s = place.scale
    box = (place.left + layout.symbol_x * s, place.top + layout.symbol_y * s, symbol.size * s)
    return _rgb_image(layers, logo, design, place, box)


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
    _apply_palette(
        image, [(c, 255) if c != TRANSPARENT else ("#000000", 0) for c in colours[:used]]
    )
    return image


def _apply_palette(image: Image.Image, entries: list[tuple[str, int]]) -> None:
    flat: list[int] = []
    for colour, _alpha in entries:
        flat.extend(rgb(colour))
    image.putpalette(flat)
    alphas = [alpha for _colour, alpha in entries]
    if any(alpha < 255 for alpha in alphas):
        image.info["transparency"] = bytes(alphas)


# --- layers ----------------------------------------------------------------------------


def _layers(symbol: Symbol, design: Design, layout: Layout, place: Placement) -> list[_Layer]:
    s = place.scale
    bg = _background(design)
    layers: list[_Layer] = []
    under = bg
    for shape, colour in layout.frame_shapes:
        cover = rasterise([shape], layout.width, layout.height, s)
        layers.append(_Layer(cover, place.left, place.top, colour, under))
        under = colour
    if layout.caption is not None:
        caption_under = bg if design.frame.style == "box" else design.frame.color
        layers.append(_caption_layer(layout, place, caption_under))

    x0 = place.left + layout.symbol_x * s
    y0 = place.top + layout.symbol_y * s
    paint = design.gradient or design.foreground
    coverage = module_coverage(design.modules, visible_modules(symbol, layout), s)
    layers.append(_Layer(coverage, x0, y0, paint, bg))
    frame_paint, ball_paint = eye_paints(design)
    for (row, col), corner in zip(symbol.finder_origins(), CENTRE_CORNERS, strict=True):
        frame_mask, ball_mask = eye_stamps(design.eyes.frame, design.eyes.ball, corner, s)
        ex, ey = x0 + col * s, y0 + row * s
        layers.append(_Layer(frame_mask, ex, ey, frame_paint, bg))
        layers.append(_Layer(ball_mask, ex, ey, ball_paint, bg))
    return layers


def _caption_layer(layout: Layout, place: Placement, under: str) -> _Layer:
    caption = layout.caption
    assert caption is not None
    s = place.scale
    box = caption.box
    x, y = place.left + round(box.x * s), place.top + round(box.y * s)
    w, h = max(1, round(box.w * s)), max(1, round(box.h * s))
    mask = Image.new("L", (w, h), 0)
    font = pillow_font(max(4, round(font_size(caption.text, box) * s)))
    ImageDraw.Draw(mask).text((w / 2, h / 2), caption.text, fill=255, font=font, anchor="mm")
    return _Layer(np.asarray(mask), x, y, caption.color, under)


class _PlacedLogo(NamedTuple):
    image: Image.Image
    x: int
    y: int
    box: tuple[int, int]  # the pixel box it was fitted into (the cache key)


def _logo(design: Design, layout: Layout, place: Placement) -> _PlacedLogo | None:
    if design.logo is None or layout.logo_box is None:
        return None
    box, s = layout.logo_box, place.scale
    fit = (int(box.w * s), int(box.h * s))
    image = fitted_logo(design.logo.image, *fit)
    x = place.left + round((box.x + box.w / 2) * s - image.width / 2)
    y = place.top + round((box.y + box.h / 2) * s - image.height / 2)
    return _PlacedLogo(image, x, y, fit)


# --- palette composition ----------------------------------------------------------------


class _Palette:
    def __init__(self, background: str) -> None:
        self.entries: list[tuple[str, int]] = [
            ("#000000", 0) if background == TRANSPARENT else (background, 255)
        ]
        self.ramps: dict[tuple[str, str], int] = {}

    def ramp(self, under: str, ink: str) -> int:
        """Index of level 1 of the under -> ink ramp (levels 1..LEVELS follow it)."""
        key = (under, ink)
        if key not in self.ramps:
            self.ramps[key] = len(self.entries)
            for level in range(1, LEVELS + 1):
                self.entries.append(_mix(under, ink, level / LEVELS))
        return self.ramps[key]


@lru_cache(maxsize=4096)
def _mix(under: str, ink: str, t: float) -> tuple[str, int]:
    if under == TRANSPARENT:
        return ink, round(255 * t)
    a, b = rgb(under), rgb(ink)
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return f"#{r:02x}{g:02x}{bl:02x}", 255


def _palette_image(
    layers: list[_Layer],
    logo: _PlacedLogo | None,
    design: Design,
    place: Placement,
) -> Image.Image | None:
    """The image as palette indices, or None when the logo has too many colours for it."""
    palette = _Palette(_background(design))
    index = np.zeros((place.height, place.width), dtype=np.uint8)
    for layer in layers:
        assert isinstance(layer.ink, str)
        base = palette.ramp(layer.under, layer.ink) - 1
        h, w = layer.coverage.shape
        region = index[layer.y : layer.y + h, layer.x : layer.x + w]
        level = (layer.coverage.astype(np.uint16) * LEVELS + 127) // 255
        np.copyto(region, (level + base).astype(np.uint8), where=level > 0)
    if logo is not None and not _paste_logo_indices(index, palette, logo, design):
        return None
    image = Image.fromarray(index, "P")
    _apply_palette(image, palette.entries)
    return image


def _paste_logo_indices(
    index: np.ndarray, palette: _Palette, logo: _PlacedLogo, design: Design
) -> bool:
    spare = 256 - len(palette.entries)
    assert design.logo is not None
    background = _background(design)
    if logo.box[0] * logo.box[1] > CACHED_PIXELS:
        prepared = _logo_palette.__wrapped__(design.logo.image, *logo.box, background, spare)
    else:
        prepared = _logo_palette(design.logo.image, *logo.box, background, spare)
    x, y = logo.x, logo.y
    if prepared is None:
        return False
    indices, entries = prepared
    base = len(palette.entries)
    palette.entries.extend(entries)
    h, w = indices.shape
    region = index[y : y + h, x : x + w]
    np.copyto(region, (indices + base).astype(np.uint8), where=indices != _SEE_THROUGH)
    return True


_SEE_THROUGH = 255  # logo pixels that are fully transparent: the cleared area shows


@lru_cache(maxsize=16)
def _logo_palette(
    data: bytes, width: int, height: int, background: str, spare: int
) -> tuple[np.ndarray, list[tuple[str, int]]] | None:
    """The logo as palette indices (0-based) and entries, flattened onto the background,
    or None when it cannot be put in the palette's spare entries without visible change
    (photos, soft shadows): those are composited in RGB instead.
    Cached: bulk jobs put one logo on thousands of codes.
    """
    pixels = np.asarray(fitted_logo(data, width, height))
    alpha = pixels[..., 3]
    if background == TRANSPARENT:
        rgba = pixels.copy()
    else:
        # Flatten onto the background so semi-transparent edges become exact colours.
        bg = np.array(rgb(background), dtype=np.float32)
        a = alpha[..., None].astype(np.float32) / 255
        flat = (pixels[..., :3] * a + bg * (1 - a)).round().astype(np.uint8)
        rgba = np.dstack([flat, np.full_like(alpha, 255)])
    packed = np.ascontiguousarray(rgba).view(np.uint32).reshape(alpha.shape)
    colours, inverse = np.unique(packed, return_inverse=True)
    if len(colours) <= spare:
        entries = [_entry(value) for value in colours.view(np.uint8).reshape(-1, 4)]
        indices = inverse.reshape(alpha.shape).astype(np.uint8)
    else:
        reduced = _reduce_if_faithful(rgba, spare)
        if reduced is None:
            return None
        indices, entries = reduced
    indices = np.where(alpha > 0, indices, _SEE_THROUGH).astype(np.uint8)
    indices.setflags(write=False)
    return indices, entries


def _reduce_if_faithful(
    rgba: np.ndarray, colours: int
) -> tuple[np.ndarray, list[tuple[str, int]]] | None:
    """Reduce to `colours` entries when no pixel moves visibly (flat logos whose resampled
    edges add a few hundred near-duplicate colours); None for smooth images that band."""
    opaque = bool((rgba[..., 3] == 255).all())
    # Median cut is near-lossless on flat artwork but Pillow only offers it for RGB.
    source = Image.fromarray(rgba[..., :3] if opaque else rgba, "RGB" if opaque else "RGBA")
    method = Image.Quantize.MEDIANCUT if opaque else Image.Quantize.FASTOCTREE
    reduced = source.quantize(colours, method, dither=Image.Dither.NONE)
    error = np.abs(np.asarray(reduced.convert("RGBA"), dtype=np.int16) - rgba).max(axis=-1)
    if error.mean() > 1.0 or np.percentile(error, 99.5) > 8:
        return None
    table = reduced.getpalette("RGBA") or []
    if opaque:
        table = [v if k % 4 != 3 else 255 for k, v in enumerate(table)]
    entries = [_entry(table[k : k + 4]) for k in range(0, len(table), 4)][:colours]
    return np.asarray(reduced).astype(np.uint8), entries


def _entry(value: object) -> tuple[str, int]:
    r, g, b, a = (int(v) for v in value)  # type: ignore[attr-defined]
    return f"#{r:02x}{g:02x}{b:02x}", a


# --- RGB(A) composition -----------------------------------------------------------------


def _rgb_image(
    layers: list[_Layer],
    logo: _PlacedLogo | None,
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
        image, x, y, _box = logo
        if transparent:
            canvas.alpha_composite(image, (x, y))
        else:
            canvas.paste(image, (x, y), image)
    return canvas
