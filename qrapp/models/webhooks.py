"""Outgoing webhooks (Standard Webhooks): a workspace's endpoints, the messages recorded
for them and every delivery attempt (the delivery log the Settings page shows)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class WebhookEndpoint(SQLModel, table=True):
    """Where a workspace's events go. `secret` signs (whsec_<base64>); after a rotation
    `previous_secret` signs too until `previous_secret_until`, so a receiver can switch
    keys without losing a message."""

    __tablename__ = "webhook_endpoint"
    # Every emit asks "enabled endpoints of this workspace?": one index answers it.
    __table_args__ = (sa.Index("ix_webhook_endpoint_ws_enabled", "workspace_id", "enabled"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=200)
    event_types: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    secret: str = Field(max_length=100)
    previous_secret: str = Field(default="", max_length=100)
    previous_secret_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    enabled: bool = Field(default=True)
    disabled_reason: str = Field(default="", max_length=300)
    # Messages given up on in a row, and when the current run of failures began: either
    # growing too far disables the endpoint (services.webhooks.delivery).
    failure_streak: int = Field(default=0)
    failing_since: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookMessage(SQLModel, table=True):
    """One event for one endpoint. `msg_id` (the webhook-id header) and `body` are fixed
    when the event happens, so every retry and every resend is the same message."""

    __tablename__ = "webhook_message"
    __table_args__ = (
        sa.Index("ix_webhook_message_endpoint_created", "endpoint_id", "created_at"),
        sa.Index("ix_webhook_message_due", "status", "next_attempt_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    msg_id: str = Field(max_length=40, unique=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    endpoint_id: uuid.UUID = Field(foreign_key="webhook_endpoint.id", ondelete="CASCADE")
    event_type: str = Field(max_length=40)
    body: str = Field(sa_type=sa.Text)
    status: str = Field(default=PENDING, max_length=12)
    attempts: int = Field(default=0)
    # The attempt count at which the current retry schedule began (a resend starts anew).
    schedule_from: int = Field(default=0)
    next_attempt_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status_code: int | None = Field(default=None)
    last_response_head: str = Field(default="", sa_type=sa.Text)
    last_duration_ms: int | None = Field(default=None)
    last_error: str = Field(default="", max_length=300)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    delivered_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    """One try of a message: what the endpoint answered (or why nothing was sent)."""

    __tablename__ = "webhook_attempt"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    message_id: uuid.UUID = Field(foreign_key="webhook_message.id", ondelete="CASCADE", index=True)
    attempt: int
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    status_code: int | None = Field(default=None)
    duration_ms: int = Field(default=0)
    response_head: str = Field(default="", sa_type=sa.Text)
    error: str = Field(default="", max_length=300)
