"""Klarna renewals (the beat's `charge_due`) and cancelling a Klarna subscription.

Klarna does not bill on its own schedule: we charge the customer token for the next
period a day before the current one ends. A declined charge puts the subscription in
past_due (grace: every code keeps scanning) and is tried again once a day until the
charge goes through or the grace runs out (subscriptions.expire_due).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from sqlmodel import col, select

from qrapp.core.permissions import Permission
from qrapp.core.plans import plan
from qrapp.db import read_session, transaction
from qrapp.models.billing import Invoice, Subscription
from qrapp.models.billing_providers import KlarnaToken
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import klarna, klarna_api, klarna_charges, subscriptions
from qrapp.services.errors import ServiceError

log = logging.getLogger(__name__)

RENEW_AHEAD = dt.timedelta(days=1)  # charge this long before the period ends
RETRY_EVERY = dt.timedelta(days=1)  # a declined charge is tried again this often
# A charge still open this long after it was asked lost its answer (the request that
# asked has long given up: httpx times out after 20 s).
RESUME_AFTER = dt.timedelta(minutes=5)


def _declined_lately(session, sub: Subscription, now: dt.datetime) -> bool:
    return (
        session.exec(
            select(Invoice.id).where(
                Invoice.workspace_id == sub.workspace_id,
                Invoice.provider == klarna.PROVIDER,
                Invoice.status == "failed",
                Invoice.period_start == sub.current_period_end,
                Invoice.created_at > now - RETRY_EVERY,
            )
        ).first()
        is not None
    )


def _resume_open_charges(now: dt.datetime) -> tuple[int, set[uuid.UUID]]:
    """Ask Klarna again, with the same idempotency key, about every charge whose outcome
    we never learnt (a first payment too: the owner was told to wait, not to pay again)."""
    with read_session() as s:
        pending = s.exec(
            select(Invoice).where(
                Invoice.provider == klarna.PROVIDER,
                Invoice.status == "open",
                Invoice.created_at < now - RESUME_AFTER,
            )
        ).all()
        subs = {i.workspace_id: subscriptions.current(s, i.workspace_id) for i in pending}
    paid, touched = 0, set[uuid.UUID]()
    for invoice in pending:
        if invoice.period_start is None:
            continue
        sub = subs[invoice.workspace_id]
        renewal = (
            sub is not None
            and sub.provider == klarna.PROVIDER
            and sub.current_period_end == invoice.period_start
        )
        touched.add(invoice.workspace_id)
        try:
            done = klarna_charges.charge(
                workspace_id=invoice.workspace_id,
                plan_id=invoice.plan,
                interval=klarna_charges.interval_of(invoice),
                amount=invoice.amount,
                period_start=invoice.period_start,
                first=not renewal,
                now=now,
            )
        except ServiceError as exc:
            log.warning("Klarna charge %s still unknown: %s", invoice.number, exc)
            continue
        paid += done.status == "paid"
    return paid, touched


def charge_due(now: dt.datetime | None = None) -> int:
    """Charge every Klarna subscription whose period ends within a day, after resuming
    charges whose outcome is unknown; returns how many were paid. Renewals are at the
    plan's current price in core/plans."""
    now = now or utcnow()
    paid, touched = _resume_open_charges(now)
    with read_session() as s:
        due = s.exec(
            select(Subscription).where(
                Subscription.provider == klarna.PROVIDER,
                col(Subscription.status).in_(("active", "past_due")),
                Subscription.cancel_at_period_end == False,  # noqa: E712 (SQL)
                col(Subscription.current_period_end) <= now + RENEW_AHEAD,
            )
        ).all()
        due = [
            sub
            for sub in due
            if sub.workspace_id not in touched and not _declined_lately(s, sub, now)
        ]
    for sub in due:
        if sub.current_period_end is None:  # not selected by the query; for the type checker
            continue
        try:
            invoice = klarna_charges.charge(
                workspace_id=sub.workspace_id,
                plan_id=sub.plan,
                interval=sub.interval,
                amount=plan(sub.plan).price(sub.currency, sub.interval),
                period_start=sub.current_period_end,
                now=now,
            )
        except ServiceError as exc:  # Klarna unreachable, no token: next run tries again
            log.warning("Klarna renewal of workspace %s not charged: %s", sub.workspace_id, exc)
            continue
        paid += invoice.status == "paid"
    return paid


def cancel(*, actor: Actor) -> Subscription:
    """No more renewals: the paid period runs out, then the usual grace. The customer
    token is cancelled at Klarna too, so it can never be charged again."""
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    with read_session() as s:
        sub = subscriptions.current(s, workspace_id)
        token = s.get(KlarnaToken, workspace_id)
    if sub is None or sub.provider != klarna.PROVIDER or sub.status not in ("active", "past_due"):
        raise ServiceError("There is no Klarna subscription to cancel.")
    if token is not None:
        klarna_api.cancel_token(token.token_id)
    with transaction() as tx:
        applied = subscriptions.apply_subscription(
            tx,
            workspace_id,
            provider=klarna.PROVIDER,
            plan_id=sub.plan,
            interval=sub.interval,
            currency=sub.currency,
            status=sub.status,
            current_period_end=sub.current_period_end,
            cancel_at_period_end=True,
        )
        if token is not None:
            tx.session.delete(tx.session.get(KlarnaToken, workspace_id))
        audit.record(
            tx.session,
            action=AuditAction.BILLING_KLARNA_CANCELED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="subscription",
            target_id=str(applied.id),
        )
    return applied
