"""The designer's caption rules: what cannot be drawn is named, and left out of the preview."""

from __future__ import annotations

from qrapp.core.render import render
from qrapp.state.designer_checks import (
    CAPTION_MAX,
    caption_problem,
    content_key,
    drawable_caption,
)


def test_an_emoji_is_named_and_the_rest_of_the_caption_still_draws():
    assert "🎉" in caption_problem("PARTY 🎉")
    assert drawable_caption("PARTY 🎉 NOW") == "PARTY NOW"
    design = {"frame": {"style": "banner-bottom", "text": drawable_caption("PARTY 🎉")}}
    assert render("https://example.com", design, "png", size=256).startswith(b"\x89PNG")


def test_the_caption_limit_is_said_not_silently_applied():
    assert caption_problem("x" * CAPTION_MAX) == ""
    assert str(CAPTION_MAX) in caption_problem("x" * (CAPTION_MAX + 1))
    assert caption_problem("   ") == "A frame needs a caption."
    assert caption_problem("Café Ünïcode") == ""


def test_content_field_errors_do_not_share_a_key_with_the_codes_name():
    assert content_key("name") != "name"
