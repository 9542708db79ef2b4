"""apply_subscription, grace, expiry and the pausing of codes beyond the Free allowance
(qrapp.services.billing.subscriptions / suspension), on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from qrapp.core.plans import GRACE, Resource, Standing
from qrapp.db import read_session, transaction
from qrapp.models import QRCode, Workspace
from qrapp.models.types import utcnow
from qrapp.services.billing import entitlements, subscriptions
from qrapp.services.billing.entitlements import PlanLimitReached
from tests.integration.helpers import team_workspace

DAY = dt.timedelta(days=1)


def _codes(ws: Workspace, n: int, start: dt.datetime) -> list[QRCode]:
    with transaction() as tx:
        codes = [
            QRCode(
                workspace_id=ws.id,
                name=f"code {i}",
                content_type="url",
                is_dynamic=True,
                short_code=f"bill{ws.id.hex[:6]}{i}",
                destination="https://example.com/",
                created_at=start + dt.timedelta(minutes=i),
            )
            for i in range(n)
        ]
        tx.session.add_all(codes)
    return codes


def _apply(ws: Workspace, status: str, period_end: dt.datetime, now: dt.datetime, **kw):
    with transaction() as tx:
        return subscriptions.apply_subscription(
            tx,
            ws.id,
            provider="stripe",
            plan_id=kw.pop("plan_id", "pro"),
            interval="month",
            currency="SEK",
            status=status,
            current_period_end=period_end,
            now=now,
            **kw,
        )


def _paused(ws: Workspace) -> list[str]:
    with read_session() as s:
        return [
            c.name
            for c in s.exec(
                select(QRCode)
                .where(QRCode.workspace_id == ws.id, QRCode.billing_paused_at.is_not(None))
                .order_by(QRCode.created_at)
            ).all()
        ]


def _plan(ws: Workspace) -> str:
    with read_session() as s:
        return s.get(Workspace, ws.id).plan


def test_failed_payment_grace_expiry_and_payment_again(clean_db):
    ws = team_workspace()
    t0 = utcnow()
    _codes(ws, 12, t0 - 100 * DAY)
    _apply(ws, "active", t0 + 30 * DAY, t0)
    assert _plan(ws) == "pro"

    # Payment fails at renewal: grace for 14 days from then, every code still scans.
    failed_at = t0 + 30 * DAY
    sub = _apply(ws, "past_due", t0 + 60 * DAY, failed_at)
    assert sub.grace_until == failed_at + GRACE
    assert _plan(ws) == "pro"
    assert _paused(ws) == []
    # The same state again (a duplicate event) does not move the grace end.
    sub = _apply(ws, "past_due", t0 + 60 * DAY, failed_at + 3 * DAY)
    assert sub.grace_until == failed_at + GRACE

    # Grace over: the beat job expires it; the newest two of twelve pause (oldest kept).
    assert subscriptions.expire_due(failed_at + GRACE - DAY) == 0
    assert subscriptions.expire_due(failed_at + GRACE + DAY) == 1
    assert _plan(ws) == "free"
    assert _paused(ws) == ["code 10", "code 11"]
    with read_session() as s:
        assert (
            subscriptions.workspace_standing(s, ws.id, failed_at + GRACE + DAY) is Standing.EXPIRED
        )
    assert subscriptions.expire_due(failed_at + GRACE + 2 * DAY) == 0

    # Paying again brings every code back at once.
    _apply(ws, "active", failed_at + GRACE + 31 * DAY, failed_at + GRACE + DAY)
    assert _plan(ws) == "pro"
    assert _paused(ws) == []


def test_cancel_with_time_left_keeps_the_plan_through_the_period_and_grace(clean_db):
    ws = team_workspace()
    t0 = utcnow()
    _codes(ws, 11, t0 - 10 * DAY)
    sub = _apply(ws, "canceled", t0 + 10 * DAY, t0)
    assert sub.grace_until == t0 + 10 * DAY + GRACE
    assert _plan(ws) == "pro"
    assert _paused(ws) == []
    assert subscriptions.expire_due(t0 + 10 * DAY + GRACE + DAY) == 1
    assert _paused(ws) == ["code 10"]


def test_an_incomplete_first_payment_grants_nothing_and_pauses_nothing(clean_db):
    ws = team_workspace()
    t0 = utcnow()
    _codes(ws, 11, t0 - DAY)
    _apply(ws, "incomplete", t0 + 30 * DAY, t0)
    assert _plan(ws) == "free"
    assert _paused(ws) == []


def _take_a_dynamic_slot(ws: Workspace) -> None:
    with transaction() as tx:
        entitlements.lock_workspace(tx.session, ws.id)
        entitlements.require_room(tx.session, ws.id, Resource.DYNAMIC_CODES)


def test_room_counts_to_the_limit(clean_db):
    ws = team_workspace()
    _codes(ws, 9, utcnow() - DAY)
    with transaction() as tx:
        entitlements.lock_workspace(tx.session, ws.id)
        entitlements.require_room(tx.session, ws.id, Resource.DYNAMIC_CODES)  # the 10th
    with transaction() as tx:
        tx.session.add(
            QRCode(
                workspace_id=ws.id,
                name="tenth",
                content_type="url",
                is_dynamic=True,
                short_code=f"t{ws.id.hex[:8]}",
            )
        )
    with pytest.raises(PlanLimitReached) as refused:
        _take_a_dynamic_slot(ws)
    assert "Free plan includes 10 dynamic codes" in str(refused.value)
    assert refused.value.upgrade_url == "/billing"
    with read_session() as s:
        u = entitlements.usage(s, ws.id)
    assert (u.dynamic_codes, u.static_codes, u.seats) == (10, 0, 0)


def test_an_expired_plan_keeps_its_analytics_for_a_while_so_paying_again_loses_nothing(clean_db):
    from qrapp.core.ids import uuid7
    from qrapp.models import ScanEvent
    from qrapp.services.analytics import retention

    ws = team_workspace()
    t0 = utcnow()
    with transaction() as tx:
        tx.session.get(Workspace, ws.id).retention_days = 1095
        tx.session.add(
            ScanEvent(
                event_id=uuid7(),
                qrcode_id=uuid7(),
                workspace_id=ws.id,
                occurred_at=t0 - 200 * DAY,
            )
        )
    _apply(ws, "canceled", t0 - 30 * DAY, t0 - 30 * DAY, plan_id="business")

    def events() -> int:
        with read_session() as s:
            return len(s.exec(select(ScanEvent).where(ScanEvent.workspace_id == ws.id)).all())

    # Expired 16 days ago: on Free's limits, but a 200-day-old scan is still kept.
    assert subscriptions.expire_due(t0) == 1
    assert _plan(ws) == "free"
    retention.purge_expired_scans(now=t0)
    assert events() == 1
    # 90 days after the grace ended, Free's 30 days hold.
    retention.purge_expired_scans(now=t0 + 80 * DAY)
    assert events() == 0
