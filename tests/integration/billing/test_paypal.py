"""PayPal Subscriptions against the simulator (tests/support/paypal_sim.py): plans made
once, the approve link, webhooks believed only after PayPal's verify call, each event
stored once, processing that re-reads PayPal, cancel -> grace -> expired. Both databases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlmodel import func, select

from qrapp.core.permissions import Role
from qrapp.core.plans import GRACE, Standing
from qrapp.core.routes import PAYPAL_WEBHOOK
from qrapp.db import read_session
from qrapp.models import Workspace
from qrapp.models.billing_providers import PaypalPlan
from qrapp.models.types import utcnow
from qrapp.services.billing import paypal as paypal_billing
from qrapp.services.billing import subscriptions
from qrapp.services.errors import PermissionDenied, ServiceError
from qrapp.services.workspaces import workspaces
from tests.integration.billing.conftest import event_count, invoices, subscription
from tests.integration.helpers import actor, add_member, sign_up_and_session
from tests.support.paypal_sim import Delivery

DAY = dt.timedelta(days=1)


def _parse(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _post(client, delivery: Delivery):
    return client.post(PAYPAL_WEBHOOK, content=delivery.body, headers=delivery.headers)


def _subscribe(who, sim, *, plan="pro", interval="month", currency="SEK") -> str:
    """The owner starts, approves in PayPal's page; PayPal announces it. Returns its id."""
    link = paypal_billing.start_subscription(
        actor=who.actor, plan=plan, interval=interval, currency=currency
    )
    sub_id = next(
        i for i, s in sim.subscriptions.items() if s["custom_id"] == str(who.workspace_id)
    )
    assert link.startswith("https://")
    assert f"BA-{sub_id}" in link
    sim.approve(sub_id)
    return sub_id


def _plan_of(workspace_id) -> str:
    with read_session() as s:
        return s.get(Workspace, workspace_id).plan


def test_activation_and_payment_make_the_workspace_pro_with_a_receipt(owner, paypal, web):
    sub_id = _subscribe(owner, paypal)
    plan = paypal.plans[paypal.subscriptions[sub_id]["plan_id"]]
    assert plan["billing_cycles"][0]["pricing_scheme"]["fixed_price"] == {
        "value": "149.00",
        "currency_code": "SEK",
    }
    assert subscription(owner.workspace_id) is None  # approved is not yet believed

    assert (
        _post(web, paypal.subscription_event("BILLING.SUBSCRIPTION.ACTIVATED", sub_id)).status_code
        == 200
    )
    sub = subscription(owner.workspace_id)
    assert (sub.provider, sub.plan, sub.status, sub.currency) == ("paypal", "pro", "active", "SEK")
    assert sub.provider_subscription_id == sub_id
    assert sub.current_period_end == _parse(
        paypal.subscriptions[sub_id]["billing_info"]["next_billing_time"]
    )
    assert subscriptions.standing_of(sub) is Standing.ACTIVE
    assert _plan_of(owner.workspace_id) == "pro"

    sale = paypal.sales[-1]
    assert _post(web, paypal.delivery("PAYMENT.SALE.COMPLETED", sale)).status_code == 200
    [receipt] = invoices(owner.workspace_id)
    assert (receipt.provider, receipt.provider_id, receipt.status) == ("paypal", sale["id"], "paid")
    assert (receipt.amount, receipt.currency, receipt.plan) == (14900, "SEK", "pro")


def test_plans_are_made_once_and_remembered(owner, paypal):
    other = actor(sign_up_and_session("second@example.com"))
    for who in (owner.actor, other, other):
        paypal_billing.start_subscription(
            actor=who, plan="business", interval="year", currency="EUR"
        )
    assert len(paypal.plans) == 1
    assert len(paypal.products) == 1
    with read_session() as s:
        rows = s.exec(select(PaypalPlan)).all()
    assert [(r.plan, r.interval, r.currency, r.amount) for r in rows] == [
        ("business", "year", "EUR", 42000)
    ]
    # An expired access token is replaced without the owner noticing.
    paypal.expire_tokens()
    paypal_billing.start_subscription(actor=other, plan="business", interval="year", currency="EUR")
    assert len(paypal.subscriptions) == 4


@pytest.mark.parametrize("tamper", ["body", "signature", "unsigned", "stale", "not_json"])
def test_a_webhook_that_fails_verification_is_400_and_stores_nothing(owner, paypal, web, tamper):
    sub_id = _subscribe(owner, paypal)
    good = paypal.subscription_event("BILLING.SUBSCRIPTION.ACTIVATED", sub_id)
    if tamper == "body":  # same headers, another plan in the event
        event = json.loads(good.body)
        event["resource"]["plan_id"] = "P-SOMETHINGELSE"
        bad = dataclasses.replace(good, body=json.dumps(event).encode())
    elif tamper == "signature":
        bad = dataclasses.replace(
            good,
            headers=good.headers
            | {"paypal-transmission-sig": "AAAA" + good.headers["paypal-transmission-sig"][4:]},
        )
    elif tamper == "unsigned":
        bad = dataclasses.replace(good, headers={"content-type": "application/json"})
    elif tamper == "stale":  # a correctly signed event, captured and re-sent an hour later
        bad = paypal.subscription_event(
            "BILLING.SUBSCRIPTION.ACTIVATED",
            sub_id,
            sent_at=utcnow() - 60 * dt.timedelta(minutes=1),
        )
    else:
        bad = dataclasses.replace(good, body=b"{not json")
    assert _post(web, bad).status_code == 400
    assert event_count() == 0
    assert subscription(owner.workspace_id) is None
    assert _plan_of(owner.workspace_id) == "free"


def test_the_same_event_twice_changes_things_once(owner, paypal, web):
    sub_id = _subscribe(owner, paypal)
    activated = paypal.subscription_event("BILLING.SUBSCRIPTION.ACTIVATED", sub_id)
    assert _post(web, activated).status_code == 200
    paid = paypal.delivery("PAYMENT.SALE.COMPLETED", paypal.sales[-1])
    assert _post(web, paid).status_code == 200
    first = subscription(owner.workspace_id)

    # PayPal delivers both again (new transmissions, same event ids).
    again = paypal.delivery(
        "BILLING.SUBSCRIPTION.ACTIVATED",
        activated.event["resource"],
        event_id=activated.event["id"],
    )
    assert _post(web, again).status_code == 200
    assert _post(web, paid).status_code == 200
    assert event_count() == 2
    assert subscription(owner.workspace_id).updated_at == first.updated_at
    assert len(invoices(owner.workspace_id)) == 1


def test_events_out_of_order_end_in_paypals_current_state(owner, paypal, web):
    sub_id = _subscribe(owner, paypal)
    activated = paypal.subscription_event("BILLING.SUBSCRIPTION.ACTIVATED", sub_id)
    paypal.set_status(sub_id, "CANCELLED")
    cancelled = paypal.subscription_event("BILLING.SUBSCRIPTION.CANCELLED", sub_id)
    assert _post(web, cancelled).status_code == 200  # a CANCELLED of a sub never seen active
    assert subscription(owner.workspace_id) is None
    assert _post(web, activated).status_code == 200  # the late ACTIVATED reads CANCELLED
    assert subscription(owner.workspace_id) is None
    assert _plan_of(owner.workspace_id) == "free"


def test_a_failed_renewal_suspends_and_grace_starts(owner, paypal, web):
    sub_id = _subscribe(owner, paypal)
    _post(web, paypal.subscription_event("BILLING.SUBSCRIPTION.ACTIVATED", sub_id))
    paypal.fail_payment(sub_id)
    failed = paypal.subscription_event("BILLING.SUBSCRIPTION.PAYMENT.FAILED", sub_id)
    assert _post(web, failed).status_code == 200
    sub = subscription(owner.workspace_id)
    assert sub.status == "past_due"
    assert subscriptions.standing_of(sub) is Standing.GRACE
    assert _plan_of(owner.workspace_id) == "pro"  # grace keeps the plan and every code


def test_cancel_gives_grace_then_expiry(owner, paypal, web):
    sub_id = _subscribe(owner, paypal)
    _post(web, paypal.subscription_event("BILLING.SUBSCRIPTION.ACTIVATED", sub_id))
    paid_through = subscription(owner.workspace_id).current_period_end

    paypal_billing.cancel(actor=owner.actor)
    assert paypal.subscriptions[sub_id]["status"] == "CANCELLED"
    sub = subscription(owner.workspace_id)
    assert (sub.status, sub.current_period_end) == ("canceled", paid_through)
    assert sub.grace_until == paid_through + GRACE
    assert subscriptions.standing_of(sub) is Standing.GRACE
    # PayPal's CANCELLED webhook afterwards changes nothing more.
    _post(web, paypal.subscription_event("BILLING.SUBSCRIPTION.CANCELLED", sub_id))
    after = subscription(owner.workspace_id)
    assert (after.status, after.current_period_end, after.grace_until) == (
        "canceled",
        paid_through,
        paid_through + GRACE,
    )
    with pytest.raises(ServiceError, match="no PayPal subscription to cancel"):
        paypal_billing.cancel(actor=owner.actor)

    assert subscriptions.expire_due(paid_through + GRACE - DAY) == 0
    assert _plan_of(owner.workspace_id) == "pro"
    assert subscriptions.expire_due(paid_through + GRACE + DAY) == 1
    assert subscription(owner.workspace_id).status == "expired"
    assert _plan_of(owner.workspace_id) == "free"


def test_only_owners_start_or_cancel_and_a_live_subscription_is_not_doubled(owner, paypal, web):
    admin_token = sign_up_and_session("ad@example.com")
    add_member(owner.workspace_id, actor(admin_token).user_id, Role.ADMIN)
    workspaces.switch(actor=actor(admin_token), workspace_id=owner.workspace_id)
    admin = actor(admin_token)
    assert admin.role is Role.ADMIN  # admins see billing; only owners manage it
    with pytest.raises(PermissionDenied):
        paypal_billing.start_subscription(actor=admin, plan="pro", interval="month")
    with pytest.raises(PermissionDenied):
        paypal_billing.cancel(actor=admin)
    with pytest.raises(ServiceError, match="Free plan needs no payment"):
        paypal_billing.start_subscription(actor=owner.actor, plan="free", interval="month")
    assert paypal.requests == []

    sub_id = _subscribe(owner, paypal)
    _post(web, paypal.subscription_event("BILLING.SUBSCRIPTION.ACTIVATED", sub_id))
    with pytest.raises(ServiceError, match="already pays for Pro"):
        paypal_billing.start_subscription(actor=owner.actor, plan="business", interval="month")
    with read_session() as s:
        assert s.exec(select(func.count()).select_from(PaypalPlan)).one() == 1


def test_return_from_paypal_reads_the_subscription_at_once(owner, paypal):
    sub_id = _subscribe(owner, paypal)
    assert (
        paypal_billing.confirm_return(actor=owner.actor, subscription_id=sub_id) is Standing.ACTIVE
    )
    other = actor(sign_up_and_session("nosy@example.com"))
    with pytest.raises(ServiceError, match="does not exist"):
        paypal_billing.confirm_return(actor=other, subscription_id=sub_id)
