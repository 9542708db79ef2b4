"""Subscriptions, the payment providers' event inbox, invoices and receipts, and the
billing mails already sent. The plans themselves are code (qrapp.core.plans)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


def _when(**kw: Any) -> Any:
    return Field(default=None, sa_type=UTCDateTime, **kw)


class Subscription(SQLModel, table=True):
    """A workspace's one subscription, as last read from its provider (Stripe, Swish,
    PayPal, Klarna) or set by an operator ("manual"). Written only through
    qrapp.services.billing.subscriptions.apply_subscription."""

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(
        foreign_key="workspace.id", ondelete="CASCADE", sa_column_kwargs={"unique": True}
    )
    provider: str = Field(max_length=16)  # stripe | swish | paypal | klarna | manual
    plan: str = Field(max_length=20)  # qrapp.core.plans.PlanId
    interval: str = Field(default="month", max_length=8)
    currency: str = Field(default="SEK", max_length=3)
    status: str = Field(max_length=16)  # qrapp.core.plans.STATUSES
    current_period_end: dt.datetime | None = _when()
    trial_end: dt.datetime | None = _when()
    cancel_at_period_end: bool = Field(default=False)
    # Until when every code scans and the plan's limits hold after a failure or the end.
    grace_until: dt.datetime | None = _when()
    provider_customer_id: str = Field(default="", max_length=255)
    provider_subscription_id: str = Field(default="", max_length=255, index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BillingEvent(SQLModel, table=True):
    """The inbox: every verified provider event, stored once (provider, event_id), then
    processed by the worker. A duplicate delivery hits the unique key and changes nothing."""

    __tablename__ = "billing_event"
    __table_args__ = (sa.UniqueConstraint("provider", "event_id"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    provider: str = Field(max_length=16)
    event_id: str = Field(max_length=255)
    type: str = Field(max_length=100)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    received_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    processed_at: dt.datetime | None = _when()
    error: str = Field(default="", max_length=2000)


class Invoice(SQLModel, table=True):
    """An invoice (Stripe) or a receipt (Swish, PayPal, Klarna) of a workspace."""

    __table_args__ = (
        sa.UniqueConstraint("provider", "provider_id"),
        sa.Index("ix_invoice_workspace_created", "workspace_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    provider: str = Field(max_length=16)
    provider_id: str = Field(max_length=255)
    number: str = Field(default="", max_length=64)
    plan: str = Field(default="", max_length=20)
    amount: int = Field(default=0)  # minor units
    currency: str = Field(default="SEK", max_length=3)
    status: str = Field(default="open", max_length=12)  # paid | open | failed | refunded
    period_start: dt.datetime | None = _when()
    period_end: dt.datetime | None = _when()
    paid_at: dt.datetime | None = _when()
    hosted_url: str = Field(default="", max_length=2048)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BillingNotice(SQLModel, table=True):
    """A billing mail already sent (dunning, "7 days left", trial ending...): the key
    names the occasion (an invoice id, a grace end date) so each is sent once."""

    __tablename__ = "billing_notice"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "kind", "key"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    kind: str = Field(max_length=40)
    key: str = Field(max_length=255)
    sent_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
