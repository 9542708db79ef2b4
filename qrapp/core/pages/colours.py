"""Theme colours turned into a palette that keeps WCAG AA contrast (4.5:1 for text).

The author picks background, text and button colours; a combination that would be hard
to read is corrected at render (text falls back to black or white) and reported by
`contrast_warnings` so the builder can say why.
"""

import re

from qrapp.core.pages.document import Theme

AA = 4.5
_HEX = re.compile(r"^#[0-9a-f]{6}$")
_DARK, _LIGHT = "#111111", "#ffffff"


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lower()
    if not _HEX.match(value):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, share_of_b: float) -> str:
    ra, rb = _rgb(a), _rgb(b)
    return "#" + "".join(
        f"{round(x + (y - x) * share_of_b):02x}" for x, y in zip(ra, rb, strict=True)
    )


def readable_on(background: str) -> str:
    """Near-black or white, whichever reads better on `background`."""
    return _DARK if contrast(_DARK, background) >= contrast(_LIGHT, background) else _LIGHT


def palette(theme: Theme) -> dict[str, str]:
    """CSS colour values for the page; every text/background pair meets AA."""
    bg = theme.background.lower()
    fg = theme.text.lower() if contrast(theme.text.lower(), bg) >= AA else readable_on(bg)
    accent = theme.accent.lower()
    surface = mix(bg, fg, 0.06)
    muted = mix(fg, bg, 0.3)
    if contrast(muted, surface) < AA:
        muted = fg
    link = accent if contrast(accent, bg) >= AA and contrast(accent, surface) >= AA else fg
    return {
        "bg": bg,
        "fg": fg,
        "muted": muted,
        "surface": surface,
        "border": mix(bg, fg, 0.18),
        "accent": accent,
        "on_accent": readable_on(accent),
        "link": link,
    }


def contrast_warnings(theme: Theme) -> list[str]:
    """What the renderer had to correct, in words for the page author."""
    warnings = []
    if contrast(theme.text, theme.background) < AA:
        warnings.append(
            "The text colour is hard to read on the background; the page uses "
            f"{readable_on(theme.background)} instead."
        )
    if contrast(theme.accent, theme.background) < AA:
        warnings.append(
            "The button colour is faint on the background: links and outline buttons use "
            "the text colour instead."
        )
    return warnings
