"""Settings -> API keys: the expiry date a person picks."""

from __future__ import annotations

import datetime as dt

import pytest

from qrapp.state.api_keys import parse_expiry


def test_an_expiry_date_means_the_end_of_that_day_in_utc():
    today = dt.date(2026, 11, 30)
    assert parse_expiry("", today) is None
    assert parse_expiry("2026-11-30", today) == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert parse_expiry(" 2027-01-15 ", today) == dt.datetime(2027, 1, 16, tzinfo=dt.UTC)


@pytest.mark.parametrize("text", ["2026-11-29", "30/11/2026", "tomorrow"])
def test_a_past_or_unreadable_date_is_refused(text):
    with pytest.raises(ValueError, match=r"expiry date|Invalid isoformat"):
        parse_expiry(text, dt.date(2026, 11, 30))
