"""Rules every redirect-to-pay provider (PayPal, Klarna) applies before it starts."""

from __future__ import annotations

from qrapp.core.plans import Currency, Interval, Plan, PlanId, Standing, plan
from qrapp.models.billing import Subscription
from qrapp.services.billing import subscriptions
from qrapp.services.errors import ServiceError


def paid_price(
    plan_id: PlanId | str, interval: Interval | str, currency: Currency | str
) -> tuple[Plan, Interval, Currency, int]:
    """(plan, interval, currency, amount) of a paid plan, or a ServiceError to show."""
    try:
        chosen, iv, cur = plan(PlanId(plan_id)), Interval(interval), Currency(currency)
    except ValueError:
        raise ServiceError("Choose a plan, monthly or yearly, in SEK or EUR.") from None
    if not chosen.is_paid:
        raise ServiceError("The Free plan needs no payment.")
    return chosen, iv, cur, chosen.price(cur, iv)


def refuse_if_paying_elsewhere(sub: Subscription | None) -> None:
    """A workspace pays one way at a time: a second live subscription would bill twice."""
    if sub is None or sub.cancel_at_period_end:
        return
    if subscriptions.standing_of(sub) in (Standing.ACTIVE, Standing.TRIALING):
        raise ServiceError(
            f"This workspace already pays for {plan(sub.plan).name} ({sub.provider}). "
            "Cancel that subscription before paying another way."
        )
