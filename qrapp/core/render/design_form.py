"""The designer's form as data: its flat fields <-> a Design, and its option lists.

The designer shows a Design as twenty flat fields (colour boxes, switches, sliders,
pickers) and keeps the logo's bytes aside. This module is the one mapping between the
two, with every default taken from `Design()` and every option list from the `Literal`
types in design.py, so a new shape or frame style shows up in the designer by itself.

What the form cannot express is normalised on the way in:
- a gradient is the foreground colour to `gradient_color`: two stops at 0 and 1, the
  first stop's colour shown as the foreground (which a gradient replaces when drawn);
- the angle is a whole number of degrees; the logo keeps the default margin.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, TypedDict, get_args

from pydantic import BaseModel

from qrapp.core.render.design import (
    BallShape,
    Design,
    ErrorLevel,
    Frame,
    FrameShape,
    FrameStyle,
    Gradient,
    GradientKind,
    Logo,
    LogoShape,
    ModuleShape,
)

GRADIENT_END = "#4f46e5"  # the second colour offered when a gradient is switched on


class DesignFields(TypedDict):
    """The form's fields; optional eye colours are "" for "same as the foreground"."""

    foreground: str
    background: str
    transparent: bool
    gradient_on: bool
    gradient_kind: str
    gradient_color: str
    gradient_angle: int
    modules: str
    eye_frame: str
    eye_ball: str
    eye_frame_color: str
    eye_ball_color: str
    logo_size: float
    logo_shape: str
    quiet_zone: int
    error_correction: str
    frame_style: str
    frame_text: str
    frame_color: str
    frame_text_color: str


def _default(model: type[BaseModel], field: str) -> Any:
    return model.model_fields[field].default


def _limit(model: type[BaseModel], field: str, name: str) -> Any:
    """A field's constraint (ge, le, max_length) as the model declares it."""
    for item in model.model_fields[field].metadata:
        if hasattr(item, name):
            return getattr(item, name)
    raise LookupError(f"{model.__name__}.{field} declares no {name}")


# The frame's caption box fits about this many letters legibly.
CAPTION_MAX: int = _limit(Frame, "text", "max_length")
# The sliders' (low, high, step): the logo's size as the model allows it; the angle and the
# quiet zone offer the useful part of the model's range (a wider quiet zone only shrinks).
SLIDERS: dict[str, tuple[float, float, float]] = {
    "gradient_angle": (0, 360, 15),
    "logo_size": (_limit(Logo, "size", "ge"), _limit(Logo, "size", "le"), 0.01),
    "quiet_zone": (0, 10, 1),
}


def to_form(design: Design) -> tuple[DesignFields, bytes]:
    """The form's fields for `design`, and its logo's image bytes (b"" without one)."""
    gradient, logo = design.gradient, design.logo
    fields = DesignFields(
        foreground=gradient.stops[0].color if gradient else design.foreground,
        background=design.background,
        transparent=design.transparent_background,
        gradient_on=gradient is not None,
        gradient_kind=gradient.kind if gradient else _default(Gradient, "kind"),
        gradient_color=gradient.stops[-1].color if gradient else GRADIENT_END,
        gradient_angle=int(gradient.angle if gradient else _default(Gradient, "angle")),
        modules=design.modules,
        eye_frame=design.eyes.frame,
        eye_ball=design.eyes.ball,
        eye_frame_color=design.eyes.frame_color or "",
        eye_ball_color=design.eyes.ball_color or "",
        logo_size=float(logo.size if logo else _default(Logo, "size")),
        logo_shape=logo.shape if logo else _default(Logo, "shape"),
        quiet_zone=design.quiet_zone,
        error_correction=design.error_correction,
        frame_style=design.frame.style,
        frame_text=design.frame.text,
        frame_color=design.frame.color,
        frame_text_color=design.frame.text_color,
    )
    return fields, logo.image if logo else b""


FORM_DEFAULTS: DesignFields = to_form(Design())[0]


def from_form(fields: Mapping[str, Any], logo: bytes = b"") -> dict[str, Any]:
    """The design (JSON-like, validated where it is drawn or saved) for the form's fields.

    The caller passes values it can draw: a colour box being typed in holds its last good
    colour, the caption only the letters the font has. An empty caption draws no frame.
    """
    caption = fields["frame_text"]
    design: dict[str, Any] = {
        "foreground": fields["foreground"],
        "background": fields["background"],
        "transparent_background": fields["transparent"],
        "modules": fields["modules"],
        "eyes": {
            "frame": fields["eye_frame"],
            "ball": fields["eye_ball"],
            "frame_color": fields["eye_frame_color"] or None,
            "ball_color": fields["eye_ball_color"] or None,
        },
        "quiet_zone": int(fields["quiet_zone"]),
        "error_correction": fields["error_correction"],
        "frame": {
            "style": fields["frame_style"] if caption else "none",
            "text": caption or FORM_DEFAULTS["frame_text"],
            "color": fields["frame_color"],
            "text_color": fields["frame_text_color"],
        },
    }
    if fields["gradient_on"]:
        design["gradient"] = {
            "kind": fields["gradient_kind"],
            "angle": float(fields["gradient_angle"]),
            "stops": [
                {"offset": 0, "color": fields["foreground"]},
                {"offset": 1, "color": fields["gradient_color"]},
            ],
        }
    if logo:
        design["logo"] = {
            "image": base64.b64encode(logo).decode(),
            "size": float(fields["logo_size"]),
            "shape": fields["logo_shape"],
        }
    return design


# ---- the option lists: values from the Literal types, labels where a word reads better


def _options(kind: Any, labels: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(value, label) for every value of a Literal type, in its order."""
    labels = labels or {}
    return [(v, labels.get(v) or v.replace("-", " ").capitalize()) for v in get_args(kind)]


MODULE_OPTIONS = _options(ModuleShape, {"extra-rounded": "Extra round"})
EYE_FRAME_OPTIONS = _options(FrameShape, {"extra-rounded": "Extra round"})
EYE_BALL_OPTIONS = _options(BallShape)
FRAME_OPTIONS = _options(
    FrameStyle, {"banner-bottom": "Banner below", "banner-top": "Banner above"}
)
GRADIENT_KIND_OPTIONS = _options(GradientKind)
LOGO_SHAPE_OPTIONS = _options(LogoShape)
ERROR_OPTIONS = _options(ErrorLevel, {"L": "L 7%", "M": "M 15%", "Q": "Q 25%", "H": "H 30%"})
