"""Writes scans with the ingest's own store function: the raw ScanEvent row, every rollup
(per code and per workspace), the code's total_scans/last_scan_at, and (with Redis) the
per-workspace "scans updated" message. For tests that need scans without the edge."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from qrapp.core.ids import uuid7
from qrapp.db import engine, transaction
from qrapp.models import QRCode
from qrapp.services.analytics import live
from qrapp.services.scans import scan_store


@dataclass
class Scan:
    qrcode_id: uuid.UUID
    occurred_at: dt.datetime
    country: str = "SE"
    region: str = ""
    city: str = "Stockholm"
    device_type: str = "mobile"
    os: str = "iOS"
    browser: str = "Safari"
    language: str = "sv"
    referrer_host: str = ""
    source: str = "qr"
    is_bot: bool = False
    is_unique: bool = True
    variant: str = ""
    event_id: uuid.UUID = field(default_factory=uuid7)


def make_code(
    workspace_id, name: str = "Menu", *, tags=(), folder_id=None, short=None
) -> uuid.UUID:
    with transaction() as tx:
        code = QRCode(
            workspace_id=workspace_id,
            name=name,
            content_type="url",
            is_dynamic=True,
            short_code=short or uuid.uuid4().hex[:8],
            destination="https://example.com/",
            tags=list(tags),
            folder_id=folder_id,
        )
        tx.session.add(code)
    return code.id


def record_scans(*scans: Scan, publish: bool = True, redis_url: str | None = None) -> None:
    """One ingest batch through the ingest's own store (insert, every rollup, the code's
    counters), committed, then announced per workspace. `is_unique` is honoured by giving
    the scan a fresh visitor hash (the first scan of a visitor is unique) or none."""
    assert scans, "no scans to record: a test built on none would check nothing"
    touched: dict[uuid.UUID, tuple[int, dt.datetime]] = {}
    rows = []
    with engine().begin() as conn:
        ids = {scan.qrcode_id for scan in scans}
        qt = QRCode.__table__
        workspaces = dict(
            conn.execute(sa.select(qt.c.id, qt.c.workspace_id).where(qt.c.id.in_(ids))).all()
        )
        for scan in scans:
            workspace_id = workspaces[scan.qrcode_id]
            occurred = scan.occurred_at.astimezone(dt.UTC)
            rows.append(
                {
                    "event_id": scan.event_id,
                    "qrcode_id": scan.qrcode_id,
                    "workspace_id": workspace_id,
                    "occurred_at": occurred,
                    "country": scan.country,
                    "region": scan.region,
                    "city": scan.city,
                    "device_type": scan.device_type,
                    "os": scan.os,
                    "browser": scan.browser,
                    "language": scan.language,
                    "referrer_host": scan.referrer_host,
                    "source": scan.source,
                    "is_bot": scan.is_bot,
                    "is_unique": False,
                    "visitor_hash": uuid.uuid4().hex if scan.is_unique and not scan.is_bot else "",
                    "rule_id": None,
                    "variant": scan.variant,
                    "destination": "",
                }
            )
            count, last = touched.get(workspace_id, (0, occurred))
            touched[workspace_id] = (count + 1, max(last, occurred))
        result = scan_store.BatchResult()
        scan_store.store(conn, rows, result)
        assert result.inserted == len(rows), result
    if publish:
        for workspace_id, (count, last) in touched.items():
            live.publish(workspace_id, count, last, redis_url=redis_url)
