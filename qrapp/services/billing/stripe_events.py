"""Stripe webhook events: stored once in the inbox (BillingEvent), processed by the worker.

The webhook route verifies the signature and calls `receive`, which stores the event
(unique provider + event id: a redelivery stores nothing and queues nothing) and queues
`process` after the commit. Processing never trusts the event's copy of the object: it
re-reads the subscription or invoice from Stripe and writes what it read, so events that
arrive late, out of order or twice leave the state Stripe has now.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import stripe
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from qrapp.db import Transaction, transaction
from qrapp.models import Workspace
from qrapp.models.billing import BillingEvent, Subscription
from qrapp.models.types import utcnow
from qrapp.queue import enqueue
from qrapp.services.billing import stripe_api, stripe_invoices, stripe_notices, stripe_state

log = logging.getLogger(__name__)

PROCESS_TASK = "qrapp.billing.process_stripe_event"
REQUEUE_TASK = "qrapp.billing.requeue_stripe_events"
# An event still unprocessed this long after it came in lost its task (the broker was down
# at commit, or the retries ran out during a Stripe outage): the beat queues it again.
STALE_AFTER = dt.timedelta(minutes=5)
# Worth another try later (the worker retries the task); anything else is recorded.
TRANSIENT = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)
SUBSCRIPTION_EVENTS = {
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.trial_will_end",
}
# invoice.payment_succeeded is what localstripe (and older Stripe accounts) send for paid.
INVOICE_EVENTS = {"invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed"}
HANDLED = {"checkout.session.completed"} | SUBSCRIPTION_EVENTS | INVOICE_EVENTS


def receive(event: dict[str, Any]) -> bool:
    """Store a verified event once. True when it was new (and its processing is queued)."""
    event_id = str(event.get("id") or "")
    if not event_id.startswith("evt_"):
        raise ValueError("not a Stripe event")
    try:
        with transaction() as tx:
            if tx.session.exec(
                select(BillingEvent.id).where(
                    BillingEvent.provider == stripe_api.PROVIDER, BillingEvent.event_id == event_id
                )
            ).first():
                return False
            row = BillingEvent(
                provider=stripe_api.PROVIDER,
                event_id=event_id,
                type=str(event.get("type") or "")[:100],
                payload=event,
            )
            tx.session.add(row)
            tx.session.flush()
            if row.type in HANDLED:
                row_id = str(row.id)
                tx.after_commit(lambda: enqueue(PROCESS_TASK, row_id))
            else:  # stored for the record; nothing to do
                row.processed_at = utcnow()
    except IntegrityError:  # the same event stored a moment ago by a concurrent delivery
        return False
    return True


def _workspace_for(
    session: Session, sub: dict[str, Any] | None, customer_id: str
) -> uuid.UUID | None:
    if sub and (hint := stripe_state.workspace_hint(sub)) and session.get(Workspace, hint):
        return hint
    ids = [x for x in ((sub or {}).get("id", ""), customer_id) if x]
    if not ids:
        return None
    row = session.exec(
        select(Subscription).where(
            Subscription.provider == stripe_api.PROVIDER,
            or_(
                Subscription.provider_subscription_id.in_(ids),  # type: ignore[attr-defined]
                Subscription.provider_customer_id.in_(ids),  # type: ignore[attr-defined]
            ),
        )
    ).first()
    return row.workspace_id if row else None


def _retrieve_subscription(
    client: stripe.StripeClient, sub_id: str | None
) -> dict[str, Any] | None:
    if not sub_id:
        return None
    return stripe_api.as_dict(client.v1.subscriptions.retrieve(sub_id))


def _id(value: Any) -> str:
    return value.get("id", "") if isinstance(value, dict) else str(value or "")


def _handle(session_tx: Transaction, event: dict[str, Any], client: stripe.StripeClient) -> str:
    """Read from Stripe, write in `session_tx`. Returns an error note ('' when done).
    Every branch reads all it needs from Stripe before it writes anything, so a failed
    read leaves nothing half-written."""
    kind = event.get("type", "")
    obj = (event.get("data") or {}).get("object") or {}
    session = session_tx.session
    if kind == "checkout.session.completed":
        sub = _retrieve_subscription(client, _id(obj.get("subscription")))
        try:
            workspace_id = uuid.UUID(str(obj.get("client_reference_id") or ""))
        except ValueError:
            return "checkout session without a workspace"
        if sub is None or session.get(Workspace, workspace_id) is None:
            return "checkout session without a subscription or a known workspace"
        stripe_state.apply(session_tx, workspace_id, sub)
        return ""
    if kind in SUBSCRIPTION_EVENTS:
        sub = _retrieve_subscription(client, _id(obj.get("id")))
        assert sub is not None
        owner = _workspace_for(session, sub, _id(sub.get("customer")))
        if owner is None:
            return "no workspace for this subscription"
        row = stripe_state.apply(session_tx, owner, sub)
        if kind.endswith("trial_will_end") and row is not None and sub.get("status") == "trialing":
            stripe_notices.trial_will_end(
                session_tx,
                owner,
                subscription_id=sub["id"],
                plan=row.plan,
                trial_end=row.trial_end,
            )
        return ""
    # An invoice event.
    invoice = stripe_api.as_dict(client.v1.invoices.retrieve(_id(obj.get("id"))))
    sub = _retrieve_subscription(client, stripe_invoices.subscription_id(invoice))
    payer = _workspace_for(session, sub, _id(invoice.get("customer")))
    if payer is None:
        return "no workspace for this invoice"
    row = stripe_state.apply(session_tx, payer, sub) if sub else None
    stored = stripe_invoices.upsert(session, payer, invoice, plan=row.plan if row else "")
    if kind == "invoice.payment_failed" and stored.status == "failed":
        stripe_notices.payment_failed(
            session_tx,
            payer,
            invoice_id=invoice["id"],
            amount=stored.amount,
            currency=stored.currency,
            grace_until=row.grace_until if row is not None else None,
        )
    return ""


def process(event_row_id: str) -> None:
    """Handle one stored event (the worker's task). Idempotent: a processed event is
    skipped, and handling re-reads Stripe's current state anyway."""
    row_id = uuid.UUID(event_row_id)
    with transaction() as tx:
        row = tx.session.get(BillingEvent, row_id)
        if row is None or row.processed_at is not None:
            return
        event = dict(row.payload)
    client = stripe_api.client()
    with transaction() as tx:
        row = tx.session.get(BillingEvent, row_id)
        if row is None or row.processed_at is not None:
            return
        try:
            error = _handle(tx, event, client)
        except stripe.InvalidRequestError as exc:  # e.g. the object no longer exists
            error = f"stripe: {exc.user_message or exc}"[:500]
        if error:
            log.warning("stripe event %s (%s): %s", row.event_id, row.type, error)
        row.error = error
        row.processed_at = utcnow()


def requeue_stale(now: dt.datetime | None = None) -> int:
    """Queue again the events whose processing never finished (the beat's safety net;
    processing is idempotent, so an event queued twice is handled once)."""
    cutoff = (now or utcnow()) - STALE_AFTER
    with transaction() as tx:
        stale = tx.session.exec(
            select(BillingEvent.id)
            .where(
                BillingEvent.provider == stripe_api.PROVIDER,
                col(BillingEvent.processed_at).is_(None),
                col(BillingEvent.received_at) < cutoff,
            )
            .limit(500)
        ).all()
    for row_id in stale:
        enqueue(PROCESS_TASK, str(row_id))
    return len(stale)
