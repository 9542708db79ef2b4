"""PayPal's webhooks: believed only once PayPal itself confirms it sent them (the
verify-webhook-signature call), stored once in the inbox (BillingEvent, unique per
event id), then processed by reading the subscription back from PayPal, so duplicates
and events out of order end in PayPal's current state.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from qrapp.db import read_session, transaction
from qrapp.models.billing import BillingEvent, Invoice
from qrapp.models.types import utcnow
from qrapp.services.billing import paypal, paypal_api, subscriptions

log = logging.getLogger(__name__)

# The transmission time is inside PayPal's signature: an event re-sent by someone who
# captured it is refused once it is this old (PayPal's own retries are new transmissions).
TOLERANCE = dt.timedelta(minutes=10)
# The request that stored an event processes it at once; the beat picks up only what
# is older than this, so the two do not race for a fresh event.
_RETRY_AFTER = dt.timedelta(minutes=2)


class WebhookRejected(Exception):
    """Not a webhook PayPal sent us (bad or missing signature, stale, malformed)."""


def receive(
    headers: Mapping[str, str], raw_body: bytes, *, now: dt.datetime | None = None
) -> uuid.UUID | None:
    """Verify and store one delivery. Returns the inbox row to process, or None when the
    event was stored before (a redelivery). Raises WebhookRejected (answer 400), or
    PayPalError when PayPal cannot be asked (answer 5xx: PayPal delivers again)."""
    now = now or utcnow()
    try:
        event = json.loads(raw_body)
    except ValueError:
        raise WebhookRejected("body is not JSON") from None
    if not isinstance(event, dict) or not event.get("id") or not event.get("event_type"):
        raise WebhookRejected("not a PayPal event")
    sent = paypal.parse_time(headers.get("paypal-transmission-time", ""))
    if sent is None or abs(now - sent) > TOLERANCE:
        raise WebhookRejected("transmission time missing or outside the tolerance")
    if not paypal_api.verify_webhook(headers, raw_body):
        raise WebhookRejected("PayPal did not confirm the signature")
    try:
        with transaction() as tx:
            row = BillingEvent(
                provider=paypal.PROVIDER,
                event_id=str(event["id"])[:255],
                type=str(event["event_type"])[:100],
                payload=event,
                received_at=now,
            )
            tx.session.add(row)
            tx.session.flush()
            return row.id
    except IntegrityError:  # (provider, event_id) is unique: delivered before
        return None


def _subscription_id(event_type: str, resource: dict[str, Any]) -> str:
    if event_type.startswith("PAYMENT.SALE."):
        return str(resource.get("billing_agreement_id") or "")
    if event_type.startswith("BILLING.SUBSCRIPTION."):
        return str(resource.get("id") or "")
    return ""  # other event types are stored and acknowledged, nothing more


def process(event_row_id: uuid.UUID, *, now: dt.datetime | None = None) -> bool:
    """Apply one stored event; True once it is processed. A failure is recorded on the
    row and the beat tries again (processing is idempotent: it re-reads PayPal)."""
    with read_session() as s:
        row = s.get(BillingEvent, event_row_id)
    if row is None or row.processed_at is not None:
        return False
    resource = row.payload.get("resource") or {}
    try:
        sub_id = _subscription_id(row.type, resource)
        if sub_id:
            remote = paypal_api.get_subscription(sub_id)
            paypal.apply_remote(remote, now=now)
            if row.type == "PAYMENT.SALE.COMPLETED":
                _record_sale(resource, remote)
    except Exception as exc:
        log.warning("PayPal event %s not processed: %s", row.event_id, exc)
        with transaction() as tx:
            failed = tx.session.get(BillingEvent, event_row_id)
            if failed is not None:
                failed.error = f"{type(exc).__name__}: {exc}"[:2000]
        return False
    with transaction() as tx:
        done = tx.session.get(BillingEvent, event_row_id)
        if done is not None:
            done.processed_at = now or utcnow()
            done.error = ""
    return True


def _minor(value: Any) -> int:
    whole, _, cents = str(value).partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def _record_sale(sale: dict[str, Any], remote: dict[str, Any]) -> None:
    """A completed payment becomes the workspace's receipt, once (unique sale id)."""
    workspace_id = paypal.workspace_of(remote)
    with read_session() as s:
        sub = subscriptions.current(s, workspace_id) if workspace_id else None
    if sub is None or sub.provider_subscription_id != remote.get("id") or not sale.get("id"):
        return
    amount = sale.get("amount") or {}
    paid_at = paypal.parse_time(sale.get("create_time")) or utcnow()
    try:
        with transaction() as tx:
            tx.session.add(
                Invoice(
                    workspace_id=sub.workspace_id,
                    provider=paypal.PROVIDER,
                    provider_id=str(sale["id"])[:255],
                    number=str(sale["id"])[:64],
                    plan=sub.plan,
                    amount=_minor(amount.get("total", "0")),
                    currency=str(amount.get("currency", sub.currency))[:3],
                    status="paid",
                    period_start=paid_at,
                    period_end=paypal.parse_time(
                        (remote.get("billing_info") or {}).get("next_billing_time")
                    ),
                    paid_at=paid_at,
                )
            )
    except IntegrityError:
        pass  # the receipt of this sale is already there


def process_pending(*, now: dt.datetime | None = None) -> int:
    """Beat: process stored PayPal events that failed or were never processed."""
    now = now or utcnow()
    with read_session() as s:
        ids = s.exec(
            select(BillingEvent.id)
            .where(
                BillingEvent.provider == paypal.PROVIDER,
                col(BillingEvent.processed_at).is_(None),
                BillingEvent.received_at < now - _RETRY_AFTER,
            )
            .order_by(col(BillingEvent.received_at))
            .limit(200)
        ).all()
    return sum(process(i) for i in ids)
