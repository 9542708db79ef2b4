"""Thumbnails of the design presets, rendered once when the web process starts."""

from __future__ import annotations

import base64

from qrapp.core.render import PRESETS, render

_SAMPLE = "https://qrapp.example/preset"


def _card(name: str) -> dict[str, str]:
    png = render(_SAMPLE, PRESETS[name], "png", size=128)
    return {
        "name": name,
        "label": name.replace("-", " ").capitalize(),
        "src": "data:image/png;base64," + base64.b64encode(png).decode(),
    }


PRESET_CARDS: list[dict[str, str]] = [_card(name) for name in PRESETS]
