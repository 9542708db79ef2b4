"""Billing periods (services.billing.periods): a month or a year on, never skipping a
month when the start day does not exist in the target month."""

from __future__ import annotations

import datetime as dt

import pytest

from qrapp.services.billing.periods import add_interval


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("start", "interval", "expected"),
    [
        (utc(2026, 1, 15, 9, 30), "month", utc(2026, 2, 15, 9, 30)),
        (utc(2026, 1, 31), "month", utc(2026, 2, 28)),
        (utc(2028, 1, 31), "month", utc(2028, 2, 29)),
        (utc(2026, 12, 5), "month", utc(2027, 1, 5)),
        (utc(2028, 2, 29), "year", utc(2029, 2, 28)),
        (utc(2026, 11, 30, 23, 59), "year", utc(2027, 11, 30, 23, 59)),
    ],
)
def test_add_interval(start, interval, expected):
    assert add_interval(start, interval) == expected


def test_twelve_months_are_a_year():
    start = utc(2026, 3, 31)
    assert add_interval(start, "month", 12) == add_interval(start, "year")
