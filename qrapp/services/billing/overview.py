"""What the billing page shows: the plan, where the subscription stands and the dates that
matter, usage against the plan's limits, paused codes and the invoices and receipts.

Read-only: owners and admins (BILLING_VIEW) see it; whether they may act on it is
`can_manage` (BILLING_MANAGE), and every action checks that again in its own service.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlmodel import col, func, select

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.core.plans import Plan, Resource, Standing, limit_label, plan, price_label
from qrapp.db import read_session
from qrapp.models import QRCode
from qrapp.models.billing import Invoice, Subscription
from qrapp.models.types import utcnow
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements, subscriptions

INVOICES_SHOWN = 24  # two years of monthly invoices; the provider's portal has the rest


@dataclass(frozen=True)
class Meter:
    """One usage meter: `used` of `limit` (None = unlimited) with its labels."""

    key: str
    label: str
    used: int
    limit: int | None
    used_label: str
    limit_label: str

    @property
    def percent(self) -> int:
        if not self.limit:
            return 0
        return min(100, round(100 * self.used / self.limit))

    @property
    def over(self) -> bool:
        return self.limit is not None and self.used > self.limit


@dataclass(frozen=True)
class InvoiceLine:
    id: uuid.UUID
    number: str
    date: dt.datetime
    amount_label: str
    status: str
    provider: str
    url: str  # the provider's hosted invoice, or our receipt PDF


@dataclass(frozen=True)
class BillingOverview:
    plan: Plan
    standing: Standing
    provider: str  # "" when the workspace never subscribed
    interval: str
    currency: str
    status: str  # the subscription's own status ("" without one)
    cancel_at_period_end: bool
    renews_on: dt.datetime | None  # the next renewal of a live, not-cancelled subscription
    trial_ends: dt.datetime | None
    grace_until: dt.datetime | None
    ends_on: dt.datetime | None  # a cancelled or one-off (Swish, manual) period's end
    subscribed_plan: Plan | None  # the plan paid for (kept after expiry, for "pay again")
    meters: tuple[Meter, ...]
    scans_this_month: int
    paused_codes: int
    invoices: tuple[InvoiceLine, ...]
    can_manage: bool

    @property
    def has_provider_subscription(self) -> bool:
        """A Stripe subscription that can be changed, cancelled or resumed in place."""
        return self.provider == "stripe" and self.standing in (
            Standing.TRIALING,
            Standing.ACTIVE,
            Standing.GRACE,
        )


def _bytes_label(value: int) -> str:
    mb = 1024 * 1024
    if value >= 1024 * mb:
        return f"{value / (1024 * mb):.1f} GB"
    return f"{value / mb:.1f} MB" if value else "0 MB"


def meters_for(the_plan: Plan, usage: entitlements.Usage) -> tuple[Meter, ...]:
    rows = []
    for resource, label in (
        (Resource.DYNAMIC_CODES, "Dynamic codes"),
        (Resource.STATIC_CODES, "Static codes"),
        (Resource.LANDING_PAGES, "Landing pages"),
        (Resource.SEATS, "Team seats"),
        (Resource.MEDIA_BYTES, "Media storage"),
    ):
        used, limit = usage.of(resource), the_plan.limit(resource)
        used_label = (
            _bytes_label(used)
            if resource is Resource.MEDIA_BYTES
            else f"{used:,}".replace(",", " ")
        )
        rows.append(
            Meter(
                key=resource.value,
                label=label,
                used=used,
                limit=limit,
                used_label=used_label,
                limit_label=limit_label(limit, resource),
            )
        )
    return tuple(rows)


def _dates(sub: Subscription | None, where: Standing) -> dict[str, dt.datetime | None]:
    out: dict[str, dt.datetime | None] = {
        "renews_on": None,
        "trial_ends": None,
        "grace_until": None,
        "ends_on": None,
    }
    if sub is None or where is Standing.FREE:
        return out
    # Swish and manual periods are paid one at a time: they end unless paid again.
    renews = sub.provider in ("stripe", "paypal", "klarna") and not sub.cancel_at_period_end
    if where is Standing.TRIALING:
        out["trial_ends"] = sub.trial_end or sub.current_period_end
    if where in (Standing.TRIALING, Standing.ACTIVE):
        out["renews_on" if renews else "ends_on"] = sub.current_period_end
    if where is Standing.GRACE:
        out["grace_until"] = sub.grace_until
    if where is Standing.EXPIRED:
        out["ends_on"] = sub.grace_until or sub.current_period_end
    return out


def _invoice_lines(session, workspace_id: uuid.UUID) -> tuple[InvoiceLine, ...]:
    rows = session.exec(
        select(Invoice)
        .where(Invoice.workspace_id == workspace_id)
        .order_by(col(Invoice.created_at).desc(), col(Invoice.id).desc())
        .limit(INVOICES_SHOWN)
    ).all()
    return tuple(
        InvoiceLine(
            id=row.id,
            number=row.number or row.provider_id[-12:],
            date=row.paid_at or row.created_at,
            amount_label=price_label(row.amount, row.currency),
            status=row.status,
            provider=row.provider,
            url=row.hosted_url or routes.billing_receipt(row.id),
        )
        for row in rows
    )


def billing_overview(*, actor: Actor, now: dt.datetime | None = None) -> BillingOverview:
    workspace_id = require(actor, Permission.BILLING_VIEW)
    now = now or utcnow()
    with read_session() as s:
        sub = subscriptions.current(s, workspace_id)
        where = subscriptions.standing_of(sub, now)
        the_plan = entitlements.plan_for(s, workspace_id)
        usage = entitlements.usage(s, workspace_id)
        paused = int(
            s.exec(
                select(func.count())
                .select_from(QRCode)
                .where(
                    QRCode.workspace_id == workspace_id,
                    col(QRCode.billing_paused_at).is_not(None),
                )
            ).one()
        )
        invoices = _invoice_lines(s, workspace_id)
    return BillingOverview(
        plan=the_plan,
        standing=where,
        provider=sub.provider if sub else "",
        interval=sub.interval if sub else "month",
        currency=sub.currency if sub else "SEK",
        status=sub.status if sub else "",
        cancel_at_period_end=bool(sub and sub.cancel_at_period_end),
        subscribed_plan=plan(sub.plan) if sub and plan(sub.plan).is_paid else None,
        meters=meters_for(the_plan, usage),
        scans_this_month=usage.scans_this_month,
        paused_codes=paused,
        invoices=invoices,
        can_manage=actor.can(Permission.BILLING_MANAGE),
        **_dates(sub, where),
    )


@dataclass(frozen=True)
class WorkspaceUsage:
    plan: Plan
    meters: tuple[Meter, ...]
    scans_this_month: int


def workspace_usage(*, actor: Actor) -> WorkspaceUsage:
    """The plan and its meters for anyone who may see the workspace (the API's usage
    scope): the billing page's meters without its invoices and payment details."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        the_plan = entitlements.plan_for(s, workspace_id)
        usage = entitlements.usage(s, workspace_id)
    return WorkspaceUsage(the_plan, meters_for(the_plan, usage), usage.scans_this_month)
