"""Whether a dynamic code redirects right now: status, start/end window, weekly schedule.

Pure: the edge calls `check` on every scan with the code's cached facts and the clock;
scan limits and one-per-visitor need storage and are checked by the edge after this.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")

# Reasons the edge turns into a branded page (or the owner's fallback URL).
PAUSED = "paused"
ARCHIVED = "archived"
NOT_STARTED = "not_started"
EXPIRED = "expired"
OUTSIDE_SCHEDULE = "outside_schedule"
LIMIT_REACHED = "limit_reached"
ALREADY_SCANNED = "already_scanned"


class ScheduleError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _minutes(hhmm: str) -> int:
    if not isinstance(hhmm, str) or not _HHMM.match(hhmm):
        raise ScheduleError(f"'{hhmm}' is not a time like 09:00.")
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"'{name}' is not a known time zone.") from None


def normalise_schedule(schedule: dict[str, Any] | None) -> dict[str, Any] | None:
    """Check a weekly schedule and return it in canonical form (or None for "always").

    {"timezone": "Europe/Stockholm", "days": {"mon": [["09:00", "17:00"]], ...}}; a day
    left out is closed; "22:00"-"02:00" runs over midnight into the next day.
    """
    if not schedule:
        return None
    if not isinstance(schedule, dict) or not isinstance(schedule.get("days"), dict):
        raise ScheduleError("A schedule needs a time zone and opening hours per day.")
    tz = str(schedule.get("timezone") or "UTC")
    zone(tz)
    days: dict[str, list[list[str]]] = {}
    for day, windows in schedule["days"].items():
        if day not in DAYS:
            raise ScheduleError(f"'{day}' is not a day; use {', '.join(DAYS)}.")
        if not isinstance(windows, list):
            raise ScheduleError(f"Give {day}'s hours as a list of [from, to] pairs.")
        out = []
        for window in windows:
            if not (isinstance(window, list | tuple) and len(window) == 2):
                raise ScheduleError(f"Give {day}'s hours as [from, to] pairs.")
            start, end = _minutes(window[0]), _minutes(window[1])
            if start == end:
                raise ScheduleError(f"{day}: a window from {window[0]} to itself is empty.")
            out.append([window[0], window[1]])
        if out:
            days[day] = out
    if not days:
        raise ScheduleError("The schedule has no open hours; pause the code instead.")
    return {"timezone": tz, "days": days}


def in_schedule(schedule: dict[str, Any] | None, now: dt.datetime) -> bool:
    if not schedule:
        return True
    local = now.astimezone(zone(schedule.get("timezone", "UTC")))
    minute = local.hour * 60 + local.minute
    today = DAYS[local.weekday()]
    yesterday = DAYS[(local.weekday() - 1) % 7]
    days = schedule.get("days", {})
    for start_s, end_s in days.get(today, []):
        start, end = _minutes(start_s), _minutes(end_s)
        if start < end and start <= minute < end:
            return True
        if start > end and minute >= start:  # opens today, closes after midnight
            return True
    for start_s, end_s in days.get(yesterday, []):
        start, end = _minutes(start_s), _minutes(end_s)
        if start > end and minute < end:  # yesterday's window running past midnight
            return True
    return False


def check(
    *,
    status: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    schedule: dict[str, Any] | None,
    now: dt.datetime,
) -> str | None:
    """None when the code may redirect now, else the reason it may not."""
    if status == "paused":
        return PAUSED
    if status != "active":
        return ARCHIVED
    if starts_at is not None and now < starts_at:
        return NOT_STARTED
    if ends_at is not None and now >= ends_at:
        return EXPIRED
    try:
        if not in_schedule(schedule, now):
            return OUTSIDE_SCHEDULE
    except ScheduleError:
        return OUTSIDE_SCHEDULE  # a broken row fails closed, never open
    return None
