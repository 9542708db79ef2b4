"""The shape pickers' choices with their pictures, drawn once when the web process starts
(about 20 small PNGs, a few hundred bytes each, sent inline with the page)."""

from __future__ import annotations

import base64
from typing import TypedDict

from qrapp.core.render.samples import eye_sample, module_sample


class ShapeChoice(TypedDict):
    value: str
    label: str
    src: str


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


MODULE_SHAPES: list[ShapeChoice] = [
    ShapeChoice(value=value, label=label, src=_uri(module_sample(value)))
    for value, label in [
        ("square", "Square"),
        ("rounded", "Rounded"),
        ("extra-rounded", "Extra round"),
        ("dots", "Dots"),
        ("classy", "Classy"),
        ("vertical", "Vertical"),
        ("horizontal", "Horizontal"),
    ]
]
EYE_FRAMES: list[ShapeChoice] = [
    ShapeChoice(value=value, label=label, src=_uri(eye_sample(value, "square", "frame")))
    for value, label in [
        ("square", "Square"),
        ("rounded", "Rounded"),
        ("extra-rounded", "Extra round"),
        ("circle", "Circle"),
        ("leaf", "Leaf"),
    ]
]
EYE_BALLS: list[ShapeChoice] = [
    ShapeChoice(value=value, label=label, src=_uri(eye_sample("square", value, "ball")))
    for value, label in [
        ("square", "Square"),
        ("rounded", "Rounded"),
        ("circle", "Circle"),
        ("leaf", "Leaf"),
        ("diamond", "Diamond"),
    ]
]
