"""Cells safe to open in a spreadsheet: shared by every CSV and XLSX the product writes
(analytics exports, bulk dry-run reports, bulk manifests)."""

from __future__ import annotations

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets
# (OWASP "CSV injection"); an apostrophe in front makes it plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 4096


def neutralise(value: object) -> str:
    """Text safe to open in a spreadsheet: no formula, no control junk, bounded."""
    text = str(value if value is not None else "")
    text = text.encode("utf-8", "replace").decode("utf-8", "replace")[:MAX_CELL]
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
