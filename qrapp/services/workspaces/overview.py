"""The dashboard's at-a-glance numbers for the actor's workspace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case
from sqlmodel import col, func, select

from qrapp.core.permissions import Permission
from qrapp.db import read_session
from qrapp.models import QRCode, ScanHourly
from qrapp.models.types import utcnow
from qrapp.services.authz import Actor, require


@dataclass(frozen=True)
class Overview:
    codes: int
    dynamic: int
    scans_total: int
    scans_7_days: int
    recent: list[QRCode]
    top: list[QRCode]


def overview(*, actor: Actor) -> Overview:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    live = (QRCode.workspace_id == workspace_id, QRCode.status != "archived")
    with read_session() as s:
        codes, dynamic, total = s.exec(
            select(
                func.count(),
                func.coalesce(func.sum(case((col(QRCode.is_dynamic), 1), else_=0)), 0),
                func.coalesce(func.sum(QRCode.total_scans), 0),
            ).where(*live)
        ).one()
        week = s.exec(
            select(func.coalesce(func.sum(ScanHourly.scans), 0)).where(
                ScanHourly.workspace_id == workspace_id,
                ScanHourly.hour >= utcnow() - dt.timedelta(days=7),
            )
        ).one()
        recent = list(
            s.exec(select(QRCode).where(*live).order_by(col(QRCode.created_at).desc()).limit(5))
        )
        top = list(
            s.exec(
                select(QRCode)
                .where(*live, QRCode.total_scans > 0)
                .order_by(col(QRCode.total_scans).desc())
                .limit(5)
            )
        )
    return Overview(int(codes), int(dynamic), int(total), int(week), recent, top)
