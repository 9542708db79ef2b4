"""Swish payment requests we made: one row per request, keyed by our own instruction id.

Swish's m-commerce has no subscriptions: each period (a month or a year) is one payment
request. The row remembers what was asked for (plan, interval, amount) so that when Swish
says PAID we extend exactly that, and Swish's own paymentReference, which a refund needs.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.models.types import UTCDateTime, utcnow

# Swish's statuses of a payment request (and of a refund: CREATED, DEBITED, PAID, ERROR).
CREATED, PAID, DECLINED, ERROR, CANCELLED = "CREATED", "PAID", "DECLINED", "ERROR", "CANCELLED"
FINAL = (PAID, DECLINED, ERROR, CANCELLED)


class SwishPayment(SQLModel, table=True):
    __tablename__ = "swish_payment"
    __table_args__ = (
        sa.Index("ix_swish_payment_workspace_created", "workspace_id", "created_at"),
        sa.Index("ix_swish_payment_refund_id", "refund_id"),
    )

    # Our instructionUUID: 32 upper-case hex characters, as Swish requires.
    id: str = Field(primary_key=True, max_length=32)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    plan: str = Field(max_length=16)
    interval: str = Field(max_length=8)
    amount: int  # öre
    currency: str = Field(default="SEK", max_length=3)
    payer_alias: str = Field(default="", max_length=15)  # e-commerce: the phone asked
    token: str = Field(default="", max_length=128)  # m-commerce: opens the Swish app
    status: str = Field(default=CREATED, max_length=12)
    payment_reference: str = Field(default="", max_length=64)  # Swish's, once PAID
    error_code: str = Field(default="", max_length=16)
    invoice_id: uuid.UUID | None = Field(
        default=None, foreign_key="invoice.id", ondelete="SET NULL"
    )
    refund_id: str = Field(default="", max_length=32)  # our refund instructionUUID
    refund_status: str = Field(default="", max_length=12)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    paid_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
