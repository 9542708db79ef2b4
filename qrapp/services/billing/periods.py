"""Billing periods: a month or a year from a moment, the way providers count them."""

from __future__ import annotations

import calendar
import datetime as dt

from qrapp.core.plans import Interval


def add_interval(start: dt.datetime, interval: Interval | str, count: int = 1) -> dt.datetime:
    """`start` plus `count` months or years; a day the target month lacks (31 Jan + 1
    month) becomes its last day, so a period never skips a month."""
    months = count * (12 if Interval(interval) is Interval.YEAR else 1)
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month0 + 1)[1])
    return start.replace(year=year, month=month0 + 1, day=day)
