"""Stripe's webhook (routes.STRIPE_WEBHOOK) and the worker's processing, against
localstripe and the real Celery worker, on both databases. Events are signed with the
Stripe library's own helper, as Stripe signs them."""

from __future__ import annotations

import datetime as dt
import time

from sqlmodel import col, select

from qrapp.core.plans import Standing
from qrapp.db import read_session, transaction
from qrapp.models import QRCode
from qrapp.models.billing import BillingNotice, Invoice
from qrapp.models.types import utcnow
from qrapp.services.billing import stripe_api, subscriptions
from tests.integration.billing.stripe_helpers import (
    deliver,
    ensure_catalog,
    events,
    people,
    post_event,
    processed,
    subscribe,
    subscription,
    webhook,
    workspace,
)
from tests.support import stripe_fake
from tests.support.waiting import eventually


def _remote(sub_id: str) -> dict:
    return stripe_api.as_dict(stripe_fake.client().v1.subscriptions.retrieve(sub_id))


def _open_invoice(customer: str):
    invoices = stripe_fake.client().v1.invoices.list(params={"customer": customer}).data
    return next((i for i in invoices if i.status == "open"), None)


def test_unsigned_tampered_replayed_or_foreign_events_get_400_and_change_nothing(clean_db):
    ensure_catalog()
    ws, _actors = people("Forged")
    # What a forger would like us to believe: this workspace paid for Business.
    customer = stripe_fake.customer_with_card("x@forged.example")
    sub = stripe_fake.client().v1.subscriptions.create(
        params={"customer": customer, "items": [{"plan": "qrapp_business_month_sek_44900"}]}
    )
    forged = stripe_fake.event(
        "checkout.session.completed",
        {"object": "checkout.session", "client_reference_id": str(ws.id), "subscription": sub.id},
    )
    body, headers = stripe_fake.signed(forged)
    hook = webhook()
    path = "/billing/webhooks/stripe"
    attempts = {
        "unsigned": hook.post(path, content=body, headers={"Content-Type": "application/json"}),
        "tampered": hook.post(
            path, content=body.replace(b"checkout", b"checkout "), headers=headers
        ),
        "replayed": post_event(forged, timestamp=int(time.time()) - 301),
        "other secret": post_event(forged, secret="whsec_not_ours"),
        "garbled header": hook.post(path, content=body, headers={"Stripe-Signature": "t=x,v1"}),
    }
    for name, response in attempts.items():
        assert response.status_code == 400, name
    # Signed right but not an event (not JSON, not an object, no event id): refused too.
    for raw in ("not json", "[1]", "{}", '{"id": "cus_1", "type": "x"}'):
        header = stripe_fake.stripe.WebhookSignature.generate_signature_header(
            raw, stripe_fake.WEBHOOK_SECRET
        )
        response = hook.post(path, content=raw.encode(), headers={"Stripe-Signature": header})
        assert response.status_code == 400, raw
    assert events() == []
    assert subscription(ws) is None
    assert workspace(ws).plan == "free"
    # The same event, properly signed and fresh, is taken (the control for the above).
    assert post_event(forged).status_code == 200
    processed(forged["id"])
    assert workspace(ws).plan == "business"


def test_the_same_event_twice_is_stored_and_applied_once(clean_db):
    ws, actors = people("Twice")
    sub_id = subscribe(actors["owner"])
    stripe_fake.client().v1.subscriptions.update(sub_id, params={"cancel_at_period_end": True})
    update = stripe_fake.event("customer.subscription.updated", _remote(sub_id))
    first = deliver(update)
    again = post_event(update)
    assert again.status_code == 200
    rows = events(update["id"])
    assert len(rows) == 1
    assert rows[0].processed_at == first.processed_at
    assert rows[0].error == ""
    assert subscription(ws).cancel_at_period_end is True


def test_events_out_of_order_leave_the_state_stripe_has(clean_db):
    ensure_catalog()
    ws, _actors = people("Order")
    client = stripe_fake.client()
    customer = stripe_fake.customer_with_card("o@order.example")
    sub = stripe_api.as_dict(
        client.v1.subscriptions.create(
            params={
                "customer": customer,
                "items": [{"plan": "qrapp_pro_year_eur_14000"}],
                "metadata": {"workspace_id": str(ws.id)},
            }
        )
    )
    created = stripe_fake.event("customer.subscription.created", {**sub, "status": "incomplete"})
    item = sub["items"]["data"][0]["id"]
    client.v1.subscriptions.update(
        sub["id"], params={"items": [{"id": item, "price": "qrapp_business_year_eur_42000"}]}
    )
    updated = stripe_fake.event("customer.subscription.updated", _remote(sub["id"]))
    # updated arrives before created: both read Stripe's current subscription.
    deliver(updated)
    assert (subscription(ws).plan, subscription(ws).status) == ("business", "active")
    deliver(created)
    assert (subscription(ws).plan, subscription(ws).status) == ("business", "active")
    assert workspace(ws).plan == "business"
    # deleted, then a late copy of an older update: it stays cancelled.
    client.v1.subscriptions.cancel(sub["id"])
    deleted = stripe_fake.event("customer.subscription.deleted", _remote(sub["id"]))
    deliver(deleted)
    ended = subscription(ws)
    assert ended.status == "canceled"
    assert ended.grace_until is not None
    deliver(stripe_fake.event("customer.subscription.updated", updated["data"]["object"]))
    again = subscription(ws)
    assert (again.status, again.grace_until) == ("canceled", ended.grace_until)


def test_a_failed_payment_mails_the_owners_once_and_codes_keep_scanning(clean_db, mail):
    ws, actors = people("Dunning")
    owner = actors["owner"]
    sub_id = subscribe(owner, "pro", "month", "SEK")
    client = stripe_fake.client()
    with transaction() as tx:  # 12 dynamic codes: more than the Free plan's 10
        tx.session.add_all(
            QRCode(
                workspace_id=ws.id,
                name=f"poster {i}",
                content_type="url",
                is_dynamic=True,
                short_code=f"dun{ws.id.hex[:6]}{i}",
                destination="https://example.com/",
            )
            for i in range(12)
        )
    # The trial is over and the card on file fails: Stripe's charge at renewal fails.
    customer = subscription(ws).provider_customer_id
    stripe_fake.set_card(customer, "pm_card_chargeCustomerFail")
    stripe_fake.renew(sub_id)
    invoice = eventually(lambda: _open_invoice(customer), 10)
    eventually(lambda: _remote(sub_id)["status"] == "past_due", 10)
    failed = stripe_fake.event("invoice.payment_failed", stripe_api.as_dict(invoice))
    deliver(failed)

    row = subscription(ws)
    assert row.status == "past_due"
    assert row.grace_until is not None
    assert row.grace_until > utcnow() + dt.timedelta(days=13)
    assert subscriptions.standing_of(row) is Standing.GRACE
    assert workspace(ws).plan == "pro"
    with read_session() as s:
        stored = s.exec(select(Invoice).where(Invoice.provider_id == invoice.id)).one()
        paused = s.exec(
            select(QRCode).where(
                QRCode.workspace_id == ws.id, col(QRCode.billing_paused_at).is_not(None)
            )
        ).all()
    assert (stored.status, stored.amount, stored.currency, stored.plan) == (
        "failed",
        14900,
        "SEK",
        "pro",
    )
    assert paused == []  # every code still scans during grace
    msg = mail.wait_for(owner.email, "Payment failed for Dunning")
    body = msg.get_payload(decode=True).decode()
    assert "149 kr" in body
    assert "/billing" in body
    # Stripe's next retry fails again: a new event, the same invoice, no second mail.
    deliver(stripe_fake.event("invoice.payment_failed", stripe_api.as_dict(invoice)))
    with read_session() as s:
        notices = s.exec(select(BillingNotice).where(BillingNotice.workspace_id == ws.id)).all()
    assert [n.kind for n in notices] == ["stripe_payment_failed"]
    assert mail.count(owner.email, "Payment failed") == 1

    # A working card pays the invoice: paid, active, grace gone.
    stripe_fake.set_card(customer, "pm_card_visa")
    client.v1.invoices.pay(invoice.id)
    eventually(lambda: client.v1.invoices.retrieve(invoice.id).status == "paid", 10)
    deliver(
        stripe_fake.event(
            "invoice.paid", stripe_api.as_dict(client.v1.invoices.retrieve(invoice.id))
        )
    )
    with read_session() as s:
        assert (
            s.exec(select(Invoice).where(Invoice.provider_id == invoice.id)).one().status == "paid"
        )
    row = subscription(ws)
    assert row.status == "active"
    assert subscriptions.standing_of(row) is Standing.ACTIVE


def test_the_trial_ending_mail_is_sent_once(clean_db, mail):
    ws, actors = people("Trial")
    owner = actors["owner"]
    sub_id = subscribe(owner)
    assert subscription(ws).status == "trialing"
    for _ in range(2):  # Stripe may send it again (a redelivery has a new event id too)
        deliver(stripe_fake.event("customer.subscription.trial_will_end", _remote(sub_id)))
    msg = mail.wait_for(owner.email, "Your trial for Trial ends soon")
    assert "qrapp Pro" in msg.get_payload(decode=True).decode()
    assert mail.count(owner.email, "trial") == 1


def test_an_event_whose_task_was_lost_is_queued_again_by_the_beat(clean_db):
    from qrapp.models.billing import BillingEvent
    from qrapp.services.billing import stripe_events

    ws, actors = people("Lost")
    sub_id = subscribe(actors["owner"])
    stripe_fake.client().v1.subscriptions.update(sub_id, params={"cancel_at_period_end": True})
    lost = stripe_fake.event("customer.subscription.updated", _remote(sub_id))
    with transaction() as tx:  # stored, but its task never reached the worker
        tx.session.add(
            BillingEvent(
                provider="stripe",
                event_id=lost["id"],
                type=lost["type"],
                payload=lost,
                received_at=utcnow() - dt.timedelta(minutes=6),
            )
        )
    assert stripe_events.requeue_stale() == 1
    processed(lost["id"])
    assert subscription(ws).cancel_at_period_end is True
    assert stripe_events.requeue_stale() == 0
