"""Scan events (one row per scan, written by the ingest) and the rollups analytics read."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.models.types import UTCDateTime


class ScanEvent(SQLModel, table=True):
    """The edge builds these; the ingest inserts them with ON CONFLICT (event_id) DO NOTHING.
    The IP is never stored: only country/region/city looked up before anonymising, and
    the visitor hash (an HMAC with a daily rotating key)."""

    __tablename__ = "scan_event"
    __table_args__ = (
        sa.Index("ix_scan_event_workspace_time", "workspace_id", "occurred_at"),
        sa.Index("ix_scan_event_code_time", "qrcode_id", "occurred_at"),
    )

    event_id: uuid.UUID = Field(primary_key=True)  # UUIDv7 made at the edge
    # No foreign keys: their per-row checks were a third of the ingest's insert. The
    # ingest stores only events of codes it found (locked) in the batch's transaction, and
    # deleting codes deletes their events (services.scan_rollups.forget_codes).
    qrcode_id: uuid.UUID
    workspace_id: uuid.UUID
    occurred_at: dt.datetime = Field(sa_type=UTCDateTime)
    country: str = Field(default="", max_length=2)  # ISO 3166-1 alpha-2, "" unknown
    region: str = Field(default="", max_length=80)
    city: str = Field(default="", max_length=80)
    device_type: str = Field(default="", max_length=16)  # mobile | tablet | desktop | bot | other
    os: str = Field(default="", max_length=40)
    browser: str = Field(default="", max_length=40)
    language: str = Field(default="", max_length=16)
    referrer_host: str = Field(default="", max_length=253)
    source: str = Field(default="qr", max_length=8)  # qr (scanned) | link (clicked)
    is_bot: bool = Field(default=False)
    is_unique: bool = Field(default=False)
    visitor_hash: str = Field(default="", max_length=64)
    rule_id: uuid.UUID | None = Field(default=None)
    variant: str = Field(default="", max_length=80)
    destination: str = Field(default="", max_length=4096)


class ScanHourly(SQLModel, table=True):
    """Per code per UTC hour. Time zones with whole-hour offsets regroup these exactly."""

    __tablename__ = "scan_hourly"
    __table_args__ = (sa.Index("ix_scan_hourly_workspace_hour", "workspace_id", "hour"),)

    qrcode_id: uuid.UUID = Field(primary_key=True, foreign_key="qr_code.id", ondelete="CASCADE")
    hour: dt.datetime = Field(primary_key=True, sa_type=UTCDateTime)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    scans: int = Field(default=0)  # human scans
    uniques: int = Field(default=0)  # human scans with is_unique
    bots: int = Field(default=0)


class ScanDimensionDaily(SQLModel, table=True):
    """Per code per UTC day per dimension value (country, city, device, os, browser,
    language, referrer, source): the breakdown tables read these."""

    __tablename__ = "scan_dimension_daily"
    __table_args__ = (
        sa.Index("ix_scan_dim_workspace_day", "workspace_id", "day", "dimension"),
        # A code's breakdowns as an index-only scan: its rows lie scattered over the heap
        # (ingested day by day among every other code's), one page read per row without.
        sa.Index(
            "ix_scan_dim_code_day_covering",
            "qrcode_id",
            "day",
            "dimension",
            "value",
            postgresql_include=["workspace_id", "scans", "uniques", "bots"],
        ),
    )

    qrcode_id: uuid.UUID = Field(primary_key=True, foreign_key="qr_code.id", ondelete="CASCADE")
    day: dt.date = Field(primary_key=True)
    dimension: str = Field(primary_key=True, max_length=16)
    value: str = Field(primary_key=True, max_length=253)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    scans: int = Field(default=0)
    uniques: int = Field(default=0)
    bots: int = Field(default=0)


class ScanCodeDaily(SQLModel, table=True):
    """Per code per UTC day: top codes over long windows read this instead of 24 hourly
    rows per code per day."""

    __tablename__ = "scan_code_daily"
    __table_args__ = (sa.Index("ix_scan_code_daily_workspace_day", "workspace_id", "day"),)

    qrcode_id: uuid.UUID = Field(primary_key=True, foreign_key="qr_code.id", ondelete="CASCADE")
    day: dt.date = Field(primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    scans: int = Field(default=0)
    uniques: int = Field(default=0)
    bots: int = Field(default=0)


class ScanWorkspaceHourly(SQLModel, table=True):
    """ScanHourly summed over the workspace's codes: the unfiltered dashboard reads one row
    per hour instead of one per code and hour. Deleting a code subtracts its rows
    (qrapp.services.scans.scan_rollups.forget_codes)."""

    __tablename__ = "scan_ws_hourly"

    workspace_id: uuid.UUID = Field(
        primary_key=True, foreign_key="workspace.id", ondelete="CASCADE"
    )
    hour: dt.datetime = Field(primary_key=True, sa_type=UTCDateTime)
    scans: int = Field(default=0)
    uniques: int = Field(default=0)
    bots: int = Field(default=0)


class ScanWorkspaceDimensionDaily(SQLModel, table=True):
    """ScanDimensionDaily summed over the workspace's codes (whole UTC days)."""

    __tablename__ = "scan_ws_dimension_daily"

    workspace_id: uuid.UUID = Field(
        primary_key=True, foreign_key="workspace.id", ondelete="CASCADE"
    )
    day: dt.date = Field(primary_key=True)
    dimension: str = Field(primary_key=True, max_length=16)
    value: str = Field(primary_key=True, max_length=253)
    scans: int = Field(default=0)
    uniques: int = Field(default=0)
    bots: int = Field(default=0)


class ScanWorkspaceDimensionHourly(SQLModel, table=True):
    """The dimensions per workspace per UTC hour: the pieces of a window that start or end
    inside a UTC day (any zone but UTC) read these instead of the raw events."""

    __tablename__ = "scan_ws_dimension_hourly"

    workspace_id: uuid.UUID = Field(
        primary_key=True, foreign_key="workspace.id", ondelete="CASCADE"
    )
    hour: dt.datetime = Field(primary_key=True, sa_type=UTCDateTime)
    dimension: str = Field(primary_key=True, max_length=16)
    value: str = Field(primary_key=True, max_length=253)
    scans: int = Field(default=0)
    uniques: int = Field(default=0)
    bots: int = Field(default=0)
