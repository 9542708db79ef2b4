"""What an owner does with a card subscription: Checkout, the Customer Portal, changing
plan, cancelling at the period's end and resuming.

Each action requires BILLING_MANAGE in the actor's workspace and acts only on that
workspace's Stripe customer and subscription. Checkout and the Portal are pages hosted by
Stripe: we create a session and send the person to its URL; what they do there comes
back as signed webhook events (services.billing.stripe_events). Changes made here are
written at once from the subscription Stripe returns, so the billing page shows them
without waiting for the webhook (which then writes the same state again).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import stripe

from qrapp.core.permissions import Permission
from qrapp.core.plans import Currency, Interval, PlanId
from qrapp.db import transaction
from qrapp.models.audit import AuditAction
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.billing import stripe_api, stripe_state, subscriptions
from qrapp.services.errors import ServiceError
from qrapp.settings import get_settings


def _choice(enum, value: Any, what: str):
    try:
        return enum(value)
    except ValueError:
        raise ServiceError(f"Please choose a valid {what}.") from None


def _own_url(url: str, what: str) -> str:
    """Stripe sends the person back to these URLs: only our own app, never elsewhere."""
    app = urlsplit(get_settings().app_url)
    parts = urlsplit(url or "")
    if (parts.scheme, parts.netloc) != (app.scheme, app.netloc):
        raise ServiceError(f"The {what} must be a page of this app.")
    return url


def _call(fn, *args, **kwargs):
    """A Stripe call; its failures become messages fit to show."""
    try:
        return stripe_api.as_dict(fn(*args, **kwargs))
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        raise stripe_api.StripeUnavailable() from exc
    except stripe.StripeError as exc:
        message = getattr(exc, "user_message", None) or "Our card payment provider refused that."
        raise ServiceError(message) from exc


def _stripe_row(actor: Actor):
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    with transaction() as tx:
        return workspace_id, subscriptions.current(tx.session, workspace_id)


def checkout_url(
    *,
    actor: Actor,
    plan: str,
    interval: str,
    currency: str,
    success_url: str,
    cancel_url: str,
) -> str:
    """The URL of a Stripe Checkout page that starts a subscription to `plan`."""
    workspace_id, row = _stripe_row(actor)
    price = stripe_api.catalog_price(
        _choice(PlanId, plan, "plan"),
        _choice(Interval, interval, "billing interval"),
        _choice(Currency, currency, "currency"),
    )
    live = row is not None and row.status in stripe_state.LIVE
    if live and row.provider == stripe_api.PROVIDER:
        raise ServiceError("This workspace already pays by card. Change its plan instead.")
    if live:
        raise ServiceError(
            "This workspace already has a paid plan. Let it end before paying by card."
        )
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [{"price": price.stripe_id, "quantity": 1}],
        "client_reference_id": str(workspace_id),
        "success_url": _own_url(success_url, "return page after paying"),
        "cancel_url": _own_url(cancel_url, "return page after cancelling"),
        # Businesses can give their VAT number; Stripe puts it on the invoices.
        "tax_id_collection": {"enabled": True},
        "billing_address_collection": "required",
        "subscription_data": {"metadata": {"workspace_id": str(workspace_id)}},
    }
    trial_days = get_settings().billing_trial_days
    if row is None and trial_days > 0:  # a trial only for the first subscription ever
        params["subscription_data"]["trial_period_days"] = trial_days
    if row is not None and row.provider == stripe_api.PROVIDER and row.provider_customer_id:
        # The same Stripe customer again: its invoices and card stay in one place.
        params["customer"] = row.provider_customer_id
        params["customer_update"] = {"name": "auto", "address": "auto"}
    else:
        params["customer_email"] = actor.email  # Checkout makes the customer
    session = _call(stripe_api.client().v1.checkout.sessions.create, params=params)
    return session["url"]


def portal_url(*, actor: Actor, return_url: str) -> str:
    """The URL of Stripe's Customer Portal (card, invoices, cancel) for this workspace."""
    _workspace_id, row = _stripe_row(actor)
    if row is None or row.provider != stripe_api.PROVIDER or not row.provider_customer_id:
        raise ServiceError("This workspace has no card subscription yet.")
    params = {
        "customer": row.provider_customer_id,
        "return_url": _own_url(return_url, "return page"),
    }
    return _call(stripe_api.client().v1.billing_portal.sessions.create, params=params)["url"]


def _live_subscription(actor: Actor):
    workspace_id, row = _stripe_row(actor)
    if (
        row is None
        or row.provider != stripe_api.PROVIDER
        or not row.provider_subscription_id
        or row.status not in stripe_state.LIVE
    ):
        raise ServiceError("This workspace has no card subscription to change.")
    return workspace_id, row


def _modify(actor: Actor, params: dict[str, Any], action: AuditAction, details: dict) -> None:
    workspace_id, row = _live_subscription(actor)
    client = stripe_api.client()
    sub = _call(client.v1.subscriptions.update, row.provider_subscription_id, params=params)
    with transaction() as tx:
        stripe_state.apply(tx, workspace_id, sub)
        audit.record(
            tx.session,
            action=action,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="subscription",
            target_id=row.provider_subscription_id,
            details=details,
        )


def change_plan(*, actor: Actor, plan: str, interval: str) -> None:
    """Move the subscription to another plan or interval now; Stripe prorates the rest of
    the period (credit for the unused time of the old price on the next invoice)."""
    _workspace_id, row = _live_subscription(actor)
    price = stripe_api.catalog_price(
        _choice(PlanId, plan, "plan"),
        _choice(Interval, interval, "billing interval"),
        Currency(row.currency),
    )
    sub = _call(stripe_api.client().v1.subscriptions.retrieve, row.provider_subscription_id)
    item = stripe_state.item_of(sub)
    if stripe_state.price_of(sub).get("id") == price.stripe_id:
        raise ServiceError("The workspace is already on that plan.")
    _modify(
        actor,
        {
            "items": [{"id": item["id"], "price": price.stripe_id}],
            "proration_behavior": "create_prorations",
        },
        AuditAction.BILLING_STRIPE_PLAN_CHANGED,
        {"from": row.plan, "to": price.plan.value, "interval": price.interval.value},
    )


def cancel_at_period_end(*, actor: Actor) -> None:
    """Stop renewing: the plan stays until the paid period ends."""
    _modify(actor, {"cancel_at_period_end": True}, AuditAction.BILLING_STRIPE_CANCEL_SCHEDULED, {})


def resume(*, actor: Actor) -> None:
    """Undo cancel_at_period_end before the period ends."""
    _modify(actor, {"cancel_at_period_end": False}, AuditAction.BILLING_STRIPE_RESUMED, {})
