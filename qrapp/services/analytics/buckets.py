"""Pure arithmetic of the dashboard: counts per UTC hour grouped into local buckets (the
time series, the weekday x hour heat map), the labels people read for stored values, and
rankings with shares. No database: qrapp.services.analytics.reads fetches the counts.

Regrouping UTC hours into local hours is exact for every zone with whole-hour offsets,
DST changes included.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import TypeVar

from qrapp.core.countries import country_name
from qrapp.core.scan_dimensions import split_city
from qrapp.services.analytics.filters import Window
from qrapp.services.analytics.views import BreakdownRow, Counts, Point

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # the heat map's rows

K = TypeVar("K")

# --- time -------------------------------------------------------------------------------


def floor_hour(t: dt.datetime) -> dt.datetime:
    return t.replace(minute=0, second=0, microsecond=0)


def utc_day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def split_days(
    start: dt.datetime, end: dt.datetime
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.datetime, dt.datetime]]]:
    """Whole UTC days inside [start, end) as (first day, day after the last), or None,
    and the partial pieces around them."""
    first_full = start.date() if start == utc_day_start(start.date()) else start.date() + DAY
    last_full_end = end.date()  # whole days end before the UTC midnight at or before end
    if first_full >= last_full_end:
        return None, [(start, end)]
    pieces = []
    if start < utc_day_start(first_full):
        pieces.append((start, utc_day_start(first_full)))
    if utc_day_start(last_full_end) < end:
        pieces.append((utc_day_start(last_full_end), end))
    return (first_full, last_full_end), pieces


# --- hourly counts ----------------------------------------------------------------------


def totals(rows: Mapping[dt.datetime, Counts]) -> Counts:
    out = Counts()
    for counts in rows.values():
        out = out + counts
    return out


def between(rows: Mapping[dt.datetime, Counts], start: dt.datetime, end: dt.datetime) -> Counts:
    return totals({h: c for h, c in rows.items() if start <= h < end})


def _bucket(hour: dt.datetime, window: Window) -> str:
    local = hour.astimezone(window.tz)
    if window.granularity == "hour":
        return local.strftime("%Y-%m-%dT%H:00")
    day = local.date()
    if window.granularity == "week":
        day -= dt.timedelta(days=day.weekday())
    return day.isoformat()


def bucket_labels(window: Window) -> list[str]:
    """Every bucket of the window, in order, so empty stretches show as zero."""
    if window.granularity == "hour":
        labels, t = [], window.start
        while t < window.end:
            label = _bucket(t, window)
            if label not in labels:  # the repeated hour when clocks go back
                labels.append(label)
            t += HOUR
        return labels
    step = 7 if window.granularity == "week" else 1
    first = window.first_day
    if window.granularity == "week":
        first -= dt.timedelta(days=first.weekday())
    return [
        (first + dt.timedelta(days=i)).isoformat()
        for i in range(0, (window.last_day - first).days + 1, step)
    ]


def series(rows: Mapping[dt.datetime, Counts], window: Window, include_bots: bool) -> list[Point]:
    scans: dict[str, int] = defaultdict(int)
    uniques: dict[str, int] = defaultdict(int)
    for hour, counts in rows.items():
        label = _bucket(hour, window)
        scans[label] += counts.total(include_bots)
        uniques[label] += counts.uniques
    return [Point(label, scans[label], uniques[label]) for label in bucket_labels(window)]


def heatmap(
    rows: Mapping[dt.datetime, Counts], window: Window, include_bots: bool
) -> list[list[int]]:
    """[weekday 0=Mon][local hour] -> scans."""
    grid = [[0] * 24 for _ in range(7)]
    for hour, counts in rows.items():
        local = hour.astimezone(window.tz)
        grid[local.weekday()][local.hour] += counts.total(include_bots)
    return grid


# --- rankings and labels ----------------------------------------------------------------


def rank(
    values: Mapping[K, Counts], include_bots: bool, limit: int | None
) -> list[tuple[K, int, int, float]]:
    """(key, scans, uniques, share) of the keys with scans, most first (ties by the key as
    text); the share is of every key's scans, not only of the first `limit` kept."""
    counted = [(key, c.total(include_bots), c.uniques) for key, c in values.items()]
    counted = [row for row in counted if row[1]]
    counted.sort(key=lambda row: (-row[1], str(row[0])))
    grand = sum(scans for _, scans, _ in counted) or 1
    kept = counted[:limit] if limit else counted
    return [(key, scans, uniques, scans / grand) for key, scans, uniques in kept]


_LABELS = {
    "device": {"mobile": "Mobile", "tablet": "Tablet", "desktop": "Desktop", "bot": "Bot"},
    "source": {"qr": "QR scan", "link": "Link click"},
}
_UNKNOWN = {"referrer": "Direct / none"}


def value_label(dimension: str, value: str) -> tuple[str, str]:
    """(what people read, ISO country code for a flag or "") for a stored value."""
    if dimension == "city":
        country, city = split_city(value)
        return (city or "Unknown"), country
    if dimension == "country":
        return country_name(value) if value else "Unknown", value.upper()
    if not value:
        return _UNKNOWN.get(dimension, "Unknown"), ""
    return _LABELS.get(dimension, {}).get(value, value), ""


def breakdown_rows(
    dimension: str, values: Mapping[str, Counts], include_bots: bool, limit: int | None
) -> list[BreakdownRow]:
    return [
        BreakdownRow(value, *value_label(dimension, value), scans, uniques, share)
        for value, scans, uniques, share in rank(values, include_bots, limit)
    ]
