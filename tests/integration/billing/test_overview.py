"""The billing page's overview and actions: who sees what, the dates that matter for each
standing, usage against the plan, paused codes, invoices newest first; every action
refuses anyone but an owner before a provider is asked."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from qrapp.core.permissions import Role
from qrapp.core.plans import GRACE, PlanId, Standing
from qrapp.db import transaction
from qrapp.models import QRCode, Workspace
from qrapp.models.billing import Invoice
from qrapp.models.types import utcnow
from qrapp.services.authz import Actor
from qrapp.services.billing import payments, subscriptions
from qrapp.services.billing.overview import billing_overview
from qrapp.services.errors import PermissionDenied, ServiceError
from tests.integration.helpers import team_workspace

DAY = dt.timedelta(days=1)


def _actor(ws: Workspace, role: Role) -> Actor:
    return Actor(
        user_id=uuid.uuid4(),
        email=f"{role.value}@example.com",
        name=role.label,
        email_verified=True,
        session_id=uuid.uuid4(),
        workspace_id=ws.id,
        role=role,
    )


def _codes(ws: Workspace, n: int, start: dt.datetime) -> None:
    with transaction() as tx:
        tx.session.add_all(
            QRCode(
                workspace_id=ws.id,
                name=f"code {i}",
                content_type="url",
                is_dynamic=True,
                short_code=f"ov{ws.id.hex[:6]}{i}",
                destination="https://example.com/",
                created_at=start + dt.timedelta(minutes=i),
            )
            for i in range(n)
        )


def _apply(ws: Workspace, status: str, period_end, now, **kw) -> None:
    with transaction() as tx:
        subscriptions.apply_subscription(
            tx,
            ws.id,
            provider=kw.pop("provider", "stripe"),
            plan_id=kw.pop("plan_id", "pro"),
            interval="year",
            currency="EUR",
            status=status,
            current_period_end=period_end,
            now=now,
            **kw,
        )


def test_a_fresh_workspace_reads_free_with_its_limits_and_no_invoices(clean_db):
    ws = team_workspace()
    _codes(ws, 3, utcnow() - DAY)
    view = billing_overview(actor=_actor(ws, Role.OWNER))
    assert view.plan.id is PlanId.FREE
    assert view.standing is Standing.FREE
    assert (view.provider, view.renews_on, view.ends_on, view.grace_until) == ("", None, None, None)
    meters = {m.key: m for m in view.meters}
    assert (meters["dynamic_codes"].used, meters["dynamic_codes"].limit) == (3, 10)
    assert meters["dynamic_codes"].percent == 30
    assert meters["media_bytes"].limit_label == "100 MB"
    assert view.invoices == ()
    assert view.paused_codes == 0
    assert view.can_manage


def test_admins_read_editors_and_viewers_are_refused(clean_db):
    ws = team_workspace()
    assert billing_overview(actor=_actor(ws, Role.ADMIN)).can_manage is False
    for role in (Role.EDITOR, Role.VIEWER):
        with pytest.raises(PermissionDenied):
            billing_overview(actor=_actor(ws, role))


def test_an_active_subscription_renews_and_a_cancelled_one_ends(clean_db):
    ws = team_workspace()
    t0 = utcnow()
    _apply(ws, "active", t0 + 300 * DAY, t0, subscription_id="sub_1")
    view = billing_overview(actor=_actor(ws, Role.OWNER), now=t0)
    assert (view.plan.id, view.standing) == (PlanId.PRO, Standing.ACTIVE)
    assert view.renews_on == t0 + 300 * DAY
    assert view.ends_on is None
    assert (view.interval, view.currency, view.provider) == ("year", "EUR", "stripe")
    assert view.has_provider_subscription
    assert {m.key: m.limit for m in view.meters}["dynamic_codes"] == 500

    _apply(ws, "active", t0 + 300 * DAY, t0, cancel_at_period_end=True)
    view = billing_overview(actor=_actor(ws, Role.OWNER), now=t0)
    assert view.cancel_at_period_end
    assert view.renews_on is None
    assert view.ends_on == t0 + 300 * DAY


def test_grace_then_expiry_shows_the_dates_and_the_paused_codes(clean_db):
    ws = team_workspace()
    t0 = utcnow()
    _codes(ws, 12, t0 - 100 * DAY)
    _apply(ws, "past_due", t0 + 30 * DAY, t0)
    view = billing_overview(actor=_actor(ws, Role.OWNER), now=t0)
    assert view.standing is Standing.GRACE
    assert view.grace_until == t0 + GRACE
    assert view.paused_codes == 0

    subscriptions.expire_due(t0 + GRACE + DAY)
    view = billing_overview(actor=_actor(ws, Role.OWNER), now=t0 + GRACE + DAY)
    assert view.standing is Standing.EXPIRED
    assert view.plan.id is PlanId.FREE  # Free's limits hold
    assert view.subscribed_plan is not None
    assert view.subscribed_plan.id is PlanId.PRO
    assert view.paused_codes == 2
    assert {m.key: m for m in view.meters}["dynamic_codes"].over


def test_invoices_newest_first_with_hosted_page_or_our_receipt(clean_db):
    ws = team_workspace()
    t0 = utcnow()
    with transaction() as tx:
        tx.session.add_all(
            [
                Invoice(
                    workspace_id=ws.id,
                    provider="stripe",
                    provider_id="in_1",
                    number="QR-0001",
                    amount=14000,
                    currency="EUR",
                    status="paid",
                    hosted_url="https://invoice.stripe.com/i/1",
                    created_at=t0 - 40 * DAY,
                ),
                Invoice(
                    workspace_id=ws.id,
                    provider="swish",
                    provider_id="ABC",
                    number="R-2",
                    amount=14900,
                    currency="SEK",
                    status="refunded",
                    created_at=t0 - DAY,
                ),
            ]
        )
    other = team_workspace("Other")
    with transaction() as tx:
        tx.session.add(Invoice(workspace_id=other.id, provider="stripe", provider_id="in_x"))
    lines = billing_overview(actor=_actor(ws, Role.ADMIN)).invoices
    assert [i.number for i in lines] == ["R-2", "QR-0001"]
    assert lines[0].url == f"/files/billing/receipts/{lines[0].id}.pdf"
    assert lines[0].amount_label == "149 kr"
    assert lines[0].status == "refunded"
    assert lines[1].url == "https://invoice.stripe.com/i/1"
    assert lines[1].amount_label == "€140"


ACTIONS = [
    lambda a: payments.card_checkout_url(
        actor=a, plan_id="pro", interval="year", currency="SEK", success_url="", cancel_url=""
    ),
    lambda a: payments.portal_url(actor=a, return_url=""),
    lambda a: payments.change_plan(actor=a, plan_id="business", interval="month"),
    lambda a: payments.cancel_at_period_end(actor=a),
    lambda a: payments.resume(actor=a),
    lambda a: payments.start_swish(actor=a, plan_id="pro", interval="month", phone=None),
    lambda a: payments.swish_status(actor=a, payment_id="X"),
    lambda a: payments.paypal_approve_url(actor=a, plan_id="pro", interval="month", currency="EUR"),
    lambda a: payments.paypal_confirm(actor=a, subscription_id="I-X"),
    lambda a: payments.klarna_start_url(actor=a, plan_id="pro", interval="month", currency="EUR"),
]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EDITOR, Role.VIEWER])
def test_every_billing_action_refuses_anyone_but_an_owner(clean_db, role, monkeypatch):
    asked = []
    monkeypatch.setattr(payments, "_provider", lambda name: asked.append(name))
    ws = team_workspace()
    for action in ACTIONS:
        with pytest.raises(PermissionDenied):
            action(_actor(ws, role))
    assert asked == []  # refused before any provider was asked


def test_a_bad_choice_or_a_missing_provider_is_a_clear_message(clean_db, monkeypatch):
    owner = _actor(team_workspace(), Role.OWNER)
    for plan_id, interval, currency in (
        ("gold", "year", "SEK"),
        ("pro", "week", "SEK"),
        ("pro", "year", "USD"),
        ("free", "year", "SEK"),
    ):
        with pytest.raises(ServiceError) as refused:
            payments.card_checkout_url(
                actor=owner,
                plan_id=plan_id,
                interval=interval,
                currency=currency,
                success_url="",
                cancel_url="",
            )
        assert "plan" in refused.value.message.lower()
    monkeypatch.setitem(payments._MODULES, "klarna", "qrapp.services.billing.no_such_module")
    with pytest.raises(ServiceError, match="Paying by Klarna is not available yet"):
        payments.klarna_start_url(actor=owner, plan_id="pro", interval="month", currency="EUR")
