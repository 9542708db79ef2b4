"""Paying for a period with Swish, end to end on both databases: our service asks the
simulator (mTLS) for a payment, the "payer" scans the QR code on the page and pays, the
simulator calls our backend back over https, and only what Swish itself then reports
counts."""

from __future__ import annotations

import datetime as dt

import pytest

from qrapp.core import routes
from qrapp.core.permissions import Role
from qrapp.core.plans import Standing
from qrapp.models.types import utcnow
from qrapp.services.billing import subscriptions, swish
from qrapp.services.billing.swish_api import SwishRefused
from qrapp.services.errors import PermissionDenied, ServiceError
from tests.integration.billing import swish_fixtures
from tests.integration.billing.swish_fixtures import (
    close_to,
    https_client,
    invoices,
    payment,
    scanned_token,
    subscription,
)
from tests.integration.helpers import actor, add_member, sign_up_and_session

pytestmark = pytest.mark.integration

# The shared fixtures (a module, not a conftest.py, which other billing lanes write too).
swish_world = swish_fixtures.swish_world
swish_env = swish_fixtures.swish_env
owner_token = swish_fixtures.owner_token
owner = swish_fixtures.owner


def _pay(world, start) -> None:
    """The payer opens the Swish app and scans the desktop QR code, then approves."""
    world.sim.pay(token=scanned_token(start.qr_data))


def _member(owner, email: str, role: Role):
    from qrapp.services.workspaces import workspaces

    token = sign_up_and_session(email)
    add_member(owner.workspace_id, actor(token).user_id, role)
    workspaces.switch(actor=actor(token), workspace_id=owner.workspace_id)
    return token, actor(token)


def test_a_paid_request_through_the_callback_makes_a_receipt_and_an_active_plan(swish_env, owner):
    start = swish.start_payment(actor=owner, plan="pro", interval="month")
    assert start.status == "CREATED"
    assert start.token
    assert start.deep_link.startswith("swish://paymentrequest?token=")
    assert "callbackurl=http" in start.deep_link
    assert invoices(owner.workspace_id) == []

    _pay(swish_env, start)

    assert swish_env.sim.callbacks[-1] == (swish_env.app_url + routes.SWISH_CALLBACK, 200)
    [invoice] = invoices(owner.workspace_id)
    assert (invoice.provider, invoice.status, invoice.amount) == ("swish", "paid", 14900)
    assert invoice.provider_id == start.id
    now = utcnow()
    assert close_to(invoice.period_start, now)
    assert 28 <= (invoice.period_end - invoice.period_start).days <= 31
    sub = subscription(owner.workspace_id)
    assert (sub.provider, sub.plan, sub.status, sub.interval) == ("swish", "pro", "active", "month")
    assert sub.current_period_end == invoice.period_end
    assert subscriptions.standing_of(sub) is Standing.ACTIVE
    row = payment(start.id)
    assert row.status == "PAID"
    assert row.payment_reference == swish_env.sim.payments[start.id].payment_reference


def test_paying_again_extends_from_the_end_of_the_running_period(swish_env, owner):
    first = swish.start_payment(actor=owner, plan="pro", interval="month")
    _pay(swish_env, first)
    month_end = subscription(owner.workspace_id).current_period_end
    second = swish.start_payment(actor=owner, plan="pro", interval="year")
    _pay(swish_env, second)
    by_id = {i.provider_id: i for i in invoices(owner.workspace_id)}
    assert by_id[second.id].period_start == month_end
    assert by_id[second.id].amount == 149000
    end = subscription(owner.workspace_id).current_period_end
    assert end == by_id[second.id].period_end
    assert end.year == month_end.year + 1
    assert (end.month, end.day) == (month_end.month, month_end.day)


def test_a_forged_callback_saying_paid_changes_nothing(swish_env, owner):
    start = swish.start_payment(actor=owner, plan="business", interval="year")
    forged = {**swish_env.sim.payments[start.id].public(), "status": "PAID", "datePaid": "now"}
    forged["paymentReference"] = "F" * 32
    with https_client(swish_env) as client:
        r = client.post(swish_env.app_url + routes.SWISH_CALLBACK, json=forged)
    assert r.status_code == 200  # nothing to retry; Swish said it is still open
    assert invoices(owner.workspace_id) == []
    assert subscription(owner.workspace_id) is None
    assert payment(start.id).status == "CREATED"
    # The real payment still goes through afterwards.
    _pay(swish_env, start)
    assert [i.status for i in invoices(owner.workspace_id)] == ["paid"]


def test_junk_and_unknown_callbacks_are_answered_without_effect(swish_env, owner):
    with https_client(swish_env) as client:
        url = swish_env.app_url + routes.SWISH_CALLBACK
        assert client.post(url, content=b"not json").status_code == 400
        assert client.post(url, json={"id": "../../etc"}).status_code == 400
        assert client.post(url, json={"id": "A" * 32, "status": "PAID"}).status_code == 200
    assert invoices(owner.workspace_id) == []


def test_a_second_callback_or_refresh_changes_nothing(swish_env, owner):
    start = swish.start_payment(actor=owner, plan="pro", interval="month")
    _pay(swish_env, start)
    before = subscription(owner.workspace_id)
    assert swish_env.sim.call_back_again(start.id) == 200
    assert swish.refresh(start.id) == "PAID"
    assert swish.payment_status(actor=owner, payment_id=start.id) == "PAID"
    assert len(invoices(owner.workspace_id)) == 1
    after = subscription(owner.workspace_id)
    assert (after.current_period_end, after.updated_at) == (
        before.current_period_end,
        before.updated_at,
    )


def test_declined_or_failed_requests_record_nothing(swish_env, owner):
    declined = swish.start_payment(actor=owner, plan="pro", interval="month")
    swish_env.sim.decline(token=scanned_token(declined.qr_data))
    failed = swish.start_payment(actor=owner, plan="pro", interval="month")
    swish_env.sim.fail(failed.id, "TM01")
    assert payment(declined.id).status == "DECLINED"
    assert (payment(failed.id).status, payment(failed.id).error_code) == ("ERROR", "TM01")
    assert invoices(owner.workspace_id) == []
    assert subscription(owner.workspace_id) is None


def test_a_phone_number_sends_the_request_to_that_swish_app(swish_env, owner):
    start = swish.start_payment(actor=owner, plan="pro", interval="month", phone="070-123 45 67")
    assert (start.token, start.deep_link, start.qr_data) == ("", "", "")
    assert swish_env.sim.payments[start.id].body["payerAlias"] == "46701234567"
    swish_env.sim.pay(instruction_id=start.id)
    assert [i.status for i in invoices(owner.workspace_id)] == ["paid"]


def test_bad_requests_are_refused_with_a_clear_message(swish_env, owner):
    _, editor = _member(owner, "editor@swish.example", Role.EDITOR)
    _, admin = _member(owner, "admin@swish.example", Role.ADMIN)
    for who in (editor, admin):
        with pytest.raises(PermissionDenied):
            swish.start_payment(actor=who, plan="pro", interval="month")
    with pytest.raises(ServiceError, match="paid plan"):
        swish.start_payment(actor=owner, plan="free", interval="month")
    with pytest.raises(ServiceError, match="monthly or yearly"):
        swish.start_payment(actor=owner, plan="pro", interval="week")
    with pytest.raises(ServiceError, match="mobile number") as bad_phone:
        swish.start_payment(actor=owner, plan="pro", interval="month", phone="12")
    assert bad_phone.value.field == "phone"
    with pytest.raises(SwishRefused, match="not connected to Swish") as refused:
        swish.start_payment(actor=owner, plan="pro", interval="month", phone="0700000000")
    assert refused.value.codes == ["ACMT03"]
    assert swish_env.sim.payments == {}
    assert invoices(owner.workspace_id) == []


def test_refund_gives_the_money_back_and_ends_the_period(swish_env, owner):
    _, admin = _member(owner, "admin@swish.example", Role.ADMIN)
    start = swish.start_payment(actor=owner, plan="pro", interval="month")
    _pay(swish_env, start)
    [invoice] = invoices(owner.workspace_id)
    with pytest.raises(PermissionDenied):
        swish.refund(actor=admin, invoice_id=invoice.id)

    assert swish.refund(actor=owner, invoice_id=invoice.id) == "PAID"

    [refunded] = invoices(owner.workspace_id)
    assert refunded.status == "refunded"
    [sim_refund] = swish_env.sim.refunds.values()
    assert str(sim_refund.amount) == "149.00"
    assert sim_refund.body["originalPaymentReference"] == payment(start.id).payment_reference
    sub = subscription(owner.workspace_id)
    assert sub.current_period_end <= utcnow()
    assert subscriptions.standing_of(sub) is not Standing.ACTIVE
    with pytest.raises(ServiceError, match="Only a paid receipt"):
        swish.refund(actor=owner, invoice_id=invoice.id)


def test_refunding_the_later_of_two_periods_keeps_the_first(swish_env, owner):
    first = swish.start_payment(actor=owner, plan="pro", interval="month")
    _pay(swish_env, first)
    month_end = subscription(owner.workspace_id).current_period_end
    second = swish.start_payment(actor=owner, plan="pro", interval="month")
    _pay(swish_env, second)
    later = next(i for i in invoices(owner.workspace_id) if i.provider_id == second.id)
    swish.refund(actor=owner, invoice_id=later.id)
    sub = subscription(owner.workspace_id)
    assert close_to(sub.current_period_end, month_end, seconds=1)
    assert subscriptions.standing_of(sub) is Standing.ACTIVE


def test_a_renewing_card_subscription_is_not_paid_twice(swish_env, owner):
    from qrapp.db import transaction

    with transaction() as tx:
        subscriptions.apply_subscription(
            tx,
            owner.workspace_id,
            provider="stripe",
            plan_id="pro",
            interval="month",
            currency="SEK",
            status="active",
            current_period_end=utcnow() + dt.timedelta(days=20),
        )
    with pytest.raises(ServiceError, match="renewing subscription"):
        swish.start_payment(actor=owner, plan="pro", interval="month")
    assert swish_env.sim.payments == {}


def test_when_swish_cannot_be_read_the_callback_asks_to_be_sent_again(swish_env, owner):
    from qrapp.services.billing.swish_api import SwishApi, SwishUnavailable

    start = swish.start_payment(actor=owner, plan="pro", interval="month")

    def down(_api, _instruction_id):
        raise SwishUnavailable("connection refused")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SwishApi, "payment_request", down)
        _pay(swish_env, start)
    assert swish_env.sim.callbacks[-1][1] == 503
    assert invoices(owner.workspace_id) == []
    # Swish sends it again; now the status can be read, and the payment counts.
    assert swish_env.sim.call_back_again(start.id) == 200
    assert [i.status for i in invoices(owner.workspace_id)] == ["paid"]
