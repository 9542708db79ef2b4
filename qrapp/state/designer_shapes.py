"""The shape pickers' choices with their pictures, drawn once when the web process starts
(about 20 small PNGs, a few hundred bytes each, sent inline with the page). The values
and labels are the design form's option lists (core/render/design_form.py)."""

from __future__ import annotations

import base64
from typing import TypedDict

from qrapp.core.render.design_form import EYE_BALL_OPTIONS, EYE_FRAME_OPTIONS, MODULE_OPTIONS
from qrapp.core.render.samples import eye_sample, module_sample


class ShapeChoice(TypedDict):
    value: str
    label: str
    src: str


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


MODULE_SHAPES: list[ShapeChoice] = [
    ShapeChoice(value=value, label=label, src=_uri(module_sample(value)))
    for value, label in MODULE_OPTIONS
]
EYE_FRAMES: list[ShapeChoice] = [
    ShapeChoice(value=value, label=label, src=_uri(eye_sample(value, "square", "frame")))
    for value, label in EYE_FRAME_OPTIONS
]
EYE_BALLS: list[ShapeChoice] = [
    ShapeChoice(value=value, label=label, src=_uri(eye_sample("square", value, "ball")))
    for value, label in EYE_BALL_OPTIONS
]
