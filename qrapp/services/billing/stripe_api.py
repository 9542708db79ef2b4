"""The Stripe client from the settings, and how our plans are named in Stripe.

Prices are created through Stripe's Plans API (a Plan is a Price: its id works wherever
a price id does, in Checkout and in subscription items) because localstripe, the fake
Stripe the tests run against, has Plans and no Prices. Each plan/interval/currency has a
lookup key, `qrapp_pro_month_sek`; the Stripe id adds the amount,
`qrapp_pro_month_sek_9900`, because a Stripe price's amount can never change: a new
amount in core/plans is a new price, and subscriptions on the old one keep it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import stripe

from qrapp.core.plans import PLANS, Currency, Interval, PlanId
from qrapp.services.errors import ServiceError
from qrapp.settings import get_settings

PROVIDER = "stripe"


class StripeNotConfigured(ServiceError):
    def __init__(self) -> None:
        super().__init__("Card payments are not set up on this server yet.")


class StripeUnavailable(ServiceError):
    def __init__(self) -> None:
        super().__init__("Our card payment provider did not answer. Please try again shortly.")


@functools.cache
def _client(api_key: str, api_base: str) -> stripe.StripeClient:
    base: Any = {"api": api_base.rstrip("/")} if api_base else None
    return stripe.StripeClient(api_key, base_addresses=base, max_network_retries=2)


def client() -> stripe.StripeClient:
    s = get_settings()
    if not s.stripe_api_key:
        raise StripeNotConfigured()
    return _client(s.stripe_api_key, s.stripe_api_base)


def as_dict(obj: Any) -> dict[str, Any]:
    """A Stripe object as plain data (the library's objects are not dicts)."""
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj or {})


def product_id(plan_id: PlanId) -> str:
    return f"qrapp_{plan_id.value}"


def lookup_key(plan_id: PlanId, interval: Interval, currency: Currency) -> str:
    return f"qrapp_{plan_id.value}_{interval.value}_{currency.value.lower()}"


@dataclass(frozen=True)
class CatalogPrice:
    plan: PlanId
    interval: Interval
    currency: Currency
    amount: int  # minor units

    @property
    def lookup_key(self) -> str:
        return lookup_key(self.plan, self.interval, self.currency)

    @property
    def stripe_id(self) -> str:
        return f"{self.lookup_key}_{self.amount}"

    @property
    def metadata(self) -> dict[str, str]:
        return {
            "qrapp_plan": self.plan.value,
            "interval": self.interval.value,
            "currency": self.currency.value,
            "lookup_key": self.lookup_key,
        }


def catalog() -> list[CatalogPrice]:
    """Every paid price of core/plans (the Free plan and prices of 0 are not sold)."""
    found = []
    for plan in PLANS.values():
        for (currency, interval), amount in sorted(plan.prices.items()):
            if amount > 0:
                found.append(CatalogPrice(plan.id, Interval(interval), Currency(currency), amount))
    return found


def catalog_price(plan_id: PlanId, interval: Interval, currency: Currency) -> CatalogPrice:
    for price in catalog():
        if (price.plan, price.interval, price.currency) == (plan_id, interval, currency):
            return price
    raise ServiceError("That plan cannot be bought by card in this currency and interval.")


@dataclass(frozen=True)
class PriceInfo:
    """Which of our plans a Stripe price stands for."""

    plan: PlanId
    interval: Interval
    currency: Currency


def price_info(price: dict[str, Any]) -> PriceInfo | None:
    """From the price's metadata (set by sync-stripe), else from its id's shape."""
    meta = price.get("metadata") or {}
    try:
        if meta.get("qrapp_plan"):
            return PriceInfo(
                PlanId(meta["qrapp_plan"]),
                Interval(meta["interval"]),
                Currency(meta["currency"]),
            )
        _, plan, interval, currency, _amount = str(price.get("id", "")).split("_")
        return PriceInfo(PlanId(plan), Interval(interval), Currency(currency.upper()))
    except (KeyError, ValueError):
        return None
