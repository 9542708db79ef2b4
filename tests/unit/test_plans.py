"""The plans table and where a subscription stands (qrapp.core.plans)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from qrapp.core.plans import (
    GRACE,
    PLANS,
    Currency,
    Interval,
    PlanId,
    Resource,
    Standing,
    limit_label,
    plan,
    price_label,
    standing,
)

NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def test_every_plan_has_every_price_and_limits_grow_with_the_plan():
    order = list(PLANS.values())
    for p in order:
        for c in Currency:
            for i in Interval:
                assert p.price(c, i) >= 0
        assert p.price(Currency.SEK, Interval.YEAR) <= 12 * p.price(Currency.SEK, Interval.MONTH)
    for lower, higher in itertools.pairwise(order):
        assert higher.price("SEK", "month") > lower.price("SEK", "month")
        for r in Resource:
            lo, hi = lower.limit(r), higher.limit(r)
            assert hi is None or (lo is not None and hi >= lo), (r, lower.id, higher.id)
        assert set(lower.retention_days) <= set(higher.retention_days)
    assert PLANS[PlanId.FREE].dynamic_codes == 10
    assert PLANS[PlanId.FREE].retention_days == (30,)


def test_an_unknown_plan_reads_as_free():
    assert plan("platinum").id is PlanId.FREE
    assert plan("pro").id is PlanId.PRO


@pytest.mark.parametrize(
    ("plan_id", "status", "period_end", "grace_until", "expected"),
    [
        (None, None, None, None, Standing.FREE),
        ("free", "active", NOW + DAY, None, Standing.FREE),
        ("pro", "incomplete", NOW + DAY, None, Standing.FREE),
        ("pro", "active", NOW + DAY, NOW + DAY + GRACE, Standing.ACTIVE),
        ("pro", "trialing", NOW + DAY, NOW + DAY + GRACE, Standing.TRIALING),
        # A period that ended without a renewal: grace, then expired.
        ("pro", "active", NOW - DAY, NOW - DAY + GRACE, Standing.GRACE),
        ("pro", "active", NOW - 20 * DAY, NOW - 6 * DAY, Standing.EXPIRED),
        ("pro", "past_due", NOW + DAY, NOW + 3 * DAY, Standing.GRACE),
        ("pro", "past_due", NOW + DAY, NOW - DAY, Standing.EXPIRED),
        ("business", "canceled", NOW - DAY, NOW + 13 * DAY, Standing.GRACE),
        ("business", "expired", NOW - 30 * DAY, NOW - 16 * DAY, Standing.EXPIRED),
        # Once settled as expired it stays so, even if a test or an operator moved dates.
        ("business", "expired", NOW - 30 * DAY, NOW + DAY, Standing.EXPIRED),
    ],
)
def test_standing(plan_id, status, period_end, grace_until, expected):
    got = standing(
        plan_id=plan_id, status=status, period_end=period_end, grace_until=grace_until, now=NOW
    )
    assert got is expected


def test_labels():
    assert price_label(14900, "SEK") == "149 kr"
    assert price_label(1400, "EUR") == "€14"
    assert price_label(149000, "SEK") == "1\u202f490 kr"
    assert limit_label(None, Resource.SEATS) == "Unlimited"
    assert limit_label(2 * 1024**3, Resource.MEDIA_BYTES) == "2 GB"
    assert limit_label(100 * 1024**2, Resource.MEDIA_BYTES) == "100 MB"
