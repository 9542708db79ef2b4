"""Golden SVGs: fixed inputs must keep producing byte-identical vector output.

A change here is a visible change for every customer's printed codes, so it should be
deliberate: regenerate with `QR_UPDATE_GOLDEN=1 pytest tests/unit/qr/test_golden.py`
and review the new files (they also decode, which the test checks).
"""

import os
from pathlib import Path

import pytest

from qrapp.core.payloads import encode
from qrapp.core.render import PRESETS, render
from tests.unit.qr.helpers import svg_text

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "url-classic": (("url", {"url": "https://example.com"}), PRESETS["classic"]),
    "swish-forest": (
        ("swish", {"payee": "1237856901", "amount": "100", "message": "12229445"}),
        PRESETS["forest"],
    ),
    "wifi-ocean": (("wifi", {"ssid": "Café;Guest", "password": "p:ss,word"}), PRESETS["ocean"]),
    "vcard-corporate": (
        ("vcard", {"first_name": "Åsa", "last_name": "Öberg", "organization": "Acme"}),
        PRESETS["corporate"],
    ),
    "text-dots-pill": (
        ("text", {"text": "Hello"}),
        {**PRESETS["dots"], "frame": {"style": "pill", "text": "Say hi", "color": "#111111"}},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_golden_svg(name):
    (type_name, data), design = CASES[name]
    svg = render(encode(type_name, data), design, "svg", size=400)
    path = GOLDEN / f"{name}.svg"
    if os.environ.get("QR_UPDATE_GOLDEN") == "1":
        path.write_bytes(svg)
    assert path.exists(), f"missing golden file {path.name}: run with QR_UPDATE_GOLDEN=1"
    assert svg == path.read_bytes()
    assert svg_text(svg) == encode(type_name, data)
