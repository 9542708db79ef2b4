"""Landing pages: the editable draft, its immutable published versions, and the
workspace's own page templates (the built-in ones are qrapp.core.pages.starters)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow

PAGE_STATUSES = ("draft", "published", "unpublished")


class LandingPage(SQLModel, table=True):
    """A page a workspace builds. `draft` is the JSON document the builder edits;
    `draft_revision` goes up on every save so a stale tab's save is refused, not lost.
    What the public sees is the version numbered `published_version` (when status is
    "published")."""

    __tablename__ = "landing_page"
    __table_args__ = (
        # One slug per domain, like short codes; "" is the edge's default domain.
        sa.UniqueConstraint("domain", "slug", name="uq_landing_page_domain_slug"),
        sa.Index("ix_landing_page_workspace_updated", "workspace_id", "updated_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    name: str = Field(max_length=120)
    domain: str = Field(default="", max_length=253)
    slug: str = Field(max_length=60)
    draft: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    draft_revision: int = Field(default=1)
    status: str = Field(default="draft", max_length=12)  # one of PAGE_STATUSES
    published_version: int | None = Field(default=None)
    published_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LandingPageVersion(SQLModel, table=True):
    """One publish, never changed afterwards. Everything the edge serves is computed at
    publish time and kept here (the edge loads no renderer): the HTML, its CSP and ETag,
    the click targets and the downloads (.vcf, .ics)."""

    __tablename__ = "landing_page_version"
    __table_args__ = (
        sa.UniqueConstraint("page_id", "number", name="uq_landing_page_version_page_number"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    page_id: uuid.UUID = Field(foreign_key="landing_page.id", ondelete="CASCADE")
    number: int
    document: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    html: str = Field(default="", sa_type=sa.Text)
    csp: str = Field(default="", sa_type=sa.Text)
    etag: str = Field(default="", max_length=80)
    # target id -> URL, or {"ios": ..., "android": ..., "other": ...} for app-store buttons
    clicks: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # block id -> {"filename", "content_type", "body"}
    downloads: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # block id -> core.leads.FormSpec: each lead form's fields, checked by the edge
    forms: dict[str, Any] = Field(
        default_factory=dict, sa_type=sa.JSON, sa_column_kwargs={"server_default": "{}"}
    )
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PageTemplate(SQLModel, table=True):
    """A page document a workspace saved to start new pages from."""

    __tablename__ = "page_template"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "name"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=80)
    description: str = Field(default="", max_length=300)
    document: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
