"""PayPal Subscriptions: an owner subscribes in PayPal's own pages (the approve link) and
cancels here; whatever PayPal says about the subscription afterwards is read back from
PayPal (never taken from a webhook's body or a return URL) and written through
subscriptions.apply_subscription.

PayPal's statuses in ours: ACTIVE -> active; SUSPENDED (a renewal payment failed) ->
past_due, so the grace period starts; CANCELLED and EXPIRED -> canceled (grace from the
end of what was paid). APPROVAL_PENDING/APPROVED paid nothing and change nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from qrapp.core import routes
from qrapp.core.ids import uuid7
from qrapp.core.permissions import Permission
from qrapp.core.plans import Currency, Interval, Plan, PlanId, Standing
from qrapp.db import read_session, transaction
from qrapp.models import Workspace
from qrapp.models.billing import Subscription
from qrapp.models.billing_providers import PaypalPlan
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import paypal_api, provider_rules, subscriptions
from qrapp.services.billing.paypal_api import PayPalError
from qrapp.services.billing.periods import add_interval
from qrapp.services.errors import NotFound, ServiceError
from qrapp.services.mail import app_link

log = logging.getLogger(__name__)

PROVIDER = "paypal"
_STATUS = {
    "ACTIVE": "active",
    "SUSPENDED": "past_due",
    "CANCELLED": "canceled",
    "EXPIRED": "canceled",
}


def start_subscription(
    *,
    actor: Actor,
    plan: PlanId | str,
    interval: Interval | str,
    currency: Currency | str = Currency.EUR,
) -> str:
    """A PayPal subscription waiting for the owner's approval; returns PayPal's approve
    link to send the browser to. Nothing changes here until PayPal reports it active."""
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    if not paypal_api.configured():
        raise ServiceError("Paying with PayPal is not available right now.")
    chosen, iv, cur, amount = provider_rules.paid_price(plan, interval, currency)
    with read_session() as s:
        provider_rules.refuse_if_paying_elsewhere(subscriptions.current(s, workspace_id))
    plan_id = _paypal_plan(chosen, iv, cur, amount)
    back = app_link(routes.BILLING)
    created = paypal_api.create_subscription(
        plan_id=plan_id,
        custom_id=str(workspace_id),  # how a later read maps the subscription to us
        return_url=f"{back}?paypal=approved",
        cancel_url=f"{back}?paypal=cancelled",
        request_id=str(uuid7()),
    )
    link = next((x["href"] for x in created.get("links", []) if x.get("rel") == "approve"), "")
    if not link.startswith("https://"):
        raise PayPalError("PayPal did not give a page to approve the payment. Please try again.")
    with transaction() as tx:
        audit.record(
            tx.session,
            action=AuditAction.BILLING_PAYPAL_STARTED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="paypal_subscription",
            target_id=str(created.get("id", ""))[:64],
            details={"plan": chosen.id.value, "interval": iv.value, "currency": cur.value},
        )
    return link


def _paypal_plan(chosen: Plan, interval: Interval, currency: Currency, amount: int) -> str:
    """PayPal's plan id for this price, made on first use and remembered. The request
    ids are derived from the price, so two first uses at once get the same plan from
    PayPal (it answers a repeated PayPal-Request-Id with the first result)."""
    key = (chosen.id.value, interval.value, currency.value, amount)
    found = _remembered_plan(*key)
    if found:
        return found
    with read_session() as s:
        product_id = s.exec(
            select(PaypalPlan.product_id).where(PaypalPlan.plan == chosen.id.value)
        ).first()
    if not product_id:
        product_id = paypal_api.create_product(
            name=f"qrapp {chosen.name}", request_id=f"qrapp-product-{chosen.id.value}"
        )
    plan_id = paypal_api.create_plan(
        product_id=product_id,
        name=f"qrapp {chosen.name}, {'monthly' if interval is Interval.MONTH else 'yearly'}",
        unit=interval.value.upper(),
        value=f"{amount // 100}.{amount % 100:02d}",
        currency=currency.value,
        request_id="qrapp-plan-" + "-".join(map(str, key)),
    )
    try:
        with transaction() as tx:
            tx.session.add(
                PaypalPlan(
                    plan=chosen.id.value,
                    interval=interval.value,
                    currency=currency.value,
                    amount=amount,
                    product_id=product_id,
                    paypal_plan_id=plan_id,
                )
            )
    except IntegrityError:
        # Another request remembered a plan for this price first: use that one, so every
        # subscription maps back through the table.
        return _remembered_plan(*key) or plan_id
    return plan_id


def _remembered_plan(plan_id: str, interval: str, currency: str, amount: int) -> str | None:
    with read_session() as s:
        return s.exec(
            select(PaypalPlan.paypal_plan_id).where(
                PaypalPlan.plan == plan_id,
                PaypalPlan.interval == interval,
                PaypalPlan.currency == currency,
                PaypalPlan.amount == amount,
            )
        ).first()


def parse_time(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(dt.UTC)
    except ValueError:
        return None


def workspace_of(remote: dict[str, Any]) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(remote.get("custom_id", "")))
    except ValueError:
        return None


def apply_remote(remote: dict[str, Any], *, now: dt.datetime | None = None) -> Subscription | None:
    """Write a subscription as just read from PayPal. Not ours (no known plan or
    workspace), not paid yet, or an older PayPal subscription that is no longer the
    workspace's (a late CANCELLED must not undo the one it pays with now): nothing."""
    status = _STATUS.get(str(remote.get("status", "")))
    workspace_id = workspace_of(remote)
    if status is None or workspace_id is None:
        return None
    info = remote.get("billing_info") or {}
    with transaction() as tx:
        known = tx.session.exec(
            select(PaypalPlan).where(PaypalPlan.paypal_plan_id == str(remote.get("plan_id")))
        ).first()
        if known is None or tx.session.get(Workspace, workspace_id) is None:
            log.warning("PayPal subscription %s is not one of ours", remote.get("id"))
            return None
        sub = subscriptions.current(tx.session, workspace_id)
        if sub is not None and (
            sub.provider != PROVIDER or sub.provider_subscription_id != remote.get("id")
        ):
            sub = None  # the workspace's subscription is another one
        if sub is None and status != "active":
            return None
        # PayPal drops next_billing_time once cancelled: the paid-through date is then the
        # one we knew, or the last payment plus one interval.
        period_end = parse_time(info.get("next_billing_time"))
        if period_end is None and sub is not None:
            period_end = sub.current_period_end
        last_paid = parse_time((info.get("last_payment") or {}).get("time"))
        if period_end is None and last_paid is not None:
            period_end = add_interval(last_paid, known.interval)
        return subscriptions.apply_subscription(
            tx,
            workspace_id,
            provider=PROVIDER,
            plan_id=known.plan,
            interval=known.interval,
            currency=known.currency,
            status=status,
            current_period_end=period_end,
            customer_id=str((remote.get("subscriber") or {}).get("payer_id", "")),
            subscription_id=str(remote["id"]),
            now=now,
        )


def confirm_return(*, actor: Actor, subscription_id: str) -> Standing:
    """The owner is back from PayPal's approve page (return_url ?subscription_id=...):
    read the subscription from PayPal now rather than wait for the webhook."""
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    remote = paypal_api.get_subscription(subscription_id)
    if workspace_of(remote) != workspace_id:
        raise NotFound("PayPal subscription")
    apply_remote(remote)
    with read_session() as s:
        return subscriptions.workspace_standing(s, workspace_id)


def cancel(*, actor: Actor) -> Subscription | None:
    """Cancel the workspace's PayPal subscription at PayPal. PayPal stops at once; what
    was paid still counts: grace runs from the end of the paid period."""
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    with read_session() as s:
        sub = subscriptions.current(s, workspace_id)
    if (
        sub is None
        or sub.provider != PROVIDER
        or not sub.provider_subscription_id
        or sub.status not in ("active", "trialing", "past_due")
    ):
        raise ServiceError("There is no PayPal subscription to cancel.")
    try:
        paypal_api.cancel_subscription(
            sub.provider_subscription_id, reason="Cancelled by the workspace owner in qrapp"
        )
    except PayPalError as exc:
        if exc.name != "SUBSCRIPTION_STATUS_INVALID":  # already cancelled there: read it
            raise
    applied = apply_remote(paypal_api.get_subscription(sub.provider_subscription_id))
    with transaction() as tx:
        audit.record(
            tx.session,
            action=AuditAction.BILLING_PAYPAL_CANCELED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="paypal_subscription",
            target_id=sub.provider_subscription_id[:64],
        )
    return applied
