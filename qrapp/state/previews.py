"""A code's preview for the browser: PNG as a data URI and its verdict, encoded once."""

from __future__ import annotations

import base64
from typing import Any

from qrapp.core.scannability import render_checked


def preview(text: str, design: dict[str, Any], size: int) -> tuple[str, str, list[str]]:
    """(data URI, verdict level, reasons); raises PayloadError on bad input."""
    png, verdict = render_checked(text, design, "png", size=size)
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    return uri, verdict.level, list(verdict.reasons)
