"""The designer's form codec: a Design read into the form and written back is the same
Design, the form starts from Design()'s defaults, and the option lists are the model's."""

from typing import get_args

import pytest

from qrapp.core.render import PRESETS, Design, DesignError, preset, render
from qrapp.core.render.design import BallShape, FrameShape, FrameStyle, ModuleShape
from qrapp.core.render.design_form import (
    CAPTION_MAX,
    ERROR_OPTIONS,
    EYE_BALL_OPTIONS,
    EYE_FRAME_OPTIONS,
    FORM_DEFAULTS,
    FRAME_OPTIONS,
    GRADIENT_KIND_OPTIONS,
    LOGO_SHAPE_OPTIONS,
    MODULE_OPTIONS,
    SLIDERS,
    from_form,
    to_form,
)
from tests.unit.qr.helpers import logo_png


def _round_trip(design: Design) -> Design:
    fields, logo = to_form(design)
    return Design.parse(from_form(fields, logo))


def test_the_form_starts_from_the_models_defaults():
    assert Design.parse(from_form(FORM_DEFAULTS)) == Design()
    assert FORM_DEFAULTS["foreground"] == Design().foreground
    assert FORM_DEFAULTS["frame_text"] == Design().frame.text
    assert FORM_DEFAULTS["quiet_zone"] == Design().quiet_zone
    assert FORM_DEFAULTS["gradient_on"] is False
    assert FORM_DEFAULTS["eye_frame_color"] == ""  # "same as the foreground"


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_reads_back_from_the_form_unchanged(name):
    assert _round_trip(preset(name)) == preset(name)


HAND_MADE = [
    Design.parse(
        {
            "foreground": "#123456",
            "background": "#fafafa",
            "transparent_background": True,
            "modules": "horizontal",
            "eyes": {"frame": "leaf", "ball": "diamond", "frame_color": "#aa0000"},
            "quiet_zone": 0,
            "error_correction": "L",
        }
    ),
    Design.parse(
        {
            "foreground": "#0b3d91",
            "gradient": {
                "kind": "radial",
                "angle": 90,
                "stops": [{"offset": 0, "color": "#0b3d91"}, {"offset": 1, "color": "#00b4d8"}],
            },
            "eyes": {"ball_color": "#222222"},
            "frame": {"style": "banner-top", "text": "Hej då", "color": "#333333"},
        }
    ),
    Design.parse(
        {
            "logo": {"image": logo_png(), "size": 0.12, "shape": "circle"},
            "error_correction": "H",
            "frame": {"style": "pill", "text": "MENU", "text_color": "#ffeedd"},
        }
    ),
]


@pytest.mark.parametrize("design", HAND_MADE, ids=["colours-eyes", "gradient-frame", "logo"])
def test_hand_made_designs_read_back_unchanged(design):
    assert _round_trip(design) == design


def test_the_logo_travels_beside_the_fields():
    fields, logo = to_form(HAND_MADE[2])
    assert logo == logo_png()
    assert (fields["logo_size"], fields["logo_shape"]) == (0.12, "circle")
    assert to_form(Design())[1] == b""


def test_a_gradient_shows_its_first_stop_as_the_foreground():
    fields, _ = to_form(preset("ocean"))
    assert fields["gradient_on"] is True
    assert (fields["foreground"], fields["gradient_color"]) == ("#0b3d91", "#0077b6")
    assert from_form({**fields, "gradient_on": False}).get("gradient") is None


def test_an_empty_caption_draws_no_frame():
    design = Design.parse(from_form({**FORM_DEFAULTS, "frame_style": "box", "frame_text": ""}))
    assert design.frame.style == "none"
    assert design.frame.text == Design().frame.text


@pytest.mark.parametrize(
    ("options", "kind"),
    [
        (MODULE_OPTIONS, ModuleShape),
        (EYE_FRAME_OPTIONS, FrameShape),
        (EYE_BALL_OPTIONS, BallShape),
        (FRAME_OPTIONS, FrameStyle),
    ],
)
def test_option_lists_offer_every_value_of_the_model_in_its_order(options, kind):
    assert [value for value, _ in options] == list(get_args(kind))
    labels = [label for _, label in options]
    assert all(labels)
    assert len(set(labels)) == len(labels)


def test_option_labels_read_as_words():
    assert dict(MODULE_OPTIONS)["extra-rounded"] == "Extra round"
    assert dict(FRAME_OPTIONS)["banner-bottom"] == "Banner below"
    assert dict(ERROR_OPTIONS) == {"L": "L 7%", "M": "M 15%", "Q": "Q 25%", "H": "H 30%"}
    assert GRADIENT_KIND_OPTIONS == [("linear", "Linear"), ("radial", "Radial")]
    assert LOGO_SHAPE_OPTIONS == [("square", "Square"), ("circle", "Circle")]


@pytest.mark.parametrize("style", [value for value, _ in FRAME_OPTIONS])
def test_every_frame_option_draws(style):
    design = from_form({**FORM_DEFAULTS, "frame_style": style})
    assert render("https://example.com", design, "png", size=256).startswith(b"\x89PNG")


def test_the_caption_limit_is_the_models():
    framed = {**FORM_DEFAULTS, "frame_style": "box"}
    Design.parse(from_form({**framed, "frame_text": "x" * CAPTION_MAX}))
    with pytest.raises(DesignError):
        Design.parse(from_form({**framed, "frame_text": "x" * (CAPTION_MAX + 1)}))


@pytest.mark.parametrize("key", list(SLIDERS))
def test_every_slider_position_is_a_design_the_model_accepts(key):
    low, high, _step = SLIDERS[key]
    for value in (low, high):
        Design.parse(from_form({**FORM_DEFAULTS, key: value, "gradient_on": True}, logo_png()))
