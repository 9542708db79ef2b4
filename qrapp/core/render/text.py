"""Frame captions in the shipped font, so every machine draws the same letters.

PNG text goes through Pillow's FreeType; SVG and PDF get the glyph outlines as paths
(read with fontTools), so no viewer needs the font and nothing is substituted.
"""

from functools import lru_cache
from pathlib import Path

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from PIL import ImageFont

from qrapp.core.render.geometry import Box, PathSink

FONT_PATH = Path(__file__).resolve().parents[3] / "assets" / "fonts" / "Manrope-Bold.ttf"
_FILL = 0.86  # share of the caption box width the text may take
_HEIGHT = 0.5  # font size as a share of the caption box height


@lru_cache(maxsize=1)
def _font() -> TTFont:
    return TTFont(FONT_PATH, lazy=True)


@lru_cache(maxsize=1)
def supported_characters() -> frozenset[str]:
    return frozenset(chr(code) for code in _font().getBestCmap())


@lru_cache(maxsize=32)
def pillow_font(pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), pixels)


def _advance(text: str) -> int:
    """Width of `text` in font units (advance widths; the caption font has no kerning need)."""
    font = _font()
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    return sum(metrics[cmap.get(ord(ch), ".notdef")][0] for ch in text)


def font_size(text: str, box: Box) -> float:
    """Font size (in the box's units) that fits the text in its caption box."""
    units: int = _font()["head"].unitsPerEm  # fontTools has no type information
    width = _advance(text) / units
    return min(box.h * _HEIGHT, box.w * _FILL / max(width, 1e-6))


def baseline(box: Box, size: float) -> float:
    """Baseline that centres the font's ascender-to-descender span in the box."""
    hhea = _font()["hhea"]
    units: int = _font()["head"].unitsPerEm
    ascent: int = hhea.ascent
    descent: int = hhea.descent
    return box.y + box.h / 2 + (ascent + descent) / 2 / units * size


class _SinkPen(BasePen):  # type: ignore[misc]  # fontTools has no type information
    """fontTools pen that writes glyph outlines into a PathSink, flipping y (fonts grow up)."""

    def __init__(self, glyphs: object, sink: PathSink, x: float, y: float, scale: float) -> None:
        super().__init__(glyphs)
        self.sink, self.x, self.y, self.scale = sink, x, y, scale

    def _p(self, point: tuple[float, float]) -> tuple[float, float]:
        return self.x + point[0] * self.scale, self.y - point[1] * self.scale

    def _moveTo(self, pt: tuple[float, float]) -> None:  # noqa: N802 - fontTools API
        self.sink.move(*self._p(pt))

    def _lineTo(self, pt: tuple[float, float]) -> None:  # noqa: N802
        self.sink.line(*self._p(pt))

    def _curveToOne(  # noqa: N802
        self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]
    ) -> None:
        self.sink.curve(*self._p(p1), *self._p(p2), *self._p(p3))

    def _closePath(self) -> None:  # noqa: N802
        self.sink.close()


def emit_caption(sink: PathSink, text: str, box: Box) -> None:
    """Append the caption's glyph outlines, centred in `box`, to a path."""
    font = _font()
    size = font_size(text, box)
    scale = size / font["head"].unitsPerEm
    x = box.x + (box.w - _advance(text) * scale) / 2
    y = baseline(box, size)
    glyphs, cmap, metrics = font.getGlyphSet(), font.getBestCmap(), font["hmtx"].metrics
    for ch in text:
        name = cmap.get(ord(ch), ".notdef")
        glyphs[name].draw(_SinkPen(glyphs, sink, x, y, scale))
        x += metrics[name][0] * scale
