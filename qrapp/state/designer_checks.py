"""The designer's form rules that need no state: error keys, colours and the caption.

What a person types is kept as typed (so the field shows it), checked here, and drawn
only when drawable: a bad value gets a message instead of stopping the preview.
"""

from __future__ import annotations

from qrapp.core.render.design_form import CAPTION_MAX
from qrapp.core.render.text import supported_characters

COLOUR_KEYS = (
    "foreground",
    "background",
    "gradient_color",
    "eye_frame_color",
    "eye_ball_color",
    "frame_color",
    "frame_text_color",
)
OPTIONAL_COLOURS = {"eye_frame_color", "eye_ball_color"}  # empty = the foreground


def content_key(field: str) -> str:
    """Error key of a content field: content fields can be called "name" (EPC's
    beneficiary) like the code's own Name, so their errors live apart."""
    return f"f.{field}"


def caption_problem(text: str) -> str:
    """Why the caption cannot be drawn as typed, or ""."""
    missing = sorted({ch for ch in text if not ch.isspace()} - supported_characters())
    if missing:
        return (
            f"The caption font cannot draw {' '.join(missing)} (emoji and some symbols): "
            "remove it to save. The preview leaves it out."
        )
    if len(text) > CAPTION_MAX:
        return f"Captions hold up to {CAPTION_MAX} characters."
    if not text.strip():
        return "A frame needs a caption."
    return ""


def drawable_caption(text: str) -> str:
    """The caption as the preview draws it: only letters the font has, at most 32."""
    chars = supported_characters()
    return " ".join("".join(ch for ch in text if ch in chars or ch.isspace()).split())[:CAPTION_MAX]
