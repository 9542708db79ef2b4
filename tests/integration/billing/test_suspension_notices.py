"""The billing beat jobs, on both databases: warnings 7 days and 1 day before codes would
pause (grace ending) or a Swish/manual period ends, each sent once however often the job
runs, naming the codes that would pause newest first; and the beat schedule's entries."""

from __future__ import annotations

import dataclasses
import datetime as dt

from qrapp.core.permissions import Role
from qrapp.core.plans import PLANS, PlanId
from qrapp.db import transaction
from qrapp.models import QRCode, Workspace
from qrapp.models.types import utcnow
from qrapp.services.billing import notices, pause_notice, subscriptions
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace
from tests.support.waiting import eventually
from workers import tasks
from workers.celery_app import app

DAY = dt.timedelta(days=1)
FREE = PLANS[PlanId.FREE].dynamic_codes or 0


def _workspace_with_owner(email: str, n_codes: int) -> Workspace:
    owner = actor(sign_up_and_session(email, "Owner"))
    ws = team_workspace("Café Nord")
    add_member(ws.id, owner.user_id, Role.OWNER)
    start = utcnow() - 100 * DAY
    with transaction() as tx:
        tx.session.add_all(
            QRCode(
                workspace_id=ws.id,
                name=f"Menu {i}",
                content_type="url",
                is_dynamic=True,
                short_code=f"warn{ws.id.hex[-8:]}{i}",
                destination="https://example.com/",
                created_at=start + dt.timedelta(minutes=i),
            )
            for i in range(n_codes)
        )
    return ws


def _apply(ws: Workspace, provider: str, status: str, period_end: dt.datetime, now: dt.datetime):
    with transaction() as tx:
        subscriptions.apply_subscription(
            tx,
            ws.id,
            provider=provider,
            plan_id="pro",
            interval="month",
            currency="SEK",
            status=status,
            current_period_end=period_end,
            now=now,
        )


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_grace_warnings_7_days_and_1_day_before_each_once(mail):
    ws = _workspace_with_owner("grace-owner@example.com", FREE + 2)
    t0 = utcnow()
    _apply(ws, "stripe", "past_due", t0, t0)  # grace until t0 + 14 days

    assert notices.send_due_warnings(now=t0 + 2 * DAY) == 0  # 12 days left: nothing yet
    assert notices.send_due_warnings(now=t0 + 7 * DAY + dt.timedelta(hours=1)) == 1
    assert notices.send_due_warnings(now=t0 + 7 * DAY + dt.timedelta(hours=2)) == 0
    seven = mail.wait_for("grace-owner@example.com", "2 codes will pause")
    text = _body(seven)
    assert "Menu 11" in text
    assert text.index("Menu 11") < text.index("Menu 10")  # newest first
    assert "Menu 9 " not in text  # the oldest ten stay active
    assert "/billing" in text

    assert notices.send_due_warnings(now=t0 + 13 * DAY + dt.timedelta(hours=1)) == 1
    assert notices.send_due_warnings(now=t0 + 13 * DAY + dt.timedelta(hours=3)) == 0
    assert notices.send_due_warnings(now=t0 + 15 * DAY) == 0  # past: expire_due's turn
    eventually(lambda: mail.count("grace-owner@example.com", "will pause") == 2, 30)


def test_a_swish_period_end_reminder_names_the_codes(mail):
    ws = _workspace_with_owner("swish-owner@example.com", FREE + 1)
    t0 = utcnow()
    _apply(ws, "swish", "active", t0 + 5 * DAY, t0)
    assert notices.send_due_warnings(now=t0) == 1
    assert notices.send_due_warnings(now=t0 + dt.timedelta(hours=1)) == 0
    message = mail.wait_for("swish-owner@example.com", "your paid period ends on")
    text = _body(message)
    assert "Pay again to keep your 1 code beyond the Free plan scanning" in text
    assert "Menu 10" in text
    # A card subscription renews by itself: no reminder before its period ends.
    card = _workspace_with_owner("card-owner@example.com", FREE + 1)
    _apply(card, "stripe", "active", t0 + 5 * DAY, t0)
    assert notices.send_due_warnings(now=t0 + 2 * DAY) == 0


def test_the_beat_schedule_runs_expiry_and_warnings():
    entries = {e["task"]: e["schedule"] for e in app.conf.beat_schedule.values()}
    assert entries[subscriptions.EXPIRE_TASK] == 600.0  # every 10 minutes
    assert notices.WARN_TASK in entries
    assert tasks.billing_expire_due.name == subscriptions.EXPIRE_TASK
    assert tasks.billing_send_warnings.name == notices.WARN_TASK


def _as(actor_, ws: Workspace, role: Role):
    return dataclasses.replace(actor_, workspace_id=ws.id, role=role)


def test_the_banner_says_grace_then_paused_and_less_to_those_who_cannot_pay(clean_db):
    ws = _workspace_with_owner("banner-owner@example.com", FREE + 1)
    someone = actor(sign_up_and_session("banner-viewer@example.com", "Viewer"))
    owner, viewer = _as(someone, ws, Role.OWNER), _as(someone, ws, Role.VIEWER)
    assert pause_notice.workspace_notice(actor=owner).text == ""  # no subscription: free

    t0 = utcnow()
    _apply(ws, "stripe", "past_due", t0, t0)
    grace = pause_notice.workspace_notice(actor=owner)
    until = notices.day_label(t0 + 14 * DAY, "UTC")
    assert grace.text == (
        f"Payment failed: your codes keep scanning until {until}. Pay to keep them all."
    )
    assert (grace.tone, grace.can_pay) == ("grace", True)
    assert not pause_notice.workspace_notice(actor=viewer).can_pay

    # Paid again, then a failure long ago whose grace is over: the beat job expires it.
    _apply(ws, "stripe", "active", t0 + 30 * DAY, t0)
    _apply(ws, "stripe", "past_due", t0 - 20 * DAY, t0 - 20 * DAY)
    assert subscriptions.expire_due() == 1
    paused = pause_notice.workspace_notice(actor=owner)
    assert paused.tone == "paused"
    assert paused.text.startswith("1 code is paused because the paid plan ended on ")
    short = pause_notice.workspace_notice(actor=viewer)
    assert (
        short.text == "1 code is paused because the workspace's plan ended. An owner can renew it."
    )
    assert not short.can_pay
