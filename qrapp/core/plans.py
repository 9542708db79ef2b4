"""The plans in one place: prices, limits and features, and where a subscription stands.

Pure: the pricing page, the billing page, the services' limit checks, Stripe's product
sync and the providers' prices all read this module, so a plan is changed here only.
Prices are in minor units (öre, cents). `None` as a limit means unlimited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

GRACE_DAYS = 14  # after a failed payment or the end of a paid period, every code still scans
GRACE = dt.timedelta(days=GRACE_DAYS)
MB = 1024 * 1024
GB = 1024 * MB


class PlanId(StrEnum):
    FREE = "free"
    PRO = "pro"
    BUSINESS = "business"
    ENTERPRISE = "enterprise"


class Interval(StrEnum):
    MONTH = "month"
    YEAR = "year"


class Currency(StrEnum):
    SEK = "SEK"
    EUR = "EUR"


class Resource(StrEnum):
    """What a plan counts. The labels read in a sentence: "10 dynamic codes"."""

    DYNAMIC_CODES = "dynamic_codes"
    STATIC_CODES = "static_codes"
    LANDING_PAGES = "landing_pages"
    MEDIA_BYTES = "media_bytes"
    SEATS = "seats"
    BULK_ROWS = "bulk_rows"

    @property
    def label(self) -> str:
        return _RESOURCE_LABELS[self]


_RESOURCE_LABELS = {
    Resource.DYNAMIC_CODES: "dynamic codes",
    Resource.STATIC_CODES: "static codes",
    Resource.LANDING_PAGES: "landing pages",
    Resource.MEDIA_BYTES: "media storage",
    Resource.SEATS: "team seats",
    Resource.BULK_ROWS: "rows per bulk job",
}


@dataclass(frozen=True)
class Plan:
    id: PlanId
    name: str
    tagline: str
    # (currency, interval) -> price in minor units; a yearly price is about ten months.
    prices: dict[tuple[Currency, Interval], int]
    dynamic_codes: int | None
    static_codes: int | None
    landing_pages: int | None
    media_bytes: int | None
    seats: int | None
    bulk_rows: int | None
    api_per_minute: int
    retention_days: tuple[int, ...]  # the analytics retention choices the plan allows
    custom_domains: bool = False
    # How many custom domains a workspace may add (None: no limit); only with
    # custom_domains. The setting DOMAINS_PER_PLAN overrides it (services.domains.limits).
    domains: int | None = 0
    white_label: bool = False
    sso: bool = False
    features: tuple[str, ...] = field(default=())  # extra lines for the comparison table

    def limit(self, resource: Resource) -> int | None:
        return getattr(self, resource.value)  # type: ignore[no-any-return]

    def price(self, currency: Currency | str, interval: Interval | str) -> int:
        return self.prices[(Currency(currency), Interval(interval))]

    @property
    def is_paid(self) -> bool:
        return self.id is not PlanId.FREE

    @property
    def max_retention_days(self) -> int:
        return max(self.retention_days)


def _prices(sek_month: int, eur_month: int) -> dict[tuple[Currency, Interval], int]:
    """Monthly prices in whole SEK/EUR; yearly is ten months (two months free)."""
    return {
        (Currency.SEK, Interval.MONTH): sek_month * 100,
        (Currency.SEK, Interval.YEAR): sek_month * 1000,
        (Currency.EUR, Interval.MONTH): eur_month * 100,
        (Currency.EUR, Interval.YEAR): eur_month * 1000,
    }


PLANS: dict[PlanId, Plan] = {
    PlanId.FREE: Plan(
        id=PlanId.FREE,
        name="Free",
        tagline="For trying it out",
        prices=_prices(0, 0),
        dynamic_codes=10,
        static_codes=100,
        landing_pages=1,
        media_bytes=100 * MB,
        seats=1,
        bulk_rows=50,
        api_per_minute=30,
        retention_days=(30,),
    ),
    PlanId.PRO: Plan(
        id=PlanId.PRO,
        name="Pro",
        tagline="For one business",
        prices=_prices(149, 14),
        dynamic_codes=500,
        static_codes=None,
        landing_pages=25,
        media_bytes=2 * GB,
        seats=3,
        bulk_rows=1_000,
        api_per_minute=120,
        retention_days=(30, 365),
    ),
    PlanId.BUSINESS: Plan(
        id=PlanId.BUSINESS,
        name="Business",
        tagline="For teams and agencies",
        prices=_prices(449, 42),
        dynamic_codes=None,
        static_codes=None,
        landing_pages=None,
        media_bytes=20 * GB,
        seats=25,
        bulk_rows=50_000,
        api_per_minute=600,
        retention_days=(30, 365, 1095),
        custom_domains=True,
        domains=5,
        sso=True,
    ),
    PlanId.ENTERPRISE: Plan(
        id=PlanId.ENTERPRISE,
        name="Enterprise",
        tagline="For brands with many teams",
        prices=_prices(1490, 140),
        dynamic_codes=None,
        static_codes=None,
        landing_pages=None,
        media_bytes=None,
        seats=None,
        bulk_rows=50_000,
        api_per_minute=3_000,
        retention_days=(30, 365, 1095),
        custom_domains=True,
        domains=50,
        white_label=True,
        sso=True,
    ),
}

PAID_PLANS = tuple(p for p in PLANS.values() if p.is_paid)


def plan(plan_id: PlanId | str) -> Plan:
    """The plan for an id; an unknown id (an old row, a typo in the CLI) reads as Free so
    a mistake never grants more than it should."""
    try:
        return PLANS[PlanId(plan_id)]
    except ValueError:
        return PLANS[PlanId.FREE]


def next_plan_up(plan_id: PlanId | str) -> Plan | None:
    order = list(PLANS)
    i = order.index(plan(plan_id).id)
    return PLANS[order[i + 1]] if i + 1 < len(order) else None


class Standing(StrEnum):
    """Where a workspace's subscription stands, as the limits and the edge see it."""

    FREE = "free"  # never paid, or on the Free plan: Free's limits, nothing is paused
    TRIALING = "trialing"
    ACTIVE = "active"
    GRACE = "grace"  # payment failed or the paid period ended: limits kept, every code scans
    EXPIRED = "expired"  # grace is over: Free's limits; dynamic codes beyond them pause

    @property
    def keeps_plan(self) -> bool:
        return self in (Standing.TRIALING, Standing.ACTIVE, Standing.GRACE)


# Subscription.status values (our own; each provider's lane maps its statuses to these).
LIVE_STATUSES = frozenset({"trialing", "active"})
STATUSES = LIVE_STATUSES | {"past_due", "incomplete", "canceled", "expired"}


def standing(
    *,
    plan_id: str | None,
    status: str | None,
    period_end: dt.datetime | None,
    grace_until: dt.datetime | None,
    now: dt.datetime,
) -> Standing:
    """A live subscription stands until its period ends (a renewal moves the end); after
    that, and after any failure or cancellation, it is in grace until `grace_until`, then
    expired. No subscription, one on the Free plan, or a first payment that never went
    through ("incomplete") is simply free: nothing was paid, so nothing pauses."""
    if status in (None, "incomplete") or plan(plan_id or "").id is PlanId.FREE:
        return Standing.FREE
    if status == "expired":  # settled as expired (billing.subscriptions): dates are not re-read
        return Standing.EXPIRED
    if status in LIVE_STATUSES and (period_end is None or now <= period_end):
        return Standing.TRIALING if status == "trialing" else Standing.ACTIVE
    if grace_until is not None and now < grace_until:
        return Standing.GRACE
    return Standing.EXPIRED


def price_label(amount_minor: int, currency: Currency | str) -> str:
    """'149 kr' / '€14' (whole units when round, else two decimals)."""
    units = amount_minor / 100
    text = f"{units:,.0f}" if amount_minor % 100 == 0 else f"{units:,.2f}"
    text = text.replace(",", "\u202f")  # a thin space groups thousands in both locales
    return f"{text} kr" if Currency(currency) is Currency.SEK else f"€{text}"


def limit_label(value: int | None, resource: Resource) -> str:
    """'Unlimited', '10', '2 GB' for a comparison table cell."""
    if value is None:
        return "Unlimited"
    if resource is Resource.MEDIA_BYTES:
        return f"{value // GB} GB" if value >= GB else f"{value // MB} MB"
    return f"{value:,}".replace(",", "\u202f")
