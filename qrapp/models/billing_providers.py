"""What PayPal and Klarna need remembered beside the shared billing tables
(models.billing): the PayPal plans made from core/plans, the Klarna sessions a workspace
started, and each workspace's Klarna customer token (the recurring payment method)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


class PaypalPlan(SQLModel, table=True):
    """A PayPal billing plan for one price of core/plans, made on first use. A changed
    price makes a new plan (PayPal plans keep their price; subscribers keep theirs)."""

    __tablename__ = "paypal_plan"
    __table_args__ = (
        sa.UniqueConstraint("plan", "interval", "currency", "amount", name="uq_paypal_plan_price"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    plan: str = Field(max_length=16)
    interval: str = Field(max_length=8)
    currency: str = Field(max_length=3)
    amount: int  # minor units
    product_id: str = Field(max_length=64)
    paypal_plan_id: str = Field(max_length=64, unique=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class KlarnaSession(SQLModel, table=True):
    """A Klarna payment session an owner started for a plan: the price is fixed here, so
    completing it charges what the owner was shown."""

    __tablename__ = "klarna_session"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    session_id: str = Field(max_length=100, unique=True)
    plan: str = Field(max_length=16)
    interval: str = Field(max_length=8)
    currency: str = Field(max_length=3)
    purchase_country: str = Field(max_length=2)
    amount: int
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    completed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class KlarnaToken(SQLModel, table=True):
    """The workspace's Klarna customer token: renewals are orders on it."""

    __tablename__ = "klarna_customer_token"

    workspace_id: uuid.UUID = Field(
        foreign_key="workspace.id", ondelete="CASCADE", primary_key=True
    )
    token_id: str = Field(max_length=100)
    purchase_country: str = Field(max_length=2)
    currency: str = Field(max_length=3)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
