"""Palette images: a styled code as palette indices, with what its design fixes made once.

A code is layers of anti-aliased coverage painted in order: frame and caption, the
modules, the eyes, the logo. In a palette image each layer's coverage is quantised to
LEVELS steps of a ramp from the colour under it to its ink. Only the modules differ
between two codes of one design and symbol size; everything else (the palette, the
frame, the caption, the eyes, the logo) is a `PaletteBase`, kept in a small cache keyed
by the design, the symbol's size and the pixel placement. A bulk job's 10,000 codes with
one template build it once; each code then gathers its modules from index stamps.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import as_strided
from PIL import Image

from qrapp.core.render.design import Gradient, rgb
from qrapp.core.render.logo import CACHED_PIXELS, fitted_logo
from qrapp.core.render.scratch import scratch
from qrapp.core.render.stamps import LARGE_SCALE, coverage_stamps, neighbour_index

LEVELS = 15  # anti-aliasing levels per colour pair
TRANSPARENT = "transparent"
BASE_CACHE_SIZE = 8  # designs x symbol sizes x pixel widths a process keeps ready
BASE_CACHED_PIXELS = 2048 * 2048  # a frame's base holds one byte per pixel
_SEE_THROUGH = 255  # logo pixels that are fully transparent: the cleared area shows


@dataclass(frozen=True)
class Layer:
    coverage: np.ndarray  # uint8 0..255
    x: int
    y: int
    ink: str | Gradient
    under: str  # colour the layer is drawn over (for palette ramps), or TRANSPARENT


@dataclass(frozen=True)
class PlacedLogo:
    image: Image.Image
    x: int
    y: int
    box: tuple[int, int]  # the pixel box it was fitted into (the cache key)
    data: bytes  # the logo file, for the palette cache


@dataclass(frozen=True)
class ModulesSpot:
    """Where the modules go and how: top-left pixel, style, pixels per module, colours."""

    x: int
    y: int
    style: str
    scale: int
    ink: str
    under: str


@dataclass(frozen=True, eq=False)
class _Piece:
    """Ready-made indices painted over the modules (an eye, the logo) where `mask` is set."""

    x: int
    y: int
    values: np.ndarray
    mask: np.ndarray


@dataclass(frozen=True, eq=False)
class PaletteBase:
    width: int
    height: int
    under: np.ndarray | None  # indices of the frame and caption; None: all background
    modules: ModulesSpot
    first: int  # index of the modules' ramp level 1, minus 1
    over: tuple[_Piece, ...]
    palette: bytes  # RGB triplets
    transparency: bytes | None  # alpha per entry when any is below 255


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


def levels(coverage: np.ndarray) -> np.ndarray:
    """Coverage 0..255 quantised to ramp levels 0..LEVELS (0: the layer leaves it)."""
    return ((coverage.astype(np.uint16) * LEVELS + 127) // 255).astype(np.uint8)


def _indices(layer: Layer, palette: _Palette) -> tuple[np.ndarray, np.ndarray]:
    assert isinstance(layer.ink, str)
    first = palette.ramp(layer.under, layer.ink) - 1
    level = levels(layer.coverage)
    return (level + first).astype(np.uint8), level > 0


# --- the base: built once per design, symbol size and placement --------------------------


def build_base(
    width: int,
    height: int,
    background: str,
    under_layers: list[Layer],
    modules: ModulesSpot,
    over_layers: list[Layer],
    logo: PlacedLogo | None,
) -> PaletteBase | None:
    """The base of a palette image, or None when the logo has too many colours for it.
    Ramps are taken in painting order, so indices match a layer-by-layer composition."""
    palette = _Palette(background)
    under = None
    if under_layers:
        under = np.zeros((height, width), dtype=np.uint8)
        for layer in under_layers:
            values, mask = _indices(layer, palette)
            h, w = values.shape
            np.copyto(under[layer.y : layer.y + h, layer.x : layer.x + w], values, where=mask)
        under.setflags(write=False)
    first = palette.ramp(modules.under, modules.ink) - 1
    over = [_Piece(layer.x, layer.y, *_indices(layer, palette)) for layer in over_layers]
    if logo is not None:
        piece = _logo_piece(logo, palette, background)
        if piece is None:
            return None
        over.append(piece)
    flat = bytearray()
    for colour, _alpha in palette.entries:
        flat.extend(rgb(colour))
    alphas = bytes(alpha for _colour, alpha in palette.entries)
    transparency = alphas if any(alpha < 255 for alpha in alphas) else None
    return PaletteBase(
        width, height, under, modules, first, _merged(over), bytes(flat), transparency
    )


def _merged(pieces: list[_Piece]) -> tuple[_Piece, ...]:
    """Pieces at the same spot (an eye's frame, then its ball) as one, later ones on top."""
    merged: list[_Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last and (last.x, last.y, last.values.shape) == (piece.x, piece.y, piece.values.shape):
            values = np.where(piece.mask, piece.values, last.values)
            merged[-1] = _Piece(piece.x, piece.y, values, last.mask | piece.mask)
        else:
            merged.append(piece)
    return tuple(merged)


def _logo_piece(logo: PlacedLogo, palette: _Palette, background: str) -> _Piece | None:
    spare = 256 - len(palette.entries)
    if logo.box[0] * logo.box[1] > CACHED_PIXELS:
        prepared = _logo_palette.__wrapped__(logo.data, *logo.box, background, spare)
    else:
        prepared = _logo_palette(logo.data, *logo.box, background, spare)
    if prepared is None:
        return None
    indices, entries = prepared
    first = len(palette.entries)
    palette.entries.extend(entries)
    return _Piece(logo.x, logo.y, (indices + first).astype(np.uint8), indices != _SEE_THROUGH)


_bases: OrderedDict[Hashable, PaletteBase | None] = OrderedDict()
_bases_lock = threading.Lock()


def cached_base(
    key: Hashable, pixels: int, build: Callable[[], PaletteBase | None]
) -> PaletteBase | None:
    """The base for `key` (which must hold everything the base depends on: the design,
    the symbol's size, the placement), built by `build` when it is not kept yet.
    Print-size images are built each time: their bases are too big to keep."""
    if pixels > BASE_CACHED_PIXELS:
        return build()
    with _bases_lock:
        if key in _bases:
            _bases.move_to_end(key)
            return _bases[key]
    base = build()
    with _bases_lock:
        _bases[key] = base
        while len(_bases) > BASE_CACHE_SIZE:
            _bases.popitem(last=False)
    return base


def clear_cache() -> None:
    with _bases_lock:
        _bases.clear()


# --- per code: the modules -------------------------------------------------------------


@lru_cache(maxsize=32)
def _cached_index_stamps(style: str, scale: int, first: int) -> np.ndarray:
    return _index_stamps(style, scale, first)


def _index_stamps(style: str, scale: int, first: int) -> np.ndarray:
    """(17, scale, scale) palette indices of each module stamp (0 where it leaves the
    pixel as it was); stamp 16 is a light module."""
    if style == "square":  # full cells, as stamps.module_coverage draws them
        coverage = np.full((17, scale, scale), 255, dtype=np.uint8)
        coverage[16] = 0
    else:
        coverage = coverage_stamps(style, scale)
    level = levels(coverage)
    stamps = np.where(level > 0, level + first, 0).astype(np.uint8)
    stamps.setflags(write=False)
    return stamps


def paint(base: PaletteBase, modules: np.ndarray) -> Image.Image:
    """The palette image of a code whose visible dark modules are `modules` (n x n)."""
    return as_image(base, paint_indices(base, modules))


def paint_indices(
    base: PaletteBase, modules: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """The palette indices of that image (height x width), in `out` when given (a
    scratch array of that shape), else in a new read-only array."""
    if out is None:
        index = np.zeros((base.height, base.width), dtype=np.uint8)
    else:
        index = out
        index.fill(0)
    if base.under is not None:
        np.copyto(index, base.under)
    spot, n = base.modules, modules.shape[0]
    s = spot.scale
    if s <= LARGE_SCALE:
        stamps = _cached_index_stamps(spot.style, s, base.first)
    else:
        stamps = _index_stamps(spot.style, s, base.first)
    config = neighbour_index(modules)
    tiles = scratch("module tiles", (n, n, s, s)) if out is not None else None
    tiles = np.take(stamps, config, axis=0, out=tiles, mode="clip")  # (n, n, s, s)
    # The symbol's area of `index` seen as (module row, module col, pixel row, pixel col).
    corner = index[spot.y :, spot.x :]
    width = base.width
    cells = as_strided(corner, shape=(n, n, s, s), strides=(s * width, s, width, 1))
    if base.under is None:
        cells[...] = tiles  # the area is all background (0), and 0 in a stamp is too
    else:
        np.copyto(cells, tiles, where=tiles != 0)
    for piece in base.over:
        h, w = piece.values.shape
        area = index[piece.y : piece.y + h, piece.x : piece.x + w]
        np.copyto(area, piece.values, where=piece.mask)
    if out is None:
        index.setflags(write=False)  # the image made from it shares its memory
    return index


def as_image(base: PaletteBase, index: np.ndarray) -> Image.Image:
    image = Image.fromarray(index, "P")
    image.putpalette(base.palette)
    if base.transparency is not None:
        image.info["transparency"] = base.transparency
    return image


# --- the logo in the palette ---------------------------------------------------------


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
