"""Untrusted SVG -> a PNG of bounded size, drawn in a child process with hard limits.

An uploaded SVG decides its own pixel size and may point at files. Unchecked, a 139-byte
logo with a 1 x 100,000 viewBox asked resvg for a 100 GB canvas (512 px wide at its own
aspect ratio), `height="2000"` took 22 s and 4 GB, and `<image href="/path.png">` drew a
server file into the preview. So, before anything is drawn:

1. Parse without a DTD's help: defusedxml refuses entity declarations (billion laughs)
   and external entities (XXE); comments and processing instructions (xml-stylesheet)
   are dropped by the parser.
2. Allow only in-document references: `href`/`xlink:href` to `#id`, or a `data:` URL that
   holds a PNG, JPEG, GIF or WebP of sane pixel size; `url(#id)` in attributes and CSS;
   no `@import`, no CSS escapes (which could spell either). Anything else is refused
   with a message, not silently dropped, so the user knows why the logo looks wrong.
3. Refuse `<use>` graphs that expand past MAX_EXPANDED_NODES (the billion laughs of SVG).
4. Fix the output size ourselves: the root's width/height are rewritten to fit within
   side x side at the artwork's aspect ratio; aspect ratios past MAX_ASPECT are refused.
5. Draw in svg_worker.py under RLIMIT_AS, RLIMIT_CPU and a wall-clock timeout.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote_to_bytes

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from PIL import Image, UnidentifiedImageError

WORKER = Path(__file__).with_name("svg_worker.py")
MEMORY_BYTES = 256 * 1024 * 1024
CPU_SECONDS = 4
WALL_SECONDS = 15  # above the CPU limit: a busy machine still finishes a normal logo
MAX_ASPECT = 20  # a wide word mark is ~8:1; past 20:1 the logo is a line at QR size
MAX_DEPTH = 100  # nesting; also keeps ElementTree's recursive serialiser well clear
MAX_EXPANDED_NODES = 50_000  # elements once every <use> is expanded
MAX_EMBEDDED_PIXELS = 4096 * 4096

XLINK = "{http://www.w3.org/1999/xlink}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
EMBEDDED_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
EMBEDDED_FORMATS["WEBP"] = "image/webp"

UNREADABLE = "That file is not an image we can read. Upload a PNG, JPEG or SVG."
TOO_COMPLEX = "This SVG is too complex to draw. Simplify it or upload a PNG instead."
REFERENCE = (
    "SVG logos cannot use other files or web addresses (images, fonts, style sheets). "
    "Embed images in the SVG or upload a PNG instead."
)

_LENGTH = re.compile(
    r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*$"
)
_PX_PER_UNIT = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4}
_PX_PER_UNIT |= {"cm": 96 / 2.54, "in": 96.0, "em": 16.0, "ex": 8.0}
_URL_START = re.compile(r"url\s*\(", re.I)
_URL = re.compile(r"""url\s*\(\s*(?:"([^"]*)"|'([^']*)'|([^'")\s]*))\s*\)""", re.I)


class SvgRefused(ValueError):
    """The SVG is refused; the message is fit to show to the person who uploaded it."""


def rasterise(data: bytes, *, side: int) -> bytes:
    """PNG bytes of the SVG, fitted within side x side, or SvgRefused(reason)."""
    try:
        root = safe_fromstring(data, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException:
        raise SvgRefused("SVG files with entity declarations are not accepted.") from None
    except (ET.ParseError, ValueError, UnicodeDecodeError):
        raise SvgRefused(UNREADABLE) from None
    if _local(root.tag) != "svg":
        raise SvgRefused(UNREADABLE)
    _check_tree(root)
    _fit(root, side)
    return _draw(ET.tostring(root, encoding="unicode"), side)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


# --- references -------------------------------------------------------------------------
def _check_tree(root: ET.Element) -> None:
    children: dict[int, list[ET.Element]] = {}
    ids: dict[str, ET.Element] = {}
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SvgRefused(TOO_COMPLEX)
        _check_attributes(element)
        if _local(element.tag) == "style":
            if len(element):  # CSS split around elements is CSS we have not read whole
                raise SvgRefused(UNREADABLE)
            element.text = _checked_css(element.text or "")
        if element.get("id"):
            ids[element.get("id", "")] = element
        children[id(element)] = list(element)
        stack.extend((child, depth + 1) for child in element)
    _check_expansion(root, children, ids)


def _check_attributes(element: ET.Element) -> None:
    for name, value in list(element.attrib.items()):
        local = _local(name)
        if name == XML_BASE:
            del element.attrib[name]
        elif local in ("href", "src"):
            ref = value.strip()
            if ref.startswith("#"):
                element.set(name, ref)
            elif ref[:5].lower() == "data:":
                element.set(name, _checked_data_image(ref))
            elif _local(element.tag) == "a" or not ref:
                del element.attrib[name]  # a link target is never drawn
            else:
                raise SvgRefused(REFERENCE)
        elif local == "style":
            element.set(name, _checked_css(value))
        elif _URL_START.search(value):
            _check_urls(value)


def _checked_css(css: str) -> str:
    # Escapes can spell `@import` or `url(` in ways a simple check would not see, and
    # logos do not need them.
    if "\\" in css or "@import" in css.lower():
        raise SvgRefused(REFERENCE)
    _check_urls(css)
    return css


def _check_urls(text: str) -> None:
    starts = len(_URL_START.findall(text))
    found = _URL.findall(text)
    if len(found) != starts:
        raise SvgRefused(REFERENCE)  # a url( we cannot read is not drawn on trust
    for groups in found:
        ref = "".join(groups).strip()
        if not (ref.startswith("#") or ref[:5].lower() == "data:"):
            raise SvgRefused(REFERENCE)


def _checked_data_image(ref: str) -> str:
    """A data: URL rewritten as base64 of the raster image it holds; anything else (an
    SVG inside the SVG, which could reference files itself) is refused."""
    head, sep, payload = ref.partition(",")
    if not sep:
        raise SvgRefused(UNREADABLE)
    try:
        if head.lower().endswith(";base64"):
            raw = base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
        else:
            raw = unquote_to_bytes(payload)
        with Image.open(io.BytesIO(raw)) as image:
            fmt, pixels = image.format, image.width * image.height
    except (binascii.Error, ValueError, UnidentifiedImageError, OSError):
        raise SvgRefused("Images inside an SVG logo must be PNG, JPEG, GIF or WebP.") from None
    if fmt not in EMBEDDED_FORMATS:
        raise SvgRefused("Images inside an SVG logo must be PNG, JPEG, GIF or WebP.")
    if pixels > MAX_EMBEDDED_PIXELS:
        raise SvgRefused("An image inside the SVG has too many pixels.")
    return f"data:{EMBEDDED_FORMATS[fmt]};base64,{base64.b64encode(raw).decode('ascii')}"


def _check_expansion(root: ET.Element, children: dict, ids: dict) -> None:
    """Count the elements the drawing would hold once each <use> is replaced by what it
    references: nested uses multiply (ten levels of ten is 10^10 elements from 100).
    Iterative depth-first, so neither depth nor long <use> chains reach Python's stack."""

    def parts(element: ET.Element) -> list[ET.Element]:
        out = list(children.get(id(element), ()))
        if _local(element.tag) == "use":
            ref = element.get("href") or element.get(XLINK + "href") or ""
            if ref[1:] in ids:
                out.append(ids[ref[1:]])
        return out

    cost: dict[int, int] = {}
    open_: set[int] = set()  # on the current path: reaching one again is a cycle
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        element, finished = stack.pop()
        key = id(element)
        if finished:
            open_.discard(key)
            total = 1 + sum(cost[id(part)] for part in parts(element))
            cost[key] = min(total, MAX_EXPANDED_NODES + 1)
            continue
        if key in cost:
            continue
        if key in open_:
            raise SvgRefused(TOO_COMPLEX)  # a <use> that contains itself
        open_.add(key)
        stack.append((element, True))
        stack.extend((part, False) for part in parts(element) if id(part) not in cost)
    if cost[id(root)] > MAX_EXPANDED_NODES:
        raise SvgRefused(TOO_COMPLEX)


# --- size ---------------------------------------------------------------------------------
def _length(value: str | None) -> tuple[float, str] | None:
    match = _LENGTH.match(value or "")
    if not match:
        return None
    return float(match.group(1)), match.group(2) or ""


def _view_box(value: str | None) -> tuple[float, float] | None:
    try:
        numbers = [float(p) for p in re.split(r"[\s,]+", (value or "").strip())]
    except ValueError:
        return None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        return None
    width, height = numbers[2], numbers[3]
    return (width, height) if width > 0 and height > 0 else None


def _intrinsic(root: ET.Element) -> tuple[float, float]:
    """The size the SVG asks for, in px, as resvg would read it (100 x 100 by default)."""
    box = _view_box(root.get("viewBox"))
    sides = []
    for attr, index in (("width", 0), ("height", 1)):
        length = _length(root.get(attr))
        if length is None or length[1] == "%":
            share = length[0] / 100 if length else 1.0
            sides.append((box[index] if box else 100.0) * share)
        else:
            sides.append(length[0] * _PX_PER_UNIT[length[1]])
    return sides[0], sides[1]


def _fit(root: ET.Element, side: int) -> None:
    width, height = _intrinsic(root)
    if not all(math.isfinite(v) and v > 0 for v in (width, height)):
        raise SvgRefused("The SVG has no usable width and height.")
    aspect = max(width, height) / min(width, height)
    if aspect > MAX_ASPECT:
        shape = "wider than tall" if width > height else "taller than wide"
        raise SvgRefused(
            f"The SVG is {aspect:,.0f} times {shape}; a logo may be at most "
            f"{MAX_ASPECT}:1. Crop it to the artwork or upload a PNG."
        )
    scale = side / max(width, height)
    if root.get("viewBox") is None or _view_box(root.get("viewBox")) is None:
        # Without a viewBox, new width/height would crop rather than scale the artwork.
        root.set("viewBox", f"0 0 {width!r} {height!r}")
    root.set("width", str(max(1, round(width * scale))))
    root.set("height", str(max(1, round(height * scale))))


# --- drawing ------------------------------------------------------------------------------
def _draw(svg: str, side: int) -> bytes:
    args = [sys.executable, "-I", str(WORKER), str(MEMORY_BYTES), str(CPU_SECONDS)]
    try:
        done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            args,
            input=svg.encode("utf-8"),
            capture_output=True,
            timeout=WALL_SECONDS,
            env={"MALLOC_ARENA_MAX": "2", "PATH": "/usr/bin:/bin"},
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise SvgRefused(TOO_COMPLEX) from None
    if done.returncode == 2:
        raise SvgRefused(UNREADABLE)
    if done.returncode != 0:
        raise SvgRefused(TOO_COMPLEX)
    with Image.open(io.BytesIO(done.stdout)) as image:  # belt and braces: the size we set
        if max(image.size) > side:
            raise SvgRefused(TOO_COMPLEX)
    return done.stdout
