"""QR codes, their folders and their redirect rules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


class Folder(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("workspace_id", "name"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=80)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class QRCode(SQLModel, table=True):
    """A static code (its payload is the content) or a dynamic one (a short link on the
    edge that redirects to `destination`, editable after printing)."""

    __tablename__ = "qr_code"
    __table_args__ = (
        # One short code per domain; "" is the edge's default domain.
        sa.UniqueConstraint("domain", "short_code", name="uq_qr_code_domain_short_code"),
        sa.Index("ix_qr_code_workspace_created", "workspace_id", "created_at"),
        sa.Index("ix_qr_code_workspace_status", "workspace_id", "status"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    name: str = Field(max_length=120)
    content_type: str = Field(max_length=24)  # a key of qrapp.core.payloads.TYPES, or "url"
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    design: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    is_dynamic: bool = Field(default=False)
    domain: str = Field(default="", max_length=253)
    short_code: str | None = Field(default=None, max_length=64)
    destination: str = Field(default="", max_length=4096)
    status: str = Field(default="active", max_length=12)  # active | paused | archived
    starts_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    ends_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # {"timezone": "Europe/Stockholm", "days": {"mon": [["09:00", "17:00"]], ...}}
    schedule: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    max_scans: int | None = Field(default=None)
    one_scan_per_visitor: bool = Field(default=False)
    password_hash: str | None = Field(default=None, max_length=255)
    fallback_url: str = Field(default="", max_length=4096)
    # {"utm_source": "...", "utm_medium": "...", ...}; appended to the destination.
    utm: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    tags: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    folder_id: uuid.UUID | None = Field(default=None, foreign_key="folder.id", ondelete="SET NULL")
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Kept by the ingest so the library can list 10,000 codes without an aggregate.
    total_scans: int = Field(default=0)
    # Redirects handed out under `max_scans`: the edge increments it with one conditional
    # UPDATE, so the limit holds exactly under any concurrency.
    scans_granted: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_scan_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A dynamic code may answer with a landing page instead of redirecting to
    # `destination`; deleting the page leaves the code pointing nowhere (NULL), not gone.
    landing_page_id: uuid.UUID | None = Field(
        default=None, foreign_key="landing_page.id", ondelete="SET NULL", index=True
    )
    # Set while the code is paused because its workspace's paid plan expired (beyond the
    # Free plan's allowance; qrapp.services.billing.suspension). It is not `status`: the
    # owner's own pause and archive stay as they were, and paying again clears only this.
    billing_paused_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class RedirectRule(SQLModel, table=True):
    """First matching rule wins. `conditions` is a list of {"field", "op", "value"}; with
    `variants` ([{"label", "destination", "weight"}]) a match splits traffic A/B."""

    __tablename__ = "redirect_rule"
    __table_args__ = (sa.Index("ix_redirect_rule_code_position", "qrcode_id", "position"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    qrcode_id: uuid.UUID = Field(foreign_key="qr_code.id", ondelete="CASCADE")
    position: int = Field(default=0)
    label: str = Field(default="", max_length=80)
    conditions: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    destination: str = Field(default="", max_length=4096)
    variants: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)


class DesignTemplate(SQLModel, table=True):
    """A saved design a workspace reuses; at most one is the default for new codes."""

    __tablename__ = "design_template"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "name"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=60)
    design: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    is_default: bool = Field(default=False)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
