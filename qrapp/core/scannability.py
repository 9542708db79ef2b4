"""Will it scan? Decode the rendered code with a real decoder and explain the risks.

The verdict comes from three kinds of evidence:
- zxing-cpp must read the exact encoded text at the rendered size and at 8 pixels per
  module (where its 8x8 binariser blocks line up with the modules), and should still
  read it at about 2 pixels per module with a light blur (a small print, a far phone);
- colour contrast between every foreground colour and the background (WCAG formula);
- the share of modules hidden by the logo against the error-correction budget.
A design whose image does not decode is always `fail`; so is one with two or more risks.

    check(text_or_payload_or_prepared, design) -> Verdict(level, reasons, decoded_text, ...)
    render_checked(text, design, "png", size=512) -> (png bytes, Verdict)
    check_image(png_bytes) -> Verdict            (for files: the CLI's `qrapp qr check`)
"""

import io
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import zxingcpp
from PIL import Image, ImageFilter, UnidentifiedImageError

from qrapp.core.payloads import Payload, PayloadError
from qrapp.core.render import (
    DEFAULT_DPI,
    DEFAULT_SIZE,
    Format,
    Prepared,
    prepare,
    render,
    render_image,
)
from qrapp.core.render.design import Design, rgb
from qrapp.core.render.layout import finder_zone

Level = Literal["ok", "warn", "fail"]
_RANK = {"ok": 0, "warn": 1, "fail": 2}
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)

CHECK_PX_PER_MODULE = 10
BLOCK_PX = 8  # ZXing's binariser block size
SMALL_PX_PER_MODULE = 2
MIN_CONTRAST, GOOD_CONTRAST = 2.5, 4.0
# Share of codewords each level can restore (ISO/IEC 18004 table 13, approximately).
_COLOUR_FIELDS = ("foreground", "background", "gradient", "eyes.frame_color", "eyes.ball_color")
_STYLE_FIELDS = ("modules", "eyes.frame", "eyes.ball", "logo.size")
RECOVERY = {"L": 0.07, "M": 0.15, "Q": 0.25, "H": 0.30}


@dataclass(frozen=True)
class Verdict:
    level: Level
    reasons: tuple[str, ...]
    decoded_text: str | None
    metrics: dict[str, float] = field(default_factory=dict)
    # Design fields to change to improve the verdict, so a designer can point at them.
    fields: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.level == "ok"


class _Findings:
    def __init__(self) -> None:
        self.level: Level = "ok"
        self.reasons: list[str] = []
        self.metrics: dict[str, float] = {}
        self.risks = 0
        self.fields: list[str] = []

    def add(
        self, level: Level, reason: str, fields: tuple[str, ...] = (), risk: bool = True
    ) -> None:
        self.reasons.append(reason)
        self.fields += [name for name in fields if name not in self.fields]
        self.risks += level == "warn" and risk
        if _RANK[level] > _RANK[self.level]:
            self.level = level

    def verdict(self, decoded: str | None) -> Verdict:
        if self.level == "warn" and self.risks >= 2:
            # Each risk alone leaves a margin; together they eat it: the property tests
            # found such designs reading at one scale and not at a nearby one.
            self.add("fail", "Several risks together make this design unreliable; fix one.")
        if not self.reasons:
            self.reasons.append("Scans cleanly, also when printed small.")
        fields = tuple(self.fields)
        return Verdict(self.level, tuple(self.reasons), decoded, dict(self.metrics), fields)


def decode(image: Image.Image) -> str | None:
    """Text of the first QR code zxing-cpp finds in the image, or None."""
    results = zxingcpp.read_barcodes(
        _grey(image),
        formats=_QR_ONLY,
        try_rotate=False,
        text_mode=zxingcpp.TextMode.Plain,
    )
    return results[0].text if results else None


def _grey(image: Image.Image) -> Image.Image:
    """Greyscale as a phone sees it; transparency shows the white paper behind."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L")
    return image if image.mode == "L" else image.convert("L")


def _small_and_blurred(image: Image.Image, px_per_module: float) -> Image.Image:
    factor = SMALL_PX_PER_MODULE / px_per_module
    width, height = (max(16, round(side * factor)) for side in image.size)
    small = _grey(image).resize((width, height), Image.Resampling.BOX)
    return small.filter(ImageFilter.GaussianBlur(0.5))


def _luminance(colour: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(dark: tuple[int, int, int], light: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio (1 to 21) of two colours; >1 when `dark` is darker."""
    return (_luminance(light) + 0.05) / (_luminance(dark) + 0.05)


def _foreground_colours(design: Design) -> list[str]:
    colours = [stop.color for stop in design.gradient.stops] if design.gradient else []
    colours = colours or [design.foreground]
    colours += [c for c in (design.eyes.frame_color, design.eyes.ball_color) if c]
    return colours


def _check_colours(design: Design, findings: _Findings) -> None:
    # Banner and box frames paint the background colour behind the code even when the
    # canvas is transparent; otherwise a transparent code is judged on white paper.
    on_paper = design.transparent_background and design.frame.style in ("none", "pill")
    background = (255, 255, 255) if on_paper else rgb(design.background)
    ratios = [contrast_ratio(rgb(colour), background) for colour in _foreground_colours(design)]
    worst = min(ratios)
    if worst < 1:
        findings.add(
            "warn",
            "The code is light on a dark background; some phone scanners cannot read "
            "inverted codes. Use a dark foreground on a light background.",
            _COLOUR_FIELDS,
        )
        worst = 1 / max(ratios)
    findings.metrics["contrast"] = round(worst, 2)
    if worst < MIN_CONTRAST:
        findings.add(
            "fail",
            f"Colour contrast is too low ({worst:.1f}:1); make the foreground darker or "
            f"the background lighter (aim for {GOOD_CONTRAST:.0f}:1 or more).",
            _COLOUR_FIELDS,
        )
    elif worst < GOOD_CONTRAST:
        findings.add(
            "warn",
            f"Colour contrast is low ({worst:.1f}:1); older phones and dim light may "
            f"struggle. Aim for {GOOD_CONTRAST:.0f}:1 or more.",
            _COLOUR_FIELDS,
        )
    eye_colours = [c for c in (design.eyes.frame_color, design.eyes.ball_color) if c]
    eye_worst = min((contrast_ratio(rgb(c), background) for c in eye_colours), default=21.0)
    if 1 <= eye_worst < GOOD_CONTRAST and worst >= MIN_CONTRAST:
        # Scanners find a code by its three eyes before reading anything else; the
        # property tests found low-contrast eyes failing where equally pale modules pass.
        findings.add(
            "fail",
            f"The corner eyes have too little contrast ({eye_worst:.1f}:1) for scanners to "
            f"find the code reliably; give them {GOOD_CONTRAST:.0f}:1 or more.",
            ("eyes.frame_color", "eyes.ball_color", "background"),
        )
    if on_paper:
        findings.add(
            "ok",
            "Transparent background: checked as if printed on white; make sure whatever "
            "is behind it is light and plain.",
            ("transparent_background",),
            risk=False,
        )


def _check_logo(ready: Prepared, findings: _Findings) -> None:
    if ready.design.logo is None:
        return
    n = ready.symbol.size
    hidden = int(ready.layout.cleared.sum())
    share = hidden / (n * n - int(finder_zone(n).sum()))
    budget = RECOVERY[ready.symbol.error]
    use = share / budget
    findings.metrics["logo_share"] = round(share, 4)
    findings.metrics["logo_budget_use"] = round(use, 3)
    if use > 0.9:
        findings.add(
            "fail",
            f"The logo hides {share:.0%} of the code, more than error correction "
            f"{ready.symbol.error} can restore ({budget:.0%}); make the logo smaller.",
            ("logo.size", "logo.margin"),
        )
    elif use > 0.6:
        findings.add(
            "warn",
            f"The logo uses {use:.0%} of the error-correction budget, leaving little room "
            "for smudges or glare; a smaller logo is safer.",
            ("logo.size", "logo.margin"),
        )


def _check_layout(ready: Prepared, findings: _Findings) -> None:
    quiet = ready.design.quiet_zone
    if quiet < 2:
        findings.add(
            "warn",
            f"The quiet zone is {quiet} modules; scanners need a clear margin, so keep at "
            "least 2 (4 is the standard) or print on a plain area.",
            ("quiet_zone",),
        )


def _check_decoding(ready: Prepared, size: int, findings: _Findings) -> str | None:
    width = ready.layout.width
    ppm = max(1, size // width)
    findings.metrics["px_per_module"] = float(ppm)
    image = _grey(render_image(ready, size=size))
    decoded = decode(image)
    if decoded is None:
        findings.add(
            "fail", "A scanner could not read this design; simplify the style.", _STYLE_FIELDS
        )
        return None
    if decoded != ready.text:
        findings.add("fail", "A scanner read different content than what was encoded.")
        return decoded
    # ZXing's binariser (zxing-cpp here, and many Android scanner apps) works in 8x8
    # pixel blocks; when modules line up with the blocks, marginal designs stop reading
    # (measured: dim backgrounds fail at exactly 8, 16 and 24 px per module). A phone
    # passes through such scales as it moves, so this is checked as well.
    aligned = image if ppm == BLOCK_PX else _grey(render_image(ready, size=width * BLOCK_PX))
    if aligned is not image and decode(aligned) != ready.text:
        findings.add(
            "fail",
            "Some scanners miss it at certain distances; raise the contrast (a lighter "
            "background or darker foreground) or simplify the style.",
            _COLOUR_FIELDS + _STYLE_FIELDS,
        )
    elif decode(_small_and_blurred(aligned, BLOCK_PX)) != ready.text:
        findings.add(
            "warn",
            "It does not read when printed small or seen from afar; print it larger or use "
            "a simpler module style or smaller logo.",
            ("modules", "logo.size"),
        )
    return decoded


def check(
    payload: str | Payload | Prepared,
    design: Design | dict[str, Any] | None = None,
    *,
    size: int | None = None,
) -> Verdict:
    """Render the design (at `size` px, default 10 px per module) and judge it."""
    ready = payload if isinstance(payload, Prepared) else prepare(payload, design)
    findings = _Findings()
    size = size or ready.layout.width * CHECK_PX_PER_MODULE
    decoded = _check_decoding(ready, size, findings)
    _check_colours(ready.design, findings)
    _check_logo(ready, findings)
    _check_layout(ready, findings)
    return findings.verdict(decoded)


def render_checked(
    payload: str | Payload | Prepared,
    design: Design | dict[str, Any] | None = None,
    fmt: Format = "png",
    *,
    size: int = DEFAULT_SIZE,
    dpi: int = DEFAULT_DPI,
) -> tuple[bytes, Verdict]:
    """The file and its verdict from one encoding: what a designer preview or a
    download that refuses unscannable designs needs."""
    ready = payload if isinstance(payload, Prepared) else prepare(payload, design)
    return render(ready, fmt=fmt, size=size, dpi=dpi), check(ready)


def check_image(data: bytes | Image.Image, expected_text: str | None = None) -> Verdict:
    """Judge an existing image file (PNG, JPEG, WebP...): decoding, small-size and contrast."""
    if isinstance(data, Image.Image):
        image = data
    else:
        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, OSError):
            raise PayloadError({"file": "Not an image this checker can read."}) from None
    findings = _Findings()
    grey = _grey(image)
    results = zxingcpp.read_barcodes(grey, formats=_QR_ONLY, text_mode=zxingcpp.TextMode.Plain)
    if not results:
        findings.add("fail", "A scanner could not read this image.")
        return findings.verdict(None)
    decoded = results[0].text
    if expected_text is not None and decoded != expected_text:
        findings.add("fail", "A scanner read different content than expected.")
    pixels = np.asarray(grey, dtype=np.float32)
    dark, light = np.percentile(pixels, [2, 98])
    ratio = contrast_ratio((int(dark),) * 3, (int(light),) * 3)
    findings.metrics["contrast"] = round(ratio, 2)
    if ratio < MIN_CONTRAST:
        findings.add("fail", f"Contrast is too low ({ratio:.1f}:1).")
    elif ratio < GOOD_CONTRAST:
        findings.add("warn", f"Contrast is low ({ratio:.1f}:1); aim for 4:1 or more.")
    ppm = _px_per_module(results[0])
    if ppm:
        findings.metrics["px_per_module"] = round(ppm, 2)
        if ppm > SMALL_PX_PER_MODULE and decode(_small_and_blurred(grey, ppm)) != decoded:
            findings.add("warn", "It does not read when printed small or seen from afar.")
    return findings.verdict(decoded)


def _px_per_module(result: Any) -> float | None:
    """Module size from the decoder's corner points and the symbol version it reports."""
    version = str(result.extra.get("Version", ""))
    if not version.isdigit():
        return None
    position = result.position
    width = abs(position.top_right.x - position.top_left.x)
    return width / (17 + 4 * int(version)) or None
