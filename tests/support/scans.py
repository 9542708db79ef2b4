"""Writes scans the way the ingest does (issue 4): the raw ScanEvent row, the per-hour and
per-day-per-dimension rollups, the code's total_scans/last_scan_at, and (with Redis) the
per-workspace "scans updated" message. For tests and the e2e tier until the edge lands."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from qrapp.core.ids import uuid7
from qrapp.core.scan_dimensions import dimension_values
from qrapp.db import transaction
from qrapp.models import QRCode, ScanDimensionDaily, ScanEvent, ScanHourly
from qrapp.services.analytics import live


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
    """One ingest batch: insert, roll up, commit, then announce per workspace."""
    touched: dict[uuid.UUID, tuple[int, dt.datetime]] = {}
    with transaction() as tx:
        s = tx.session
        for scan in scans:
            code = s.get(QRCode, scan.qrcode_id)
            assert code is not None
            s.add(
                ScanEvent(
                    event_id=scan.event_id,
                    qrcode_id=code.id,
                    workspace_id=code.workspace_id,
                    occurred_at=scan.occurred_at,
                    country=scan.country,
                    region=scan.region,
                    city=scan.city,
                    device_type=scan.device_type,
                    os=scan.os,
                    browser=scan.browser,
                    language=scan.language,
                    referrer_host=scan.referrer_host,
                    source=scan.source,
                    is_bot=scan.is_bot,
                    is_unique=scan.is_unique and not scan.is_bot,
                    variant=scan.variant,
                )
            )
            human = 0 if scan.is_bot else 1
            unique = 1 if human and scan.is_unique else 0
            bot = 1 - human
            hour = scan.occurred_at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
            row = s.get(ScanHourly, (code.id, hour)) or ScanHourly(
                qrcode_id=code.id, hour=hour, workspace_id=code.workspace_id
            )
            row.scans += human
            row.uniques += unique
            row.bots += bot
            s.add(row)
            day = scan.occurred_at.astimezone(dt.UTC).date()
            values = dimension_values(
                country=scan.country,
                city=scan.city,
                device_type=scan.device_type,
                os=scan.os,
                browser=scan.browser,
                language=scan.language,
                referrer_host=scan.referrer_host,
                source=scan.source,
            )
            for dimension, value in values.items():
                drow = s.get(ScanDimensionDaily, (code.id, day, dimension, value))
                drow = drow or ScanDimensionDaily(
                    qrcode_id=code.id,
                    day=day,
                    dimension=dimension,
                    value=value,
                    workspace_id=code.workspace_id,
                )
                drow.scans += human
                drow.uniques += unique
                drow.bots += bot
                s.add(drow)
            code.total_scans += human
            if code.last_scan_at is None or scan.occurred_at > code.last_scan_at:
                code.last_scan_at = scan.occurred_at
            s.add(code)
            s.flush()
            count, last = touched.get(code.workspace_id, (0, scan.occurred_at))
            touched[code.workspace_id] = (count + 1, max(last, scan.occurred_at))
    if publish:
        for workspace_id, (count, last) in touched.items():
            live.publish(workspace_id, count, last, redis_url=redis_url)
