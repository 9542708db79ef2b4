"""A workspace's subscription: the one place every provider writes what it read.

Providers (Stripe's webhooks, Swish's callback, PayPal, Klarna, the operator CLI) map
their own statuses to ours and call `apply_subscription`; it keeps the row, the grace
period, the workspace's effective plan and the paused codes consistent with each other.
It is idempotent, so a duplicate or a late event that carries the provider's current state
leaves everything as it was.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Session, col, select

from qrapp.core.plans import GRACE, LIVE_STATUSES, STATUSES, PlanId, Standing, plan, standing
from qrapp.db import Transaction, transaction
from qrapp.models import Workspace
from qrapp.models.billing import Subscription
from qrapp.models.types import utcnow
from qrapp.services.billing import notices, suspension
from qrapp.services.webhooks import hooks as webhook_hooks

EXPIRE_TASK = "qrapp.billing.expire_due"
PROVIDERS = frozenset({"stripe", "swish", "paypal", "klarna", "manual"})


def current(session: Session, workspace_id: uuid.UUID) -> Subscription | None:
    return session.exec(
        select(Subscription).where(Subscription.workspace_id == workspace_id)
    ).first()


def standing_of(sub: Subscription | None, now: dt.datetime | None = None) -> Standing:
    if sub is None:
        return Standing.FREE
    return standing(
        plan_id=sub.plan,
        status=sub.status,
        period_end=sub.current_period_end,
        grace_until=sub.grace_until,
        now=now or utcnow(),
    )


def workspace_standing(
    session: Session, workspace_id: uuid.UUID, now: dt.datetime | None = None
) -> Standing:
    return standing_of(current(session, workspace_id), now)


def _grace_until(
    sub: Subscription, is_new: bool, status: str, period_end: dt.datetime | None, now: dt.datetime
) -> dt.datetime | None:
    """A live subscription's grace starts when its period ends (a renewal that never comes
    must not cut codes off at once). Once payment fails or it is cancelled, grace runs 14
    days from when we first saw that (from the end of the paid period when cancelled with
    time left), and a repeat of the same state does not extend it. A first payment that
    never went through ("incomplete") paid for nothing and gets none."""
    if status in LIVE_STATUSES:
        return period_end + GRACE if period_end else None
    if status == "incomplete":
        return None
    if not is_new and sub.status not in LIVE_STATUSES and sub.grace_until is not None:
        return sub.grace_until
    start = period_end if status == "canceled" and period_end and period_end > now else now
    return start + GRACE


def apply_subscription(
    tx: Transaction,
    workspace_id: uuid.UUID,
    *,
    provider: str,
    plan_id: str,
    interval: str,
    currency: str,
    status: str,
    current_period_end: dt.datetime | None,
    trial_end: dt.datetime | None = None,
    cancel_at_period_end: bool = False,
    customer_id: str = "",
    subscription_id: str = "",
    now: dt.datetime | None = None,
) -> Subscription:
    """Record the provider's state of the workspace's subscription and bring the effective
    plan and the paused codes in line with it."""
    if provider not in PROVIDERS:
        raise ValueError(f"unknown billing provider {provider!r}")
    if status not in STATUSES:
        raise ValueError(f"unknown subscription status {status!r}")
    now = now or utcnow()
    s = tx.session
    # The workspace row is locked first so two events for one workspace apply in turn.
    ws = s.exec(select(Workspace).where(Workspace.id == workspace_id).with_for_update()).one()
    sub = current(s, workspace_id)
    before = (sub.plan, sub.status) if sub is not None else ("", "")
    is_new = sub is None
    if sub is None:
        sub = Subscription(
            workspace_id=workspace_id, provider=provider, plan=plan_id, status=status
        )
    sub.grace_until = _grace_until(sub, is_new, status, current_period_end, now)
    sub.provider = provider
    sub.plan = plan(plan_id).id.value
    sub.interval = interval
    sub.currency = currency
    sub.status = status
    sub.current_period_end = current_period_end
    sub.trial_end = trial_end
    sub.cancel_at_period_end = cancel_at_period_end
    sub.provider_customer_id = customer_id or sub.provider_customer_id
    sub.provider_subscription_id = subscription_id or sub.provider_subscription_id
    sub.updated_at = now
    s.add(sub)
    _settle(tx, ws, sub, now)
    webhook_hooks.subscription_changed(tx, sub, before)
    return sub


def _settle(tx: Transaction, ws: Workspace, sub: Subscription, now: dt.datetime) -> None:
    """The effective plan and the paused codes for where the subscription stands now."""
    where = standing_of(sub, now)
    if where is Standing.EXPIRED and sub.status != "expired":
        sub.status = "expired"
        tx.session.add(sub)
    effective = sub.plan if where.keeps_plan else PlanId.FREE.value
    if ws.plan != effective:
        ws.plan = effective
        tx.session.add(ws)
    tx.session.flush()
    changed = suspension.sync(tx, ws.id, where)
    notices.codes_changed(tx, ws.id, changed, now)


def expire_due(now: dt.datetime | None = None) -> int:
    """Beat job: settle every subscription whose period or grace has run out since it was
    last written (Swish and manual periods are never renewed by an event; a failed Stripe
    payment's grace ends on a date, not on an event). Returns how many changed."""
    now = now or utcnow()
    with transaction() as tx:
        due = tx.session.exec(
            select(Subscription.workspace_id).where(
                Subscription.status != "expired",
                Subscription.plan != PlanId.FREE.value,
                sa.or_(
                    col(Subscription.current_period_end) < now,
                    col(Subscription.grace_until) < now,
                ),
            )
        ).all()
    changed = 0
    for workspace_id in due:
        with transaction() as tx:
            ws = tx.session.exec(
                select(Workspace).where(Workspace.id == workspace_id).with_for_update()
            ).one()
            sub = current(tx.session, workspace_id)
            if sub is None:
                continue
            before = (ws.plan, sub.status)
            _settle(tx, ws, sub, now)
            changed += (ws.plan, sub.status) != before
    return changed
