"""The billing page's actions, one call per button, in front of the provider modules
(stripe_billing, swish, paypal, klarna).

Each call checks BILLING_MANAGE and validates the plan, interval and currency before any
provider is asked, so an admin's or a forged request is refused here even when a provider
module would not check; the provider modules check again themselves. A provider whose
module is not installed answers with a clear message instead of a stack trace.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from qrapp.core.permissions import Permission
from qrapp.core.plans import Currency, Interval, Plan, PlanId, plan
from qrapp.services.authz import Actor, require
from qrapp.services.errors import ServiceError

PROVIDER_NAMES = {
    "stripe": "card",
    "swish": "Swish",
    "paypal": "PayPal",
    "klarna": "Klarna",
}
_MODULES = {
    "stripe": "qrapp.services.billing.stripe_billing",
    "swish": "qrapp.services.billing.swish",
    "paypal": "qrapp.services.billing.paypal",
    "klarna": "qrapp.services.billing.klarna",
}


@dataclass(frozen=True)
class Choice:
    plan: Plan
    interval: Interval
    currency: Currency


@dataclass(frozen=True)
class SwishView:
    """What the page needs of a started Swish payment: its id to poll, the link that opens
    the Swish app on a phone, the QR code a desktop shows, its status."""

    id: str
    deep_link: str
    qr_image: str  # the QR code as a data: URL ("" when a phone number was given)
    status: str


def _provider(name: str) -> ModuleType:
    """The provider's module, imported when first used (a lane may not have landed)."""
    try:
        return importlib.import_module(_MODULES[name])
    except (KeyError, ImportError):
        raise ServiceError(
            f"Paying by {PROVIDER_NAMES.get(name, name)} is not available yet. "
            "Choose another way to pay."
        ) from None


def choice(plan_id: str, interval: str, currency: str = "SEK", *, paid: bool = True) -> Choice:
    """A plan choice from the browser, validated; a paid plan unless `paid` is False."""
    try:
        chosen = plan(PlanId(str(plan_id)))
        every = Interval(str(interval))
        money = Currency(str(currency).upper())
    except ValueError:
        raise ServiceError("Choose a plan, monthly or yearly, in SEK or EUR.") from None
    if paid and not chosen.is_paid:
        raise ServiceError("The Free plan needs no payment.")
    if chosen.id is PlanId.ENTERPRISE:
        raise ServiceError("Enterprise is invoiced: write to sales@qrapp.example to start.")
    return Choice(chosen, every, money)


def _manage(actor: Actor) -> None:
    require(actor, Permission.BILLING_MANAGE)


def card_checkout_url(
    *, actor: Actor, plan_id: str, interval: str, currency: str, success_url: str, cancel_url: str
) -> str:
    _manage(actor)
    c = choice(plan_id, interval, currency)
    return str(
        _provider("stripe").checkout_url(
            actor=actor,
            plan=c.plan.id,
            interval=c.interval,
            currency=c.currency,
            success_url=success_url,
            cancel_url=cancel_url,
        )
    )


def portal_url(*, actor: Actor, return_url: str) -> str:
    _manage(actor)
    return str(_provider("stripe").portal_url(actor=actor, return_url=return_url))


def change_plan(*, actor: Actor, plan_id: str, interval: str) -> None:
    """Move a Stripe subscription to another paid plan (prorated), or to Free, which is
    cancelling at the end of the paid period."""
    _manage(actor)
    c = choice(plan_id, interval, paid=False)
    stripe_billing = _provider("stripe")
    if not c.plan.is_paid:
        stripe_billing.cancel_at_period_end(actor=actor)
        return
    stripe_billing.change_plan(actor=actor, plan=c.plan.id, interval=c.interval)


def cancel_at_period_end(*, actor: Actor) -> None:
    _manage(actor)
    _provider("stripe").cancel_at_period_end(actor=actor)


def resume(*, actor: Actor) -> None:
    _manage(actor)
    _provider("stripe").resume(actor=actor)


def start_swish(*, actor: Actor, plan_id: str, interval: str, phone: str | None) -> SwishView:
    _manage(actor)
    c = choice(plan_id, interval, "SEK")  # Swish pays in SEK only
    started = _provider("swish").start_payment(
        actor=actor, plan=c.plan.id, interval=c.interval, phone=phone or None
    )
    return SwishView(
        id=str(started.id),
        deep_link=str(started.deep_link or ""),
        qr_image=str(started.qr_data or ""),  # a data: URL the swish module renders
        status=str(started.status),
    )


def swish_status(*, actor: Actor, payment_id: str) -> str:
    """The payment's status as Swish tells it now (PAID, DECLINED, ...); the swish module
    finds the payment in the actor's own workspace only."""
    _manage(actor)
    return str(_provider("swish").payment_status(actor=actor, payment_id=str(payment_id)[:32]))


def paypal_approve_url(*, actor: Actor, plan_id: str, interval: str, currency: str) -> str:
    """PayPal's approve link; PayPal sends the person back to /billing?paypal=approved."""
    _manage(actor)
    c = choice(plan_id, interval, currency)
    return str(
        _provider("paypal").start_subscription(
            actor=actor, plan=c.plan.id, interval=c.interval, currency=c.currency
        )
    )


def paypal_confirm(*, actor: Actor, subscription_id: str) -> None:
    """Back from PayPal's approve page: read the subscription from PayPal now (the
    paypal module checks it belongs to the actor's workspace)."""
    _manage(actor)
    _provider("paypal").confirm_return(actor=actor, subscription_id=str(subscription_id)[:64])


def klarna_start_url(*, actor: Actor, plan_id: str, interval: str, currency: str) -> str:
    """Klarna's Hosted Payment Page for the plan; Klarna sends the person back through
    routes.KLARNA_RETURN, which completes it and goes on to /billing?klarna=..."""
    _manage(actor)
    c = choice(plan_id, interval, currency)
    return str(
        _provider("klarna").start_hosted(
            actor=actor, plan=c.plan.id, interval=c.interval, currency=c.currency
        )
    )
