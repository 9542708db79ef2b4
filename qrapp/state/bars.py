"""Rows of the share-bar lists (top codes on the dashboard and in analytics)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict


class CodeView(TypedDict):
    id: str
    name: str
    scans: str
    share: str
    width: str


def number(value: int) -> str:
    return f"{value:,}"


def percent(value: float) -> str:
    return f"{value:.0%}" if value >= 0.01 or value == 0 else "<1%"


def code_bars(codes: Iterable[tuple[object, str, int, float]]) -> list[CodeView]:
    """(id, name, scans, share) -> rows whose bar width is relative to the busiest code."""
    codes = list(codes)
    top = max((scans for _, _, scans, _ in codes), default=0) or 1
    return [
        CodeView(
            id=str(code_id),
            name=name,
            scans=number(scans),
            share=percent(share),
            width=f"{max(2, round(100 * scans / top))}%",
        )
        for code_id, name, scans, share in codes
    ]
