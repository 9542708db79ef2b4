"""The pure parts of Swish payments: how long a paid period lasts, how a phone number
becomes a Swish payer alias, amounts in Swish's text format, the QR code's text."""

from __future__ import annotations

import datetime as dt

import pytest

from qrapp.services.billing.swish import _payer_alias, _period_end, qr_text
from qrapp.services.billing.swish_api import minor, money
from qrapp.services.errors import ServiceError


def _at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 12, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("start", "interval", "end"),
    [
        (_at(2026, 11, 30), "month", _at(2026, 12, 30)),
        (_at(2026, 12, 15), "month", _at(2027, 1, 15)),
        (_at(2027, 1, 31), "month", _at(2027, 2, 28)),  # no 31 February: its last day
        (_at(2028, 1, 31), "month", _at(2028, 2, 29)),
        (_at(2026, 11, 30), "year", _at(2027, 11, 30)),
        (_at(2028, 2, 29), "year", _at(2029, 2, 28)),
    ],
)
def test_a_period_is_a_calendar_month_or_year(start, interval, end):
    assert _period_end(start, interval) == end


@pytest.mark.parametrize(
    ("phone", "alias"),
    [
        ("070-123 45 67", "46701234567"),
        ("+46 70 123 45 67", "46701234567"),
        ("0046701234567", "46701234567"),
        ("(070) 123.45.67", "46701234567"),
    ],
)
def test_phone_numbers_become_swish_payer_aliases(phone, alias):
    assert _payer_alias(phone) == alias


@pytest.mark.parametrize("phone", ["12", "070-abc", "+46 70 123 45 67 89 01 23"])
def test_what_is_no_phone_number_is_refused_on_its_field(phone):
    with pytest.raises(ServiceError) as refused:
        _payer_alias(phone)
    assert refused.value.field == "phone"


def test_amounts_go_as_swish_text_and_come_back_without_float_rounding():
    assert money(14900) == "149.00"
    assert money(5) == "0.05"
    assert money(1234567) == "12345.67"
    assert minor(149.0) == 14900
    assert minor("0.29") == 29
    assert minor(1490.1) == 149010


def test_the_qr_code_holds_swish_s_token_text():
    assert qr_text("abc-DEF_123") == "Dabc-DEF_123"
