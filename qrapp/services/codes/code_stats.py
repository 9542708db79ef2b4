"""The quick stats strip of a code page: scans today, in 7 days, in total."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import func, select

from qrapp.core.permissions import Permission
from qrapp.db import read_session
from qrapp.models import QRCode, ScanHourly, Workspace
from qrapp.models.types import utcnow
from qrapp.services.authz import Actor, require
from qrapp.services.errors import NotFound


@dataclass(frozen=True)
class QuickStats:
    today: int
    last_7_days: int
    total: int
    last_scan_at: dt.datetime | None


def quick_stats(*, actor: Actor, code_id: uuid.UUID) -> QuickStats:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        code = s.get(QRCode, code_id)
        if code is None or code.workspace_id != workspace_id:
            raise NotFound("QR code")
        ws = s.get(Workspace, workspace_id)
        try:
            zone = ZoneInfo(ws.timezone if ws else "UTC")
        except (KeyError, ValueError):
            zone = ZoneInfo("UTC")
        local_midnight = (
            utcnow().astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        )
        today_start = local_midnight.astimezone(dt.UTC)
        week_start = (local_midnight - dt.timedelta(days=6)).astimezone(dt.UTC)

        def since(start: dt.datetime) -> int:
            return s.exec(
                select(func.coalesce(func.sum(ScanHourly.scans), 0)).where(
                    ScanHourly.qrcode_id == code_id, ScanHourly.hour >= start
                )
            ).one()

        return QuickStats(
            today=int(since(today_start)),
            last_7_days=int(since(week_start)),
            total=code.total_scans,
            last_scan_at=code.last_scan_at,
        )
