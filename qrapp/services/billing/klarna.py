"""Klarna Payments with a customer token: the owner authorizes once on Klarna's Hosted
Payment Page (our pages load no Klarna script: the CSP allows none), we keep the
customer token and charge each period with an order on it (the first at once, the next
ones from the beat, `klarna_renewals.charge_due`). This module starts and completes the
authorization; charging a period on the token is klarna_charges.py.

The price is fixed when the session starts (KlarnaSession), so completing it charges
what the owner was shown. Every charge is an Invoice row written before Klarna is asked
(status open) whose id is Klarna's idempotency key: a charge interrupted after Klarna
took it is asked again with the same key and cannot be taken twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlmodel import col, select

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.core.plans import Currency, Interval, PlanId, plan
from qrapp.db import read_session, transaction
from qrapp.models.billing import Invoice
from qrapp.models.billing_providers import KlarnaSession, KlarnaToken
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import klarna_api, subscriptions
from qrapp.services.billing.klarna_api import KlarnaDeclined, KlarnaError
from qrapp.services.billing.klarna_charges import (
    PROVIDER,
    charge,
    klarna_locale,
    open_charge,
    order_for,
)
from qrapp.services.billing.provider_rules import paid_price, refuse_if_paying_elsewhere
from qrapp.services.errors import ServiceError
from qrapp.services.mail import app_link
from qrapp.settings import get_settings

# Klarna's authorization token lives 60 minutes; a session older than that cannot finish.
AUTHORIZATION_TTL = dt.timedelta(minutes=60)


@dataclass(frozen=True)
class KlarnaStart:
    """A started KP session (start_hosted puts it on Klarna's hosted page)."""

    session_id: str
    client_token: str


def _country(currency: Currency | str) -> str:
    return "SE" if Currency(currency) is Currency.SEK else get_settings().klarna_eur_country


def _refuse_a_second_payment(workspace_id: uuid.UUID) -> None:
    with read_session() as s:
        refuse_if_paying_elsewhere(subscriptions.current(s, workspace_id))
        if open_charge(s, workspace_id) is not None:
            # Klarna may have taken it; a second payment now could charge twice.
            raise ServiceError(
                "Your last Klarna payment is still being confirmed. Please try again in a "
                "few minutes."
            )


def start(
    *,
    actor: Actor,
    plan: PlanId | str,
    interval: Interval | str,
    currency: Currency | str = Currency.EUR,
) -> KlarnaStart:
    """A Klarna payment session that will make a customer token (intent tokenize)."""
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    if not klarna_api.configured():
        raise ServiceError("Paying with Klarna is not available right now.")
    chosen, iv, cur, amount = paid_price(plan, interval, currency)
    _refuse_a_second_payment(workspace_id)
    country = _country(cur)
    order = order_for(
        plan_id=chosen.id.value,
        interval=iv.value,
        currency=cur.value,
        country=country,
        amount=amount,
    )
    created = klarna_api.create_session({**order, "intent": "tokenize"})
    with transaction() as tx:
        tx.session.add(
            KlarnaSession(
                workspace_id=workspace_id,
                session_id=str(created["session_id"]),
                plan=chosen.id.value,
                interval=iv.value,
                currency=cur.value,
                purchase_country=country,
                amount=amount,
                created_by=actor.user_id,
            )
        )
        audit.record(
            tx.session,
            action=AuditAction.BILLING_KLARNA_STARTED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="klarna_session",
            target_id=str(created["session_id"])[:64],
            details={"plan": chosen.id.value, "interval": iv.value, "currency": cur.value},
        )
    return KlarnaStart(session_id=str(created["session_id"]), client_token=created["client_token"])


def _billing_url(outcome: str = "") -> str:
    base = app_link(routes.BILLING)
    return f"{base}?klarna={outcome}" if outcome else base


def start_hosted(
    *,
    actor: Actor,
    plan: PlanId | str,
    interval: Interval | str,
    currency: Currency | str = Currency.EUR,
) -> str:
    """Start a KP session (as `start`) and host it on Klarna's Hosted Payment Page (HPP
    API v1): the URL to send the browser to. After the payer authorizes, Klarna sends the
    browser to routes.KLARNA_RETURN with the authorization token filled in.

    Klarna fills the placeholders {{session_id}} (the HPP session's id, not the KP one)
    and {{authorization_token}} in the success URL; our own KP session id goes in as
    `session` because the HPP id is not stored. place_order_mode NONE: Klarna places no
    order, we make the customer token ourselves (klarna.complete)."""
    started = start(actor=actor, plan=plan, interval=interval, currency=currency)
    query = urlencode({"session": started.session_id})
    success = (
        f"{get_settings().public_api_url}{routes.KLARNA_RETURN}?{query}"
        "&sid={{session_id}}&authorization_token={{authorization_token}}"
    )
    hosted = klarna_api.create_hpp_session(
        {
            "payment_session_url": klarna_api.session_url(started.session_id),
            "merchant_urls": {
                "success": success,
                "cancel": _billing_url("cancelled"),
                "back": _billing_url(),
                "failure": _billing_url("declined"),
                "error": _billing_url("failed"),
            },
            "options": {"place_order_mode": "NONE"},
        }
    )
    return str(hosted["redirect_url"])


def outcome_of(*, actor: Actor, session_id: str) -> str | None:
    """What became of a KP session of the actor's workspace that was already completed
    (the return page reloaded): "paid", "declined" or "pending"; None when the workspace
    has no completed session with that id (unknown, another workspace's, not yet done)."""
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    with read_session() as s:
        done = s.exec(
            select(KlarnaSession).where(
                KlarnaSession.workspace_id == workspace_id,
                KlarnaSession.session_id == session_id[:100],
                col(KlarnaSession.completed_at).is_not(None),
            )
        ).first()
        if done is None:
            return None
        first = s.exec(  # complete() charges the first period from completed_at
            select(Invoice).where(
                Invoice.workspace_id == workspace_id,
                Invoice.provider == PROVIDER,
                Invoice.period_start == done.completed_at,
            )
        ).first()
    status = first.status if first is not None else "open"
    return {"paid": "paid", "failed": "declined"}.get(status, "pending")


def complete(
    *,
    actor: Actor,
    authorization_token: str,
    session_id: str | None = None,
    now: dt.datetime | None = None,
) -> Invoice:
    """Klarna authorized: make the customer token, keep it, and charge the first period
    with it. `session_id` names the KP session (the hosted page's return); it must be an
    open one of the actor's workspace. Returns the paid invoice; a decline raises
    KlarnaDeclined (the subscription is not changed and the owner can try again)."""
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    now = now or utcnow()
    with read_session() as s:
        query = select(KlarnaSession).where(
            KlarnaSession.workspace_id == workspace_id,
            col(KlarnaSession.completed_at).is_(None),
            KlarnaSession.created_at > now - AUTHORIZATION_TTL,
        )
        if session_id is not None:
            query = query.where(KlarnaSession.session_id == session_id[:100])
        session = s.exec(query.order_by(col(KlarnaSession.created_at).desc())).first()
    if session is None:
        raise ServiceError("That Klarna payment has expired. Please start again.")
    _refuse_a_second_payment(workspace_id)  # the workspace may have paid since it started
    made = klarna_api.create_customer_token(
        authorization_token,
        {
            "purchase_country": session.purchase_country,
            "purchase_currency": session.currency,
            "locale": klarna_locale(session.purchase_country),
            "description": f"qrapp {plan(session.plan).name} subscription",
            "intended_use": "SUBSCRIPTION",
        },
    )
    with transaction() as tx:
        done = tx.session.get_one(KlarnaSession, session.id)
        done.completed_at = now
        token = tx.session.get(KlarnaToken, workspace_id) or KlarnaToken(
            workspace_id=workspace_id, token_id="", purchase_country="", currency=""
        )
        token.token_id = str(made["token_id"])
        token.purchase_country = session.purchase_country
        token.currency = session.currency
        token.updated_at = now
        tx.session.add_all([done, token])
        audit.record(
            tx.session,
            action=AuditAction.BILLING_KLARNA_COMPLETED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="klarna_session",
            target_id=session.session_id[:64],
        )
    try:
        invoice = charge(
            workspace_id=workspace_id,
            plan_id=session.plan,
            interval=session.interval,
            amount=session.amount,
            period_start=now,
            first=True,
            now=now,
        )
    except KlarnaError as exc:  # not a decline: Klarna may have taken it (the beat asks again)
        raise KlarnaError(
            "Klarna has not confirmed the payment yet. We check again within minutes; "
            "please do not pay again."
        ) from exc
    if invoice.status != "paid":
        raise KlarnaDeclined(
            "Klarna declined the payment. Please try again or choose another way to pay."
        )
    return invoice
