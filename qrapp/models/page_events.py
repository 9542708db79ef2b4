"""Public landing-page views and clicks (one row per event, written by the ingest from the
scan stream) and the daily rollup the page screen reads."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.models.types import UTCDateTime

VIEW = "view"
CLICK = "click"
LEAD = "lead"  # a lead form sent (target: the form's block id): the page's conversion


class PageEvent(SQLModel, table=True):
    """A view of /p/<slug> (or of a code's short link answering with its page), or a
    click / download through /p/<slug>/c|d/<target>. The edge makes the event id (UUIDv7);
    the ingest inserts with ON CONFLICT (event_id) DO NOTHING. Like scans, no IP: the
    place looked up before anonymising and the daily visitor hash."""

    __tablename__ = "page_event"
    __table_args__ = (sa.Index("ix_page_event_page_time", "page_id", "occurred_at"),)

    event_id: uuid.UUID = Field(primary_key=True)
    # The ingest keeps only events of pages it finds in the batch's transaction; deleting
    # a page deletes its events with it.
    page_id: uuid.UUID = Field(foreign_key="landing_page.id", ondelete="CASCADE")
    workspace_id: uuid.UUID = Field(index=True)
    occurred_at: dt.datetime = Field(sa_type=UTCDateTime)
    kind: str = Field(max_length=8)  # view | click | lead
    target: str = Field(default="", max_length=64)  # the click's target (block) id
    version: int = Field(default=0)
    qrcode_id: uuid.UUID | None = Field(default=None)  # a view through a code's short link
    country: str = Field(default="", max_length=2)
    device_type: str = Field(default="", max_length=16)
    os: str = Field(default="", max_length=40)
    browser: str = Field(default="", max_length=40)
    language: str = Field(default="", max_length=16)
    referrer_host: str = Field(default="", max_length=253)
    is_bot: bool = Field(default=False)
    is_unique: bool = Field(default=False)
    visitor_hash: str = Field(default="", max_length=64)
    # The A/B test variant served (PageVariant.key), "" when the page was not under test.
    variant: str = Field(default="", max_length=4, sa_column_kwargs={"server_default": ""})


class PageDaily(SQLModel, table=True):
    """Per page per UTC day: views (kind "view", target "") and clicks per target
    (kind "click"). `count` is human events, `uniques` the first view of a visitor hash,
    `bots` the flagged ones."""

    __tablename__ = "page_daily"
    __table_args__ = (sa.Index("ix_page_daily_workspace_day", "workspace_id", "day"),)

    page_id: uuid.UUID = Field(primary_key=True, foreign_key="landing_page.id", ondelete="CASCADE")
    day: dt.date = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=8)
    target: str = Field(primary_key=True, max_length=64)
    workspace_id: uuid.UUID
    count: int = Field(default=0)
    uniques: int = Field(default=0)
    bots: int = Field(default=0)


class PageVisitor(SQLModel, table=True):
    """Visitor hashes already seen per page: a row the ingest really inserted marks the view
    unique, exactly, with several consumers. Hashes rotate daily; old rows are purged."""

    __tablename__ = "page_visitor"

    page_id: uuid.UUID = Field(primary_key=True, foreign_key="landing_page.id", ondelete="CASCADE")
    visitor_hash: str = Field(primary_key=True, max_length=64)
    day: dt.date = Field(index=True)
