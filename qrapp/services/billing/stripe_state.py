"""A subscription as Stripe reports it, written through subscriptions.apply_subscription.

Every path that learns something from Stripe (webhook processing, the billing actions)
re-reads the subscription and writes what it read here, so the order in which events
arrive, or how often, does not change the result.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from qrapp.db import Transaction
from qrapp.models.billing import Subscription
from qrapp.services.billing import stripe_api, subscriptions

# Stripe's subscription statuses -> ours. `unpaid` (retries exhausted, still open) is
# treated as past_due so the grace period applies; `incomplete_expired` (the first
# payment never succeeded) and `paused` (a trial ended without a card) end it.
STATUS = {
    "trialing": "trialing",
    "active": "active",
    "past_due": "past_due",
    "unpaid": "past_due",
    "canceled": "canceled",
    "incomplete": "incomplete",
    "incomplete_expired": "canceled",
    "paused": "canceled",
}
# Still running in Stripe (past_due too: Stripe keeps retrying the payment).
LIVE = frozenset({"trialing", "active", "past_due"})


def _when(ts: Any) -> datetime | None:
    return datetime.fromtimestamp(int(ts), UTC) if ts else None


def item_of(sub: dict[str, Any]) -> dict[str, Any]:
    items = (sub.get("items") or {}).get("data") or []
    return items[0] if items else {}


def price_of(sub: dict[str, Any]) -> dict[str, Any]:
    item = item_of(sub)
    return item.get("price") or item.get("plan") or sub.get("plan") or {}


def period_end(sub: dict[str, Any]) -> datetime | None:
    # Since API version 2025-03-31 the period lives on the item; older ones (and
    # localstripe) keep it on the subscription.
    return _when(item_of(sub).get("current_period_end") or sub.get("current_period_end"))


def workspace_hint(sub: dict[str, Any]) -> uuid.UUID | None:
    """The workspace Checkout put in the subscription's metadata, if any."""
    try:
        return uuid.UUID((sub.get("metadata") or {}).get("workspace_id", ""))
    except ValueError:
        return None


def is_current(session: Session, workspace_id: uuid.UUID, sub: dict[str, Any]) -> bool:
    """Whether this Stripe subscription may write the workspace's state: a live one
    always may (a new subscription replaces what was there); an ended one only while it
    is still the workspace's subscription, so a late event of an old subscription cannot
    cancel the plan a newer one (or another provider) pays for."""
    if STATUS.get(sub.get("status", ""), "") in LIVE:
        return True
    row = subscriptions.current(session, workspace_id)
    return row is None or (
        row.provider == stripe_api.PROVIDER and row.provider_subscription_id == sub.get("id")
    )


def apply(
    tx: Transaction, workspace_id: uuid.UUID, sub: dict[str, Any], now: datetime | None = None
) -> Subscription | None:
    """Write the Stripe subscription `sub` (as read from Stripe) for the workspace.
    Returns the Subscription row, or None when `sub` may not write (see is_current) or
    its price is not one of ours."""
    info = stripe_api.price_info(price_of(sub))
    if info is None or not is_current(tx.session, workspace_id, sub):
        return None
    customer = sub.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    return subscriptions.apply_subscription(
        tx,
        workspace_id,
        provider=stripe_api.PROVIDER,
        plan_id=info.plan.value,
        interval=info.interval.value,
        currency=info.currency.value,
        status=STATUS.get(sub.get("status", ""), "incomplete"),
        current_period_end=period_end(sub),
        trial_end=_when(sub.get("trial_end")),
        cancel_at_period_end=bool(sub.get("cancel_at_period_end")),
        customer_id=customer or "",
        subscription_id=sub.get("id", ""),
        now=now,
    )
