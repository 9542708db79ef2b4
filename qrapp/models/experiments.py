"""Page A/B tests: a test of one landing page (PageTest) and its variants (PageVariant).

Variant "A" is the tested page itself (its published version). Every other variant has
its own LandingPage (a copy made when the test starts, edited in the builder like any
page) and keeps here what the edge serves for it at the tested page's address: its
document rendered for the tested page's slug (so its clicks and forms are counted under
the test), refreshed whenever its own page is published.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow

TEST_STATUSES = ("running", "stopped")
GOAL_KINDS = ("click", "lead")


class PageTest(SQLModel, table=True):
    """An A/B test of a page. At most one runs per page (a partial unique index would
    differ per database; services.pages.ab_tests checks it in the starting transaction).
    Its conversion goal: a click on `goal_target` (a click target id) or a lead sent
    through `goal_target`'s form ("" = any form of the page)."""

    __tablename__ = "page_test"
    __table_args__ = (sa.Index("ix_page_test_page_status", "page_id", "status"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    page_id: uuid.UUID = Field(foreign_key="landing_page.id", ondelete="CASCADE")
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    status: str = Field(default="running", max_length=12)  # one of TEST_STATUSES
    goal_kind: str = Field(default="click", max_length=8)  # one of GOAL_KINDS
    goal_target: str = Field(default="", max_length=64)
    winner: str = Field(default="", max_length=4)  # the key made the page, if any
    started_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    stopped_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )


class PageVariant(SQLModel, table=True):
    """One variant of a test with its traffic weight (0-100, relative to the others)."""

    __tablename__ = "page_variant"
    __table_args__ = (sa.UniqueConstraint("test_id", "key", name="uq_page_variant_test_key"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    test_id: uuid.UUID = Field(foreign_key="page_test.id", ondelete="CASCADE")
    key: str = Field(max_length=4)  # "A", "B", ...
    name: str = Field(default="", max_length=80)
    weight: int = Field(default=50)
    # The page this variant is edited as; None for "A" (the tested page itself). Deleting
    # that page leaves the variant serving what it last rendered.
    source_page_id: uuid.UUID | None = Field(
        default=None, foreign_key="landing_page.id", ondelete="SET NULL"
    )
    source_version: int = Field(default=0)
    # What the edge serves for a variant other than "A" (empty for "A"): rendered for
    # `rendered_slug`, the tested page's slug at that time.
    document: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    rendered_slug: str = Field(default="", max_length=60)
    html: str = Field(default="", sa_type=sa.Text)
    csp: str = Field(default="", sa_type=sa.Text)
    etag: str = Field(default="", max_length=80)
    clicks: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    downloads: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    forms: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
