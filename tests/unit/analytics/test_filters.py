"""Filters from URLs (lenient, canonical round trip) and windows in local time."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from qrapp.core.scan_dimensions import city_value, dimension_values, split_city
from qrapp.core.spreadsheet_cells import neutralise
from qrapp.services.analytics.filters import AnalyticsFilter, resolve_window, zone

NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)
CODE = uuid.UUID("0190a0b0-0000-7000-8000-000000000001")


def test_round_trip_through_the_url():
    f = AnalyticsFilter(
        range="custom",
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 9),
        codes=(CODE,),
        tags=("menu", "spring sale"),
        bots=True,
    )
    q = f.to_query()
    assert q == (
        f"range=custom&from=2026-03-01&to=2026-03-09&code={CODE}&tag=menu&tag=spring+sale&bots=1"
    )
    from urllib.parse import parse_qs

    assert AnalyticsFilter.from_query(parse_qs(q)) == f
    assert AnalyticsFilter().to_query() == ""


@pytest.mark.parametrize(
    "params",
    [
        {"range": "forever"},
        {"range": "custom"},  # no dates
        {"range": "custom", "from": "2026-13-01", "to": "x"},
        {"code": "'; drop table x"},
        {"bots": "maybe"},
        {"range": ["7d", "30d"], "from": 3},
    ],
)
def test_bad_input_falls_back_to_defaults(params):
    f = AnalyticsFilter.from_query(params)
    assert f.range in ("30d", "7d")
    assert f.codes == ()
    assert f.bots is False
    assert f.start is None


def test_custom_range_is_ordered_and_capped():
    f = AnalyticsFilter.from_query({"range": "custom", "from": "2026-03-09", "to": "2020-01-01"})
    assert f.start == dt.date(2026, 3, 9) - dt.timedelta(days=3 * 366 - 1)
    assert f.end == dt.date(2026, 3, 9)


def test_comma_separated_and_repeated_lists_dedupe():
    f = AnalyticsFilter.from_query({"tag": ["a,b", "a"], "code": [f"{CODE},{CODE}"]})
    assert f.tags == ("a", "b")
    assert f.codes == (CODE,)


def test_windows_in_local_time():
    tz = zone("Europe/Stockholm")
    w = resolve_window(AnalyticsFilter(range="7d"), tz, NOW)
    assert (w.first_day, w.last_day) == (dt.date(2026, 3, 25), dt.date(2026, 3, 31))
    assert w.start == dt.datetime(2026, 3, 24, 23, tzinfo=dt.UTC)  # CET
    assert w.end == dt.datetime(2026, 3, 31, 22, tzinfo=dt.UTC)  # CEST
    assert w.granularity == "day"
    assert w.until == NOW
    prev = w.previous()
    assert (prev.first_day, prev.last_day) == (dt.date(2026, 3, 18), dt.date(2026, 3, 24))
    assert prev.until - prev.start == NOW - w.start  # same elapsed share
    month = resolve_window(AnalyticsFilter(range="month"), tz, NOW)
    assert month.first_day == dt.date(2026, 3, 1)
    assert resolve_window(AnalyticsFilter(range="today"), tz, NOW).granularity == "hour"
    assert resolve_window(AnalyticsFilter(range="90d"), tz, NOW).granularity == "day"
    year = AnalyticsFilter(range="custom", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert resolve_window(year, tz, NOW).granularity == "week"


def test_unknown_zone_is_utc():
    assert zone("Mars/Olympus").key == "UTC"
    assert zone(None).key == "UTC"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("ok", "ok"),
        ("a=b", "a=b"),
        (None, ""),
        ("x" * 70_000, "x" * 4096),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_city_values_match_the_ingest():
    assert city_value("FR", "Paris") == "Paris"  # as the ingest stores it
    assert city_value("FR", "") == ""
    assert split_city("FR:Paris") == ("FR", "Paris")
    assert split_city("Paris") == ("", "Paris")
    values = dimension_values(
        country="US",
        city="Paris",
        device_type="mobile",
        os="iOS",
        browser="Safari",
        language="en",
        referrer_host="",
        source="qr",
    )
    assert values["city"] == "Paris"
    assert set(values) == {
        "country",
        "city",
        "device",
        "os",
        "browser",
        "language",
        "referrer",
        "source",
    }
