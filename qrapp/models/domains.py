"""Custom domains: a host name a workspace proved it controls (DNS TXT or an HTTP token),
on which the edge answers that workspace's short links and pages."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow

PENDING, VERIFIED, FAILED, LOST = "pending", "verified", "failed", "lost"
PROOF_DNS, PROOF_HTTP = "dns", "http"
ROBOTS_ALLOW, ROBOTS_DENY = "allow", "deny"


class CustomDomain(SQLModel, table=True):
    """One workspace's claim on a host name. Several workspaces may claim the same name
    (each with its own token); at most one row per name is verified (the partial unique
    index), and a verified claim by another workspace moves the name (the old row turns
    "lost" and its owner is told)."""

    __tablename__ = "custom_domain"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "hostname", name="uq_custom_domain_ws_host"),
        sa.Index(
            "uq_custom_domain_verified_host",
            "hostname",
            unique=True,
            sqlite_where=sa.text("status = 'verified'"),
            postgresql_where=sa.text("status = 'verified'"),
        ),
        sa.Index("ix_custom_domain_due", "status", "next_check_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    hostname: str = Field(max_length=253)  # lower-case, IDNA (xn--) form
    token: str = Field(max_length=64)
    proof: str = Field(default=PROOF_DNS, max_length=8)
    status: str = Field(default=PENDING, max_length=12)
    reason: str = Field(default="", max_length=300)
    verified_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_checked_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_check_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    is_default: bool = Field(default=False)
    root_redirect_url: str = Field(default="", max_length=2000)
    not_found_url: str = Field(default="", max_length=2000)
    robots: str = Field(default=ROBOTS_ALLOW, max_length=8)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
