"""One spreadsheet row as the input for one code, and the options of the whole job.

`build_row` only shapes the cells (trims them, splits tags, turns the design columns into
per-row overrides); the dry run then checks the content with the designer's own rules.
Row numbers count data rows: the first row under the headers is row 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from qrapp.core.bulk.mapping import PAYLOAD_PREFIX, is_dynamic
from qrapp.core.render.design import is_colour

FORMATS = ("png", "svg", "pdf", "eps")
_TAG_SPLIT = re.compile(r"[,;|]")
_PREFIX_LENGTH = len(PAYLOAD_PREFIX)
_SHORT_HEX = re.compile(r"^#?[0-9A-Fa-f]{3}$|^#?[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class RowInput:
    """One code to make. `payload` is set for static codes, `destination` for dynamic
    ones; `design` holds this row's overrides of the job's template only, in the Design's
    own shape (`foreground`, `background`, `frame.text`)."""

    row: int
    name: str
    payload: dict[str, Any]
    destination: str
    alias: str
    tags: tuple[str, ...]
    folder: str
    design: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot become a code (or a warning about it): `field` is the field key
    of the mapping (`url`, `payload.ssid`, `alias`...), or `row`/`design`/`scannability`."""

    row: int
    field: str
    message: str


@dataclass(frozen=True)
class JobOptions:
    content_type: str
    dynamic: bool
    template_id: str | None
    formats: tuple[str, ...] = ("png",)
    png_size: int = 1024
    name_pattern: str = "{row}-{name}"


def cell(cells: list[str], mapping: dict[str, int], key: str) -> str:
    """The trimmed cell mapped to `key`, or "" when unmapped or the row is short."""
    column = mapping.get(key)
    if column is None or column < 0 or column >= len(cells):
        return ""
    return cells[column].strip()


def split_tags(text: str) -> tuple[str, ...]:
    """Tags in one cell, separated by commas, semicolons or bars."""
    if not text:
        return ()
    return tuple(tag for tag in (" ".join(t.split()) for t in _TAG_SPLIT.split(text)) if tag)


def _colour(text: str) -> str | None:
    """#rrggbb from "#1a2b3c", "1A2B3C" or "#abc"; None when it is not a colour."""
    if not _SHORT_HEX.match(text):
        return None
    value = text if text.startswith("#") else "#" + text
    return value.lower() if is_colour(value) else None


def build_row(
    row: int, cells: list[str], mapping: dict[str, int], options: JobOptions
) -> tuple[RowInput, list[RowProblem]]:
    """The row's input as written, and the problems found in its design columns."""
    # One pass over the mapping: this runs for every row of a 100,000-row dry run.
    width = len(cells)
    values = {key: cells[column].strip() for key, column in mapping.items() if 0 <= column < width}
    problems: list[RowProblem] = []
    design: dict[str, Any] = {}
    for key, target in (("fg", "foreground"), ("bg", "background")):
        text = values.get(key)
        if not text:
            continue
        colour = _colour(text)
        if colour is None:
            problems.append(
                RowProblem(row, key, f"'{text[:40]}' is not a colour; use hex like #1a2b3c.")
            )
        else:
            design[target] = colour
    caption = values.get("caption")
    if caption:
        design["frame"] = {"text": caption}
    dynamic = is_dynamic(options.content_type, options.dynamic)
    payload = {}
    if not dynamic:
        # Empty cells are left out so optional fields keep their defaults.
        payload = {
            key[_PREFIX_LENGTH:]: value
            for key, value in values.items()
            if value and key.startswith(PAYLOAD_PREFIX)
        }
    folder = values.get("folder", "")
    return (
        RowInput(
            row=row,
            name=values.get("name", ""),
            payload=payload,
            destination=values.get("url", "") if dynamic else "",
            alias=values.get("alias", ""),
            tags=split_tags(values.get("tags", "")),
            folder=" ".join(folder.split()) if folder else "",
            design=design,
        ),
        problems,
    )


def merge_design(template: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The template's design with a row's overrides on top. A caption on a template
    without a frame brings a banner below the code in the code's colour, or the caption
    would not show."""
    merged = {key: value for key, value in template.items() if key not in overrides}
    merged.update({key: value for key, value in overrides.items() if key != "frame"})
    # A gradient paints over the foreground colour: a row's colour wins over it.
    if "foreground" in overrides:
        merged["gradient"] = None
    if "frame" in overrides:
        frame = dict(template.get("frame") or {})
        frame.update(overrides["frame"])
        if frame.get("style", "none") == "none":
            frame["style"] = "banner-bottom"
            frame["color"] = merged.get("foreground", "#000000")
        merged["frame"] = frame
    return merged
