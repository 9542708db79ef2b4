"""The dashboard's pure arithmetic: UTC hours regrouped into local buckets across DST,
the heat map, whole and partial UTC days, rankings with shares, labels, and the Kpis."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from qrapp.core.countries import country_name
from qrapp.services.analytics.buckets import (
    WEEKDAYS,
    between,
    breakdown_rows,
    bucket_labels,
    heatmap,
    rank,
    series,
    split_days,
    totals,
    value_label,
)
from qrapp.services.analytics.dashboard import kpis
from qrapp.services.analytics.filters import AnalyticsFilter, resolve_window, zone
from qrapp.services.analytics.views import BreakdownRow, Counts, Point

STOCKHOLM = zone("Europe/Stockholm")


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def window(first: dt.date, last: dt.date, tz=STOCKHOLM, now=None):
    filt = AnalyticsFilter(range="custom", start=first, end=last)
    return resolve_window(filt, tz, now or utc(2027, 1, 1))


# --- Counts -----------------------------------------------------------------------------


def test_counts_of_a_sum_row_reads_nulls_and_decimals():
    assert Counts.of((None, None, None)) == Counts(0, 0, 0)
    assert Counts.of((Decimal(5), 2, Decimal("1"))) == Counts(5, 2, 1)
    assert isinstance(Counts.of((Decimal(5), 2, 1)).scans, int)
    with pytest.raises(ValueError, match="not enough values"):
        Counts.of((1, 2))


def test_counts_add_and_count_bots_only_when_asked():
    c = Counts(3, 2, 1) + Counts(1, 1, 4)
    assert c == Counts(4, 3, 5)
    assert (c.total(False), c.total(True)) == (4, 9)


# --- buckets ----------------------------------------------------------------------------


def test_hour_buckets_skip_the_hour_clocks_jump_over():
    w = window(dt.date(2026, 3, 29), dt.date(2026, 3, 29))  # 02:00 CET -> 03:00 CEST
    labels = bucket_labels(w)
    assert w.granularity == "hour"
    assert len(labels) == 23
    assert "2026-03-29T02:00" not in labels
    assert labels[:3] == ["2026-03-29T00:00", "2026-03-29T01:00", "2026-03-29T03:00"]
    assert labels[-1] == "2026-03-29T23:00"


def test_the_repeated_hour_when_clocks_go_back_is_one_bucket():
    w = window(dt.date(2026, 10, 25), dt.date(2026, 10, 25))  # 03:00 CEST -> 02:00 CET
    labels = bucket_labels(w)
    assert len(labels) == 24
    assert labels.count("2026-10-25T02:00") == 1
    # 00:00 UTC is 02:00 CEST and 01:00 UTC is 02:00 CET: both land in local 02:00.
    rows = {utc(2026, 10, 25, 0): Counts(2, 1, 0), utc(2026, 10, 25, 1): Counts(3, 3, 7)}
    points = {p.label: p for p in series(rows, w, include_bots=False)}
    assert points["2026-10-25T02:00"] == Point("2026-10-25T02:00", 5, 4)
    assert sum(p.scans for p in points.values()) == 5
    with_bots = {p.label: p.scans for p in series(rows, w, include_bots=True)}
    assert with_bots["2026-10-25T02:00"] == 12


def test_day_buckets_are_local_days_and_empty_days_are_zero():
    w = window(dt.date(2026, 3, 25), dt.date(2026, 3, 31))
    assert w.granularity == "day"
    rows = {
        utc(2026, 3, 27, 22): Counts(1, 1, 0),  # 23:00 CET on the 27th
        utc(2026, 3, 27, 23): Counts(2, 0, 0),  # 00:00 CET on the 28th
        utc(2026, 3, 30, 22): Counts(4, 4, 0),  # 00:00 CEST on the 31st
    }
    points = series(rows, w, include_bots=False)
    assert [p.label for p in points] == [f"2026-03-{d}" for d in range(25, 32)]
    assert [p.scans for p in points] == [0, 0, 1, 2, 0, 0, 4]
    assert [p.uniques for p in points] == [0, 0, 1, 0, 0, 0, 4]


def test_week_buckets_start_on_the_monday_before_the_first_day():
    w = window(dt.date(2026, 1, 1), dt.date(2026, 6, 30))  # a Thursday, 181 days
    assert w.granularity == "week"
    labels = bucket_labels(w)
    assert labels[0] == "2025-12-29"
    assert all(dt.date.fromisoformat(label).weekday() == 0 for label in labels)
    assert labels[-1] == "2026-06-29"
    rows = {utc(2026, 1, 4, 12): Counts(1, 1, 0), utc(2026, 1, 5, 12): Counts(2, 1, 0)}
    scans = {p.label: p.scans for p in series(rows, w, include_bots=False) if p.scans}
    assert scans == {"2025-12-29": 1, "2026-01-05": 2}  # Sunday 4th, Monday 5th


def test_the_heat_map_is_local_weekday_by_local_hour():
    w = window(dt.date(2026, 3, 25), dt.date(2026, 3, 31))
    rows = {
        utc(2026, 3, 29, 22): Counts(2, 0, 1),  # Mon 30 Mar 00:00 CEST
        utc(2026, 3, 28, 12): Counts(1, 0, 0),  # Sat 28 Mar 13:00 CET
    }
    grid = heatmap(rows, w, include_bots=False)
    assert (len(grid), {len(row) for row in grid}) == (7, {24})
    assert WEEKDAYS[0] == "Mon"
    assert grid[0][0] == 2
    assert WEEKDAYS[5] == "Sat"
    assert grid[5][13] == 1
    assert sum(map(sum, grid)) == 3
    assert heatmap(rows, w, include_bots=True)[0][0] == 3


def test_totals_and_between_are_half_open():
    rows = {utc(2026, 3, 29, h): Counts(1, 1, h % 2) for h in range(4)}
    assert totals(rows) == Counts(4, 4, 2)
    assert totals({}) == Counts()
    assert between(rows, utc(2026, 3, 29, 1), utc(2026, 3, 29, 3)) == Counts(2, 2, 1)


# --- whole and partial UTC days ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days", "pieces"),
    [
        (  # UTC midnights at both ends: whole days only
            utc(2026, 3, 28),
            utc(2026, 3, 31),
            (dt.date(2026, 3, 28), dt.date(2026, 3, 31)),
            [],
        ),
        (  # Stockholm's local days: a piece before and after
            utc(2026, 3, 27, 23),
            utc(2026, 3, 30, 22),
            (dt.date(2026, 3, 28), dt.date(2026, 3, 30)),
            [(utc(2026, 3, 27, 23), utc(2026, 3, 28)), (utc(2026, 3, 30), utc(2026, 3, 30, 22))],
        ),
        (  # inside one UTC day: no whole day
            utc(2026, 3, 29, 3),
            utc(2026, 3, 29, 17, 30),
            None,
            [(utc(2026, 3, 29, 3), utc(2026, 3, 29, 17, 30))],
        ),
        (  # across one midnight but no whole day between
            utc(2026, 3, 28, 23),
            utc(2026, 3, 29, 22),
            None,
            [(utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))],
        ),
    ],
)
def test_split_days(start, end, days, pieces):
    assert split_days(start, end) == (days, pieces)


# --- rankings and labels ----------------------------------------------------------------


def test_rank_orders_drops_empty_and_shares_of_the_whole():
    values = {
        "b": Counts(3, 1, 0),
        "a": Counts(3, 2, 0),  # tie with b: by key
        "c": Counts(2, 0, 9),
        "bots only": Counts(0, 0, 5),
        "none": Counts(),
    }
    assert rank(values, False, None) == [
        ("a", 3, 2, 0.375),
        ("b", 3, 1, 0.375),
        ("c", 2, 0, 0.25),
    ]
    # The share stays of every key's scans when the list is cut.
    assert rank(values, False, 1) == [("a", 3, 2, 0.375)]
    with_bots = rank(values, True, None)
    assert [key for key, *_ in with_bots] == ["c", "bots only", "a", "b"]
    assert sum(share for *_, share in with_bots) == pytest.approx(1.0)
    assert rank({}, False, 10) == []
    assert rank({"x": Counts()}, True, 10) == []


def test_rank_ties_between_ids_sort_by_their_text():
    ids = [uuid.UUID(int=n) for n in (2, 1)]
    assert [key for key, *_ in rank(dict.fromkeys(ids, Counts(1, 0, 0)), False, 5)] == sorted(
        ids, key=str
    )


@pytest.mark.parametrize(
    ("dimension", "value", "label"),
    [
        ("city", "FR:Paris", ("Paris", "FR")),
        ("city", "Berlin", ("Berlin", "")),
        ("city", "", ("Unknown", "")),
        ("country", "se", (country_name("se"), "SE")),
        ("country", "", ("Unknown", "")),
        ("referrer", "", ("Direct / none", "")),
        ("referrer", "news.example", ("news.example", "")),
        ("device", "mobile", ("Mobile", "")),
        ("device", "bot", ("Bot", "")),
        ("device", "toaster", ("toaster", "")),
        ("source", "link", ("Link click", "")),
        ("os", "", ("Unknown", "")),
        ("browser", "Firefox", ("Firefox", "")),
    ],
)
def test_value_labels(dimension, value, label):
    assert value_label(dimension, value) == label


def test_breakdown_rows_label_and_cut():
    values = {"SE": Counts(3, 2, 0), "": Counts(1, 1, 0), "DE": Counts(0, 0, 2)}
    assert breakdown_rows("country", values, False, None) == [
        BreakdownRow("SE", country_name("SE"), "SE", 3, 2, 0.75),
        BreakdownRow("", "Unknown", "", 1, 1, 0.25),
    ]
    assert [r.value for r in breakdown_rows("country", values, True, 2)] == ["SE", "DE"]


# --- KPIs -------------------------------------------------------------------------------


def test_kpis_from_totals():
    k = kpis(Counts(6, 4, 2), Counts(3, 5, 9), Counts(1, 1, 1), include_bots=False)
    assert (k.scans, k.uniques, k.bots, k.humans) == (6, 4, 2, 6)
    assert k.human_share == 0.75
    assert k.scans_today == 1
    assert (k.previous_scans, k.previous_uniques) == (3, 5)
    assert k.change == 1.0
    assert k.uniques_change == pytest.approx(-0.2)
    with_bots = kpis(Counts(6, 4, 2), Counts(3, 5, 9), Counts(1, 1, 1), include_bots=True)
    assert (with_bots.scans, with_bots.scans_today, with_bots.previous_scans) == (8, 2, 12)


def test_kpis_of_nothing():
    k = kpis(Counts(), Counts(), Counts(), include_bots=True)
    assert k.scans == 0
    assert k.human_share == 1.0
    assert k.change is None
    assert k.uniques_change is None
