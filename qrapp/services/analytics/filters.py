"""What a dashboard shows: the filter a person picks (and shares as a URL) and the time
window it resolves to in the workspace's time zone.

Client input is parsed leniently: an unknown or malformed value falls back to its
default instead of failing, so an edited or stale shared link still opens a dashboard.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict

RangeKey = Literal["today", "7d", "30d", "90d", "month", "custom"]
Granularity = Literal["hour", "day", "week"]

RANGE_LABELS: dict[str, str] = {
    "today": "Today",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "month": "This month",
    "custom": "Custom",
}
DEFAULT_RANGE: RangeKey = "30d"
MAX_CUSTOM_DAYS = 3 * 366
MAX_CODES = 50
MAX_TAGS = 20
MAX_FOLDERS = 20
MAX_PAGES = 20


class AnalyticsFilter(BaseModel):
    """Dates are local calendar days in the workspace's time zone, both inclusive."""

    model_config = ConfigDict(frozen=True)

    range: RangeKey = DEFAULT_RANGE
    start: dt.date | None = None
    end: dt.date | None = None
    codes: tuple[uuid.UUID, ...] = ()
    tags: tuple[str, ...] = ()
    folders: tuple[uuid.UUID, ...] = ()
    # Landing pages: the codes whose destination is one of them (services.codes.code_pages)
    pages: tuple[uuid.UUID, ...] = ()
    bots: bool = False

    @property
    def narrows_codes(self) -> bool:
        return bool(self.codes or self.tags or self.folders or self.pages)

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> AnalyticsFilter:
        """From URL query parameters: range, from, to, code, tag, folder, page (repeated
        or comma-separated) and bots=1."""
        range_key = _one(params, "range")
        if range_key not in RANGE_LABELS:
            range_key = DEFAULT_RANGE
        start, end = _date(_one(params, "from")), _date(_one(params, "to"))
        if range_key == "custom":
            if start is None or end is None:
                range_key, start, end = DEFAULT_RANGE, None, None
            else:
                if end < start:
                    start, end = end, start
                if (end - start).days >= MAX_CUSTOM_DAYS:
                    start = end - dt.timedelta(days=MAX_CUSTOM_DAYS - 1)
        else:
            start = end = None
        return cls(
            range=cast(RangeKey, range_key),  # checked against RANGE_LABELS above
            start=start,
            end=end,
            codes=tuple(_uuids(_many(params, "code")))[:MAX_CODES],
            tags=tuple(_tags(_many(params, "tag")))[:MAX_TAGS],
            folders=tuple(_uuids(_many(params, "folder")))[:MAX_FOLDERS],
            pages=tuple(_uuids(_many(params, "page")))[:MAX_PAGES],
            bots=_one(params, "bots") in ("1", "true", "yes"),
        )

    def to_query(self) -> str:
        """The canonical query string (defaults left out), for shareable URLs."""
        pairs: list[tuple[str, str]] = []
        if self.range != DEFAULT_RANGE:
            pairs.append(("range", self.range))
        if self.range == "custom" and self.start and self.end:
            pairs += [("from", self.start.isoformat()), ("to", self.end.isoformat())]
        pairs += [("code", str(c)) for c in self.codes]
        pairs += [("tag", t) for t in self.tags]
        pairs += [("folder", str(f)) for f in self.folders]
        pairs += [("page", str(p)) for p in self.pages]
        if self.bots:
            pairs.append(("bots", "1"))
        return urlencode(pairs)


def _many(params: Mapping[str, Any], key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    values = raw if isinstance(raw, list | tuple) else [raw]
    out: list[str] = []
    for value in values:
        if isinstance(value, str):
            out += [v for v in value.split(",") if v.strip()]
    return out


def _one(params: Mapping[str, Any], key: str) -> str:
    values = _many(params, key)
    return values[0].strip() if values else ""


def _date(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2100, 1, 1) else None


def _uuids(values: list[str]) -> list[uuid.UUID]:
    out: list[uuid.UUID] = []
    for value in values:
        try:
            parsed = uuid.UUID(value.strip()[:64])
        except ValueError:
            continue
        if parsed not in out:
            out.append(parsed)
    return out


def _tags(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        tag = " ".join(value.split())[:40]
        if tag and tag not in out:
            out.append(tag)
    return out


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant a local day starts (DST-safe: midnight exists in every zone we
    know of, and fold=0 picks the first if it repeats)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)


@dataclass(frozen=True)
class Window:
    """[start, end) in UTC, covering local days first_day..last_day."""

    tz: ZoneInfo
    first_day: dt.date
    last_day: dt.date
    start: dt.datetime
    end: dt.datetime
    now: dt.datetime

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def granularity(self) -> Granularity:
        if self.days <= 2:
            return "hour"
        if self.days <= 120:
            return "day"
        return "week"

    @property
    def until(self) -> dt.datetime:
        """Where data can exist: the end, or now for a window that is still running."""
        return min(self.end, self.now)

    def previous(self) -> Window:
        """The same number of days just before, cut at the same elapsed time, so a
        running period is compared with the same share of the period before it."""
        first = self.first_day - dt.timedelta(days=self.days)
        last = self.first_day - dt.timedelta(days=1)
        start = local_midnight(first, self.tz)
        end = local_midnight(self.first_day, self.tz)
        if self.until >= self.end:  # a finished period: compare whole days (DST-proof)
            return Window(self.tz, first, last, start, end, end)
        elapsed = self.until - self.start
        return Window(self.tz, first, last, start, end, min(end, start + elapsed))


def resolve_window(filt: AnalyticsFilter, tz: ZoneInfo, now: dt.datetime) -> Window:
    today = now.astimezone(tz).date()
    if filt.range == "custom" and filt.start and filt.end:
        first, last = filt.start, filt.end
    elif filt.range == "today":
        first = last = today
    elif filt.range == "month":
        first, last = today.replace(day=1), today
    else:
        days = {"7d": 7, "30d": 30, "90d": 90}[filt.range]
        first, last = today - dt.timedelta(days=days - 1), today
    start = local_midnight(first, tz)
    end = local_midnight(last + dt.timedelta(days=1), tz)
    return Window(tz, first, last, start, end, now)
