"""The Design: every visual choice for a code, validated and JSON-serialisable.

A Design is stored per code and per template, so it holds data only (colours as hex
strings, the logo as base64 bytes in JSON) and knows nothing about output formats.
"""

import base64
import binascii
import io
import re
from functools import lru_cache
from typing import Annotated, Any, Literal

from PIL import Image, UnidentifiedImageError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
    model_validator,
)

from qrapp.core.payloads.base import errors_from_validation
from qrapp.core.payloads.errors import PayloadError
from qrapp.core.render.text import supported_characters

_HEX = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")

ErrorLevel = Literal["L", "M", "Q", "H"]
ModuleShape = Literal[
    "square", "rounded", "extra-rounded", "dots", "classy", "vertical", "horizontal"
]
FrameShape = Literal["square", "rounded", "extra-rounded", "circle", "leaf"]
BallShape = Literal["square", "rounded", "circle", "leaf", "diamond"]
FrameStyle = Literal["none", "banner-bottom", "banner-top", "box", "pill"]
GradientKind = Literal["linear", "radial"]
LogoShape = Literal["square", "circle"]

MAX_LOGO_BYTES = 2_000_000
MAX_LOGO_PIXELS = 4096


class DesignError(PayloadError):
    """An invalid Design; the same shape (field -> message) as every QR input error."""


def is_colour(value: str) -> bool:
    """A hex colour as the model accepts it: #abc or #aabbcc (no surrounding spaces)."""
    return bool(_HEX.match(value))


def _colour(value: str) -> str:
    value = value.strip()
    if not _HEX.match(value):
        raise ValueError("Use a hex colour like #1a2b3c.")
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value.lower()


Colour = Annotated[str, AfterValidator(_colour)]


@lru_cache(maxsize=1024)
def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GradientStop(_Model):
    offset: float = Field(ge=0, le=1)
    color: Colour


class Gradient(_Model):
    """A linear (at `angle` degrees, 0 = left to right, 90 = top to bottom) or radial fill."""

    kind: GradientKind = "linear"
    angle: float = Field(default=45, ge=-360, le=360)
    stops: tuple[GradientStop, ...] = Field(min_length=2, max_length=6)

    @field_validator("stops")
    @classmethod
    def _ordered(cls, stops: tuple[GradientStop, ...]) -> tuple[GradientStop, ...]:
        return tuple(sorted(stops, key=lambda stop: stop.offset))


class Eyes(_Model):
    """The three finder patterns: the 7x7 frame and the 3x3 ball, each with a colour."""

    frame: FrameShape = "square"
    ball: BallShape = "square"
    frame_color: Colour | None = None  # None: the foreground (or its gradient)
    ball_color: Colour | None = None


def _image_bytes(value: bytes) -> bytes:
    if len(value) > MAX_LOGO_BYTES:
        raise ValueError("The logo file is larger than 2 MB.")
    try:
        with Image.open(io.BytesIO(value)) as image:
            width, height = image.size
            image.verify()
    except Image.DecompressionBombError:
        raise ValueError(f"The logo is larger than {MAX_LOGO_PIXELS} pixels on a side.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValueError("The logo must be a PNG, JPEG, GIF or WebP image.") from None
    if max(width, height) > MAX_LOGO_PIXELS:
        raise ValueError(f"The logo is larger than {MAX_LOGO_PIXELS} pixels on a side.")
    return value


def _raw_or_base64(value: object) -> bytes:
    """Image bytes as they are (Python callers, uploads) or base64 text (JSON)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        text = value.split(",", 1)[1] if value.startswith("data:") else value
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("The logo must be image bytes or base64 text.") from None
    raise ValueError("The logo must be image bytes or base64 text.")


LogoImage = Annotated[
    bytes,
    BeforeValidator(_raw_or_base64),
    AfterValidator(_image_bytes),
    # JSON carries the image as base64; Python keeps the bytes.
    PlainSerializer(lambda data: base64.b64encode(data).decode("ascii"), when_used="json"),
]


class Logo(_Model):
    """A centred logo over a cleared area; size is a fraction of the symbol's width."""

    image: LogoImage
    size: float = Field(default=0.22, ge=0.08, le=0.3)
    margin: float = Field(default=0.5, ge=0, le=3, description="Cleared modules around the logo")
    shape: LogoShape = "square"


class Frame(_Model):
    style: FrameStyle = "none"
    text: str = Field(default="SCAN ME", max_length=32)
    color: Colour = "#000000"
    text_color: Colour = "#ffffff"

    @field_validator("text")
    @classmethod
    def _drawable(cls, value: str) -> str:
        # The caption font is shipped, so a missing glyph would be an empty box everywhere.
        value = " ".join(value.split())
        missing = sorted({ch for ch in value if ch not in supported_characters()})
        if missing:
            raise ValueError(f"The caption font cannot draw: {' '.join(missing)}")
        return value


class Design(_Model):
    foreground: Colour = "#000000"
    background: Colour = "#ffffff"
    transparent_background: bool = False
    gradient: Gradient | None = None
    modules: ModuleShape = "square"
    eyes: Eyes = Eyes()
    logo: Logo | None = None
    quiet_zone: int = Field(default=4, ge=0, le=16)
    error_correction: ErrorLevel = "M"
    frame: Frame = Frame()

    @model_validator(mode="after")
    def _frame_needs_text(self) -> "Design":
        if self.frame.style != "none" and not self.frame.text.strip():
            raise PayloadError({"frame.text": "A frame needs a caption."})
        return self

    @classmethod
    def parse(cls, data: "Design | dict[str, Any] | None") -> "Design":
        """Validate a design from JSON-like data; DesignError carries a message per field."""
        if data is None:
            return cls()
        if isinstance(data, Design):
            return data
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise DesignError(errors_from_validation(exc)) from None
        except PayloadError as exc:
            raise DesignError(exc.errors) from None

    @property
    def effective_error(self) -> ErrorLevel:
        """The error-correction level used: a logo hides modules, so it raises the level."""
        if self.logo is None:
            return self.error_correction
        # A logo over more than ~8% of the symbol needs H's 30% budget to keep a margin.
        covered = (self.logo.size + 2 * self.logo.margin / 25) ** 2
        floor: ErrorLevel = "H" if covered > 0.08 else "Q"
        return max(self.error_correction, floor, key="LMQH".index)
