"""What the analytics services hand out: plain frozen dataclasses that the dashboard state,
its figures and the exports read. No I/O here, and nothing that knows where figures
come from."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from qrapp.services.analytics.filters import AnalyticsFilter, Window


@dataclass(frozen=True)
class Counts:
    scans: int = 0  # human
    uniques: int = 0  # human, first of the day for the visitor
    bots: int = 0

    @classmethod
    def of(cls, sums: Sequence[int | None]) -> Counts:
        """From the (scans, uniques, bots) sums of a query row: SQL's SUM over no rows is
        NULL, and some drivers hand back Decimals."""
        scans, uniques, bots = sums
        return cls(int(scans or 0), int(uniques or 0), int(bots or 0))

    def total(self, include_bots: bool) -> int:
        return self.scans + (self.bots if include_bots else 0)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.scans + other.scans, self.uniques + other.uniques, self.bots + other.bots
        )


@dataclass(frozen=True)
class Point:
    label: str  # ISO local date or datetime of the bucket start
    scans: int
    uniques: int


@dataclass(frozen=True)
class BreakdownRow:
    value: str  # as stored ("" = unknown)
    label: str  # for people
    country: str  # ISO code for a flag, "" if none
    scans: int
    uniques: int
    share: float  # of the dimension's total, 0..1


@dataclass(frozen=True)
class CodeRow:
    id: uuid.UUID
    name: str
    short_code: str
    scans: int
    uniques: int
    share: float


@dataclass(frozen=True)
class FeedRow:
    event_id: uuid.UUID
    occurred_at: dt.datetime  # UTC
    local_time: str
    code_name: str
    country: str
    city: str
    device: str
    os: str
    browser: str
    source: str
    is_bot: bool


@dataclass(frozen=True)
class Kpis:
    scans: int
    uniques: int
    bots: int
    humans: int
    human_share: float  # humans / (humans + bots), 1.0 when nothing
    scans_today: int
    previous_scans: int
    previous_uniques: int

    @property
    def change(self) -> float | None:
        """Relative change of scans vs the previous period; None when it had none."""
        if not self.previous_scans:
            return None
        return (self.scans - self.previous_scans) / self.previous_scans

    @property
    def uniques_change(self) -> float | None:
        if not self.previous_uniques:
            return None
        return (self.uniques - self.previous_uniques) / self.previous_uniques


@dataclass(frozen=True)
class Dashboard:
    filter: AnalyticsFilter
    window: Window
    timezone: str
    range_label: str
    kpis: Kpis
    series: list[Point]
    previous_series: list[Point]
    heatmap: list[list[int]]  # [weekday 0=Mon][local hour]
    breakdowns: dict[str, list[BreakdownRow]]
    top_codes: list[CodeRow]
    feed: list[FeedRow]
    has_codes: bool
    has_any_scans: bool
    code: CodeRow | None = None  # set when the filter is exactly one code
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Options:
    """What the filter menus offer: the workspace's own codes, tags and folders."""

    codes: list[tuple[uuid.UUID, str]]
    tags: list[str]
    folders: list[tuple[uuid.UUID, str]]
    timezone: str
    # landing pages that dynamic codes point at (the "page" filter)
    pages: list[tuple[uuid.UUID, str]] = field(default_factory=list)
