"""Ready-made designs the designer offers as starting points (plain data, validated on use).

A preset with a gradient names its first stop as the foreground too: a gradient replaces
the foreground when drawn, and the designer shows the first stop as the foreground, so a
preset then reads back from the designer's form unchanged (tests/unit/qr/test_design_form.py).
"""

from typing import Any

from qrapp.core.render.design import Design

PRESETS: dict[str, dict[str, Any]] = {
    "classic": {},
    "soft-rounded": {
        "foreground": "#1f2937",
        "modules": "rounded",
        "eyes": {"frame": "rounded", "ball": "rounded"},
    },
    "ocean": {
        "foreground": "#0b3d91",
        "modules": "extra-rounded",
        "gradient": {
            "kind": "linear",
            "angle": 45,
            "stops": [{"offset": 0, "color": "#0b3d91"}, {"offset": 1, "color": "#0077b6"}],
        },
        "eyes": {"frame": "extra-rounded", "ball": "circle", "ball_color": "#0b3d91"},
    },
    "sunset": {
        "foreground": "#b5179e",
        "modules": "dots",
        "gradient": {
            "kind": "linear",
            "angle": 90,
            "stops": [{"offset": 0, "color": "#b5179e"}, {"offset": 1, "color": "#d9480f"}],
        },
        "eyes": {"frame": "rounded", "ball": "circle", "frame_color": "#7209b7"},
    },
    "forest": {
        "foreground": "#1b4332",
        "background": "#f1faee",
        "modules": "classy",
        "eyes": {"frame": "leaf", "ball": "leaf", "ball_color": "#2d6a4f"},
    },
    "dots": {
        "foreground": "#111111",
        "modules": "dots",
        "eyes": {"frame": "circle", "ball": "circle"},
    },
    "candy": {
        "foreground": "#5a189a",
        "background": "#fff0f6",
        "modules": "extra-rounded",
        "eyes": {"frame": "extra-rounded", "ball": "rounded", "ball_color": "#d6336c"},
    },
    "corporate": {
        "foreground": "#0a2540",
        "modules": "square",
        "eyes": {"frame": "rounded", "ball": "square"},
        "frame": {"style": "banner-bottom", "text": "SCAN ME", "color": "#0a2540"},
    },
    "cafe": {
        "foreground": "#3e2723",
        "background": "#fff8e1",
        "modules": "vertical",
        "eyes": {"frame": "rounded", "ball": "rounded", "ball_color": "#8d6e63"},
        "frame": {"style": "pill", "text": "MENU", "color": "#3e2723", "text_color": "#fff8e1"},
    },
    "radial-glow": {
        "foreground": "#d00000",
        "modules": "rounded",
        "gradient": {
            "kind": "radial",
            "stops": [{"offset": 0, "color": "#d00000"}, {"offset": 1, "color": "#370617"}],
        },
        "eyes": {"frame": "rounded", "ball": "diamond"},
        "frame": {"style": "box", "text": "SCAN TO ORDER", "color": "#370617"},
    },
}


def preset(name: str) -> Design:
    """The named preset as a Design (KeyError for an unknown name)."""
    return Design.parse(PRESETS[name])
