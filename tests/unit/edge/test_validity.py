"""Validity: status, start/end, weekly schedules in a time zone (also over midnight)."""

from __future__ import annotations

import datetime as dt

import pytest

from qrapp.core import validity
from qrapp.core.validity import ScheduleError, check, in_schedule, normalise_schedule

WED_NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def chk(now=WED_NOON, **kw):
    kw.setdefault("status", "active")
    kw.setdefault("starts_at", None)
    kw.setdefault("ends_at", None)
    kw.setdefault("schedule", None)
    return check(now=now, **kw)


def test_status():
    assert chk() is None
    assert chk(status="paused") == validity.PAUSED
    assert chk(status="archived") == validity.ARCHIVED
    assert chk(status="bogus") == validity.ARCHIVED


def test_window_edges():
    assert chk(starts_at=WED_NOON + dt.timedelta(seconds=1)) == validity.NOT_STARTED
    assert chk(starts_at=WED_NOON) is None
    assert chk(ends_at=WED_NOON) == validity.EXPIRED
    assert chk(ends_at=WED_NOON + dt.timedelta(seconds=1)) is None


def test_schedule_in_its_time_zone():
    office = {"timezone": "America/New_York", "days": {"wed": [["09:00", "17:00"]]}}
    # 12:00 UTC = 07:00 in New York: closed; 15:00 UTC = 10:00: open.
    assert chk(schedule=office) == validity.OUTSIDE_SCHEDULE
    assert chk(schedule=office, now=WED_NOON + dt.timedelta(hours=3)) is None


def test_schedule_over_midnight():
    night = {"timezone": "UTC", "days": {"wed": [["22:00", "02:00"]]}}
    assert in_schedule(night, WED_NOON.replace(hour=23))
    assert in_schedule(night, WED_NOON.replace(hour=1) + dt.timedelta(days=1))  # thu 01:00
    assert not in_schedule(night, WED_NOON.replace(hour=2) + dt.timedelta(days=1))
    assert not in_schedule(night, WED_NOON.replace(hour=1))  # wed 01:00: tue was closed


def test_broken_stored_schedule_fails_closed():
    assert chk(schedule={"timezone": "Mars/Olympus", "days": {"wed": [["00:00", "24:00"]]}}) == (
        validity.OUTSIDE_SCHEDULE
    )


@pytest.mark.parametrize(
    "schedule",
    [
        {"timezone": "Nowhere/City", "days": {"mon": [["09:00", "17:00"]]}},
        {"timezone": "UTC", "days": {"funday": [["09:00", "17:00"]]}},
        {"timezone": "UTC", "days": {"mon": [["9am", "17:00"]]}},
        {"timezone": "UTC", "days": {"mon": [["09:00", "09:00"]]}},
        {"timezone": "UTC", "days": {"mon": []}},
        {"timezone": "UTC"},
    ],
)
def test_bad_schedules_refused(schedule):
    with pytest.raises(ScheduleError):
        normalise_schedule(schedule)


def test_schedule_normalised():
    assert normalise_schedule(None) is None
    out = normalise_schedule(
        {"timezone": "Europe/Stockholm", "days": {"mon": [["09:00", "24:00"]], "tue": []}}
    )
    assert out == {"timezone": "Europe/Stockholm", "days": {"mon": [["09:00", "24:00"]]}}
