"""Small tables the scan path needs to be exact: first scans per visitor (for
`ScanEvent.is_unique`) and one-scan-per-visitor grants."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from qrapp.models.types import UTCDateTime, utcnow


class ScanVisitor(SQLModel, table=True):
    """Visitor hashes already seen per code. The ingest inserts with ON CONFLICT DO
    NOTHING: a row it really inserted marks the scan unique, exactly, even with several
    consumers. Hashes rotate daily, so rows older than two days are purged."""

    __tablename__ = "scan_visitor"

    # No foreign key (the ingest claims thousands per batch): deleting codes deletes
    # their rows in services.scan_rollups.forget_codes.
    qrcode_id: uuid.UUID = Field(primary_key=True)
    visitor_hash: str = Field(primary_key=True, max_length=64)
    day: dt.date = Field(index=True)


class CodeVisitorGrant(SQLModel, table=True):
    """One row per visitor that used a one-scan-per-visitor code (the edge inserts it;
    a conflict means this visitor already had their scan)."""

    __tablename__ = "code_visitor_grant"

    qrcode_id: uuid.UUID = Field(primary_key=True, foreign_key="qr_code.id", ondelete="CASCADE")
    visitor_key: str = Field(primary_key=True, max_length=64)
    granted_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
