"""The shape pickers' pictures: drawn by the engine, one distinct picture per choice."""

from __future__ import annotations

import io
import typing

from PIL import Image

from qrapp.core.render.design import BallShape, FrameShape, ModuleShape
from qrapp.core.render.samples import eye_sample, module_sample


def _pixels(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size[0] == image.size[1] <= 64
    return image.convert("L").tobytes()


def test_every_module_shape_has_its_own_picture():
    shapes = typing.get_args(ModuleShape)
    pictures = {_pixels(module_sample(shape)) for shape in shapes}
    assert len(pictures) == len(shapes)
    assert all(min(p) == 0 and max(p) == 255 for p in pictures)  # dark shape on white


def test_every_eye_frame_and_centre_has_its_own_picture():
    frames = typing.get_args(FrameShape)
    balls = typing.get_args(BallShape)
    assert len({_pixels(eye_sample(f, "square", "frame")) for f in frames}) == len(frames)
    assert len({_pixels(eye_sample("square", b, "ball")) for b in balls}) == len(balls)
