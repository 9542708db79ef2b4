"""Downloads of a dashboard view: raw scans as CSV, every breakdown as XLSX, a PDF report.

Each function checks ANALYTICS_EXPORT before it reads anything and writes an audit row.
Every text cell goes through `neutralise`: a cell a spreadsheet could run as a formula
(starting with = + - @ TAB CR) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, select

from qrapp.core.permissions import Permission
from qrapp.core.scan_dimensions import DIMENSION_TITLES, DIMENSIONS
from qrapp.core.spreadsheet_cells import neutralise
from qrapp.db import read_session, transaction
from qrapp.models import QRCode, ScanEvent
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.analytics import dashboard, reads
from qrapp.services.analytics.buckets import WEEKDAYS
from qrapp.services.analytics.filters import AnalyticsFilter, resolve_window, zone
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.settings import get_settings

CSV_COLUMNS = [
    "time_utc",
    "time_local",
    "code",
    "short_code",
    "country",
    "region",
    "city",
    "device",
    "os",
    "browser",
    "language",
    "referrer",
    "source",
    "bot",
    "unique",
    "variant",
    "event_id",
]


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str


def _audit(
    actor: Actor, workspace_id: uuid.UUID, action: AuditAction, filt: AnalyticsFilter, ip: str
):
    with transaction() as tx:
        audit.record(
            tx.session,
            action=action,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="analytics",
            ip=ip,
            details={"filter": filt.to_query()},
        )


def _stem(window) -> str:
    return f"qrapp-scans-{window.first_day.isoformat()}-to-{window.last_day.isoformat()}"


def raw_scans_csv(
    *, actor: Actor, filters: AnalyticsFilter, ip: str = "", now: dt.datetime | None = None
) -> tuple[Export, Iterator[str]]:
    """Authorizes now; the returned iterator streams the rows oldest first."""
    workspace_id = require(actor, Permission.ANALYTICS_EXPORT)
    now = now or utcnow()
    with read_session() as session:
        tz = zone(reads.workspace_zone(session, workspace_id))
        scope = reads.resolve_scope(session, workspace_id, filters)
    window = resolve_window(filters, tz, now)
    _audit(actor, workspace_id, AuditAction.ANALYTICS_EXPORT_CSV, filters, ip)
    export = Export(_stem(window) + ".csv", "text/csv; charset=utf-8")
    return export, _csv_rows(scope, window.start, window.until, tz)


def _csv_rows(scope: reads.Scope, start, end, tz) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk

    buffer.write("\ufeff")  # so Excel reads UTF-8
    writer.writerow(CSV_COLUMNS)
    yield flush()
    if scope.empty:
        return
    q = (
        select(ScanEvent, QRCode.name, QRCode.short_code)
        .join(QRCode, col(QRCode.id) == ScanEvent.qrcode_id)
        .where(
            ScanEvent.workspace_id == scope.workspace_id,
            ScanEvent.occurred_at >= start,
            ScanEvent.occurred_at < end,
        )
        .order_by(col(ScanEvent.occurred_at), col(ScanEvent.event_id))
        .limit(get_settings().analytics_export_max_rows)
    )
    if not scope.include_bots:
        q = q.where(sa.not_(col(ScanEvent.is_bot)))
    q = reads.scoped(q, ScanEvent.qrcode_id, scope)
    with read_session() as session:
        rows = session.exec(q.execution_options(yield_per=2000))
        for n, (e, name, short) in enumerate(rows, 1):
            writer.writerow(
                [
                    e.occurred_at.isoformat(),
                    e.occurred_at.astimezone(tz).isoformat(),
                    *(
                        neutralise(v)
                        for v in (
                            name,
                            short or "",
                            e.country,
                            e.region,
                            e.city,
                            e.device_type,
                            e.os,
                            e.browser,
                            e.language,
                            e.referrer_host,
                            e.source,
                        )
                    ),
                    "yes" if e.is_bot else "no",
                    "yes" if e.is_unique else "no",
                    neutralise(e.variant),
                    str(e.event_id),
                ]
            )
            if n % 2000 == 0:
                yield flush()
    yield flush()


def _full_dashboard(actor: Actor, filters: AnalyticsFilter, now: dt.datetime):
    workspace_id = require(actor, Permission.ANALYTICS_EXPORT)
    with read_session() as session:
        data = dashboard.build(session, workspace_id, filters, now)
        scope = reads.resolve_scope(session, workspace_id, filters)
        full = reads.breakdowns(session, scope, data.window.start, data.window.until, limit=None)
        codes = reads.top_codes(session, scope, data.window.start, data.window.until, 10_000)
    return workspace_id, data, full, codes


def breakdowns_xlsx(
    *, actor: Actor, filters: AnalyticsFilter, ip: str = "", now: dt.datetime | None = None
) -> tuple[Export, bytes]:
    import xlsxwriter

    workspace_id, data, full, codes = _full_dashboard(actor, filters, now or utcnow())
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    pct = book.add_format({"num_format": "0.0%"})

    def sheet(title: str, header: list[str], rows: list[list]) -> None:
        ws = book.add_worksheet(title[:31])
        for column, h in enumerate(header):
            ws.write_string(0, column, h, bold)
        for r, row in enumerate(rows, 1):
            for column, value in enumerate(row):
                if isinstance(value, float) and header[column] == "share":
                    ws.write_number(r, column, value, pct)
                elif isinstance(value, int | float):
                    ws.write_number(r, column, value)
                else:
                    ws.write_string(r, column, neutralise(value))
        ws.set_column(0, 0, 28)
        ws.set_column(1, len(header), 12)

    k = data.kpis
    sheet(
        "Summary",
        ["metric", "value"],
        [
            ["period", f"{data.window.first_day} to {data.window.last_day} ({data.timezone})"],
            ["scans", k.scans],
            ["unique visitors", k.uniques],
            ["bot scans", k.bots],
            ["human share", k.human_share],
            ["scans today", k.scans_today],
            ["scans in the previous period", k.previous_scans],
            ["bots included", "yes" if filters.bots else "no"],
        ],
    )
    sheet(
        "Time series",
        [data.window.granularity, "scans", "unique visitors"],
        [[p.label, p.scans, p.uniques] for p in data.series],
    )
    for dim in DIMENSIONS:
        sheet(
            DIMENSION_TITLES[dim],
            [dim, "country", "scans", "unique visitors", "share"],
            [[r.label, r.country, r.scans, r.uniques, r.share] for r in full[dim]],
        )
    sheet(
        "Codes",
        ["code", "short code", "scans", "unique visitors", "share"],
        [[c.name, c.short_code, c.scans, c.uniques, c.share] for c in codes],
    )
    sheet(
        "Weekday x hour",
        ["weekday", *[f"{h:02d}:00" for h in range(24)]],
        [[WEEKDAYS[d], *data.heatmap[d]] for d in range(7)],
    )
    book.close()
    _audit(actor, workspace_id, AuditAction.ANALYTICS_EXPORT_XLSX, filters, ip)
    return Export(
        _stem(data.window) + ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ), out.getvalue()


def report_pdf(
    *, actor: Actor, filters: AnalyticsFilter, ip: str = "", now: dt.datetime | None = None
) -> tuple[Export, bytes]:
    from qrapp.services.analytics.report import render_report

    workspace_id, data, full, codes = _full_dashboard(actor, filters, now or utcnow())
    pdf = render_report(data, full, codes)
    _audit(actor, workspace_id, AuditAction.ANALYTICS_EXPORT_PDF, filters, ip)
    return Export(_stem(data.window) + ".pdf", "application/pdf"), pdf
