"""The work done on an upload before anything is stored: images decoded and re-encoded
with Pillow (EXIF and GPS gone, orientation applied, pixel floods refused, responsive
sizes and WebP made), PDFs opened and their first page rendered by poppler's pdftoppm.
Each function raises UploadRefused with a message fit to show, or returns the variants."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from qrapp.services.errors import ServiceError

WIDTHS = (480, 960, 1920)
JPEG_QUALITY = 82
WEBP_QUALITY = 78
WEBP_METHOD = 1  # 0 (fastest) .. 6; 2+ takes twice as long for a few per cent smaller
ORIENTATION = 0x0112
PDF_TIMEOUT_SECONDS = 20
THUMB_WIDTH = 480


class UploadRefused(ServiceError):
    """The upload was refused; nothing was stored."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


@dataclass(frozen=True)
class Variant:
    name: str  # "original", "w480", "w480.webp", "thumb"
    data: bytes
    content_type: str
    width: int = 0
    height: int = 0


def megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:,.0f}"


def image_variants(data: bytes, *, max_pixels: int) -> list[Variant]:
    """The re-encoded original (JPEG, or PNG when it has transparency) and, for each of
    WIDTHS narrower than it, a resized copy in that format and in WebP."""
    from PIL import Image, ImageOps

    too_big = (
        "This image is {w:,} x {h:,} pixels ({mp} megapixels); images can have at most "
        f"{megapixels(max_pixels)} megapixels. Make it smaller and upload it again."
    )
    with warnings.catch_warnings():
        # Pillow's own flood guard warns at its limit and raises at twice it; ours is
        # checked first from the header, before a single pixel is decoded.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im: Image.Image = Image.open(io.BytesIO(data))
            w, h = im.size
            if w * h > max_pixels:
                raise UploadRefused(too_big.format(w=w, h=h, mp=megapixels(w * h)))
            im.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            # Pillow refused from the header alone; its message carries the pixel count.
            found = re.search(r"\((\d+) pixels\)", str(exc))
            count = f"{megapixels(int(found.group(1)))} megapixels" if found else "too many pixels"
            raise UploadRefused(
                f"This image has {count}; images can have at most "
                f"{megapixels(max_pixels)} megapixels. Make it smaller and upload it again."
            ) from None
        except UploadRefused:
            raise
        except Exception:
            raise UploadRefused(
                "This image could not be read; it may be damaged. Save it again as a PNG or "
                "JPEG and upload that."
            ) from None
    icc = im.info.get("icc_profile")  # colours, not private: kept
    # Turned as the camera meant (the EXIF itself is dropped below); only when the tag
    # says so, since exif_transpose copies the image even when there is nothing to turn.
    # A broken orientation tag keeps the pixels as stored.
    with contextlib.suppress(Exception):
        if im.getexif().get(ORIENTATION, 1) in range(2, 9):
            im = ImageOps.exif_transpose(im)
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    mode = "RGBA" if has_alpha else "RGB"
    if im.mode != mode:
        im = im.convert(mode)
    fmt, ctype = ("PNG", "image/png") if has_alpha else ("JPEG", "image/jpeg")

    def encode(img: Image.Image, out_fmt: str) -> bytes:
        # Saved without exif= or the source's info: the new file carries pixels (and the
        # colour profile) only. Baseline JPEG: progressive takes several times longer.
        buf = io.BytesIO()
        extra = {"icc_profile": icc} if icc else {}
        if out_fmt == "JPEG":
            img.save(buf, "JPEG", quality=JPEG_QUALITY, **extra)
        elif out_fmt == "PNG":
            img.save(buf, "PNG", compress_level=6, **extra)
        else:
            img.save(buf, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD, **extra)
        return buf.getvalue()

    # Pillow lets go of the GIL while it encodes and resizes: the full-size original is
    # encoded on a second thread while the smaller sizes are made here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        original = pool.submit(encode, im, fmt)
        smaller: list[Variant] = []
        source = im
        for width in sorted(WIDTHS, reverse=True):  # each from the next larger: faster
            if width >= im.width:
                continue
            height = max(1, round(im.height * width / im.width))
            # reducing_gap=1.0: a box reduction by the whole factor first (fast), then
            # Lanczos for the rest.
            source = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=1.0)
            smaller.append(Variant(f"w{width}", encode(source, fmt), ctype, width, height))
            smaller.append(
                Variant(f"w{width}.webp", encode(source, "WEBP"), "image/webp", width, height)
            )
        variants = [Variant("original", original.result(), ctype, im.width, im.height)]
    return variants + smaller


def pdf_thumbnail(data: bytes) -> Variant:
    """The first page as a PNG THUMB_WIDTH wide; refused when poppler cannot open the
    file (damaged, encrypted without a way in, not really a PDF) or takes too long."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:  # the set-up scripts install poppler-utils
        raise UploadRefused("PDFs cannot be checked on this server right now; try again later.")
    with tempfile.TemporaryDirectory(prefix="qrapp-pdf-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        try:
            done = subprocess.run(  # noqa: S603 (fixed program, our own file names)
                [
                    pdftoppm,
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    "-scale-to-x",
                    str(THUMB_WIDTH),
                    "-scale-to-y",
                    "-1",
                    str(src),
                    str(Path(tmp) / "thumb"),
                ],
                capture_output=True,
                timeout=PDF_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise UploadRefused(
                "This PDF took too long to open. Save it again (for example with "
                "'Print to PDF') and upload that."
            ) from None
        out = Path(tmp) / "thumb.png"
        if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            raise UploadRefused(
                "This PDF could not be opened; it may be damaged or password-protected."
            )
        png = out.read_bytes()
    width, height = _png_size(png)
    return Variant("thumb", png, "image/png", width, height)


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) >= 24:
        return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return 0, 0
