"""Whether a bulk job's codes will scan, judged without rendering 50,000 symbols: every
row's colour overrides by contrast alone, and the full check (a render and a decode,
~50 ms each) for the template and a few of the densest rows only: codes of one template
differ only in their content and row colours. Used by the dry run (services.bulk.dry_run).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qrapp.core.bulk.rows import RowInput, RowProblem, merge_design
from qrapp.core.render.design import rgb
from qrapp.core.scannability import GOOD_CONTRAST, MIN_CONTRAST, contrast_ratio
from qrapp.core.scannability import check as check_scannable

DENSE_ROWS_CHECKED = 3
OVERRIDE_DESIGNS_CHECKED = 3


def contrast_problem(design: dict[str, Any], overrides: dict[str, Any]) -> dict[str, str] | None:
    """A row's colours too close to scan, found without rendering: every row's colours
    are judged this way, while only a few rows get the full check with a decoder."""
    if not ({"foreground", "background"} & overrides.keys()):
        return None
    ratio = contrast_ratio(rgb(design["foreground"]), rgb(design["background"]))
    ratio = max(ratio, 1 / ratio)  # light on dark is judged by the full check
    if ratio >= MIN_CONTRAST:
        return None
    field = "fg" if "foreground" in overrides else "bg"
    return {
        field: f"The colours are too close to scan ({ratio:.1f}:1); "
        f"aim for {GOOD_CONTRAST:.0f}:1 or more."
    }


def verdict(text: str, design: dict[str, Any]) -> str:
    verdict = check_scannable(text, design)
    return f"{verdict.level}: {' '.join(verdict.reasons)}"


def dense_verdicts(
    candidates: list[tuple[RowInput, int]],
    template: dict[str, Any],
    text_of: Callable[[RowInput], str],
) -> list[RowProblem]:
    """Verdicts for the rows that make the densest symbols (the longest texts: more
    modules, smaller ones at a given print size), and for the densest row of each of a few
    colour and caption overrides, which change contrast and layout."""
    by_density = [row for row, _ in sorted(candidates, key=lambda item: -item[1])]
    # The rough lengths pick a short list; their exact texts pick the densest.
    shortlist = [(row, text_of(row)) for row in by_density[: DENSE_ROWS_CHECKED * 4]]
    shortlist.sort(key=lambda item: -len(item[1].encode("utf-8")))
    chosen: dict[int, tuple[RowInput, str]] = {}
    for row, text in shortlist:
        if len(chosen) < DENSE_ROWS_CHECKED and text not in {t for _, t in chosen.values()}:
            chosen[row.row] = (row, text)
    overrides_seen: set[str] = set()
    for row in by_density:
        key = repr(sorted(row.design.items()))
        if not row.design or key in overrides_seen:
            continue
        overrides_seen.add(key)
        if row.row not in chosen:
            chosen[row.row] = (row, text_of(row))
        if len(overrides_seen) >= OVERRIDE_DESIGNS_CHECKED:
            break
    return [
        RowProblem(row.row, "scannability", verdict(text, merge_design(template, row.design)))
        for row, text in sorted(chosen.values(), key=lambda item: item[0].row)
    ]
