"""The analytics dashboard in one read: the services the page calls (each authorizes the
actor and scopes by its workspace) and `build`, which assembles every figure of a view
from the SQL reads (qrapp.services.analytics.reads) and the pure bucketing
(qrapp.services.analytics.buckets)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session, col, select

from qrapp.core.permissions import Permission
from qrapp.db import read_session
from qrapp.models import Folder, LandingPage, QRCode, ScanEvent, ScanHourly
from qrapp.models.types import utcnow
from qrapp.services.analytics import reads
from qrapp.services.analytics.buckets import between, heatmap, series, totals
from qrapp.services.analytics.filters import (
    RANGE_LABELS,
    AnalyticsFilter,
    resolve_window,
    zone,
)
from qrapp.services.analytics.views import CodeRow, Counts, Dashboard, FeedRow, Kpis, Options
from qrapp.services.authz import Actor, require


def dashboard(
    *, actor: Actor, filters: AnalyticsFilter, now: dt.datetime | None = None
) -> Dashboard:
    """Everything the dashboard shows, in one read."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as session:
        return build(session, workspace_id, filters, now or utcnow())


def live_feed(*, actor: Actor, filters: AnalyticsFilter) -> list[FeedRow]:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as session:
        scope = reads.resolve_scope(session, workspace_id, filters)
        return reads.feed(session, scope, zone(reads.workspace_zone(session, workspace_id)))


MAX_SCAN_PAGE = 1000


def raw_scans(
    *,
    actor: Actor,
    filters: AnalyticsFilter,
    after: tuple[dt.datetime, uuid.UUID] | None = None,
    limit: int = 100,
    now: dt.datetime | None = None,
) -> tuple[list[ScanEvent], tuple[dt.datetime, uuid.UUID] | None]:
    """A page of the raw scans the CSV export gives (same filters, same permission),
    oldest first, and the keyset position the next page starts after (None: the last)."""
    workspace_id = require(actor, Permission.ANALYTICS_EXPORT)
    limit = max(1, min(limit, MAX_SCAN_PAGE))
    with read_session() as session:
        tz = zone(reads.workspace_zone(session, workspace_id))
        window = resolve_window(filters, tz, now or utcnow())
        scope = reads.resolve_scope(session, workspace_id, filters)
        rows = reads.scan_events(session, scope, window.start, window.until, after, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more else None
    return rows, (last.occurred_at, last.event_id) if last else None


def filter_options(*, actor: Actor) -> Options:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as session:
        codes = session.exec(
            select(QRCode.id, QRCode.name, QRCode.tags)
            # Static codes are not tracked: offering them would promise scans that never come.
            .where(
                QRCode.workspace_id == workspace_id,
                QRCode.status != "archived",
                col(QRCode.is_dynamic).is_(True),
            )
            .order_by(QRCode.name)
            .limit(500)
        ).all()
        folders = session.exec(
            select(Folder.id, Folder.name)
            .where(Folder.workspace_id == workspace_id)
            .order_by(Folder.name)
        ).all()
        tags = sorted({t for _, _, code_tags in codes for t in (code_tags or [])}, key=str.lower)
        pages = session.exec(
            select(LandingPage.id, LandingPage.name)
            .where(LandingPage.workspace_id == workspace_id)
            .order_by(LandingPage.name)
            .limit(200)
        ).all()
        return Options(
            codes=[(i, n) for i, n, _ in codes],
            tags=tags,
            folders=[(i, n) for i, n in folders],
            timezone=reads.workspace_zone(session, workspace_id),
            pages=[(i, n) for i, n in pages],
        )


def kpis(total: Counts, previous: Counts, today: Counts, include_bots: bool) -> Kpis:
    humans, bots = total.scans, total.bots
    return Kpis(
        scans=total.total(include_bots),
        uniques=total.uniques,
        bots=bots,
        humans=humans,
        human_share=humans / (humans + bots) if humans + bots else 1.0,
        scans_today=today.total(include_bots),
        previous_scans=previous.total(include_bots),
        previous_uniques=previous.uniques,
    )


def build(
    session: Session, workspace_id: uuid.UUID, filt: AnalyticsFilter, now: dt.datetime
) -> Dashboard:
    """Every figure of the view `filt` of the workspace at `now` (no authorization:
    callers have checked the actor)."""
    tz_name = reads.workspace_zone(session, workspace_id)
    window = resolve_window(filt, zone(tz_name), now)
    scope = reads.resolve_scope(session, workspace_id, filt)
    include_bots = filt.bots

    rows = reads.hourly(session, scope, window.start, window.until)
    prev_window = window.previous()
    prev_rows = reads.hourly(session, scope, prev_window.start, prev_window.until)
    today = resolve_window(AnalyticsFilter(range="today"), window.tz, now)
    if window.start <= today.start and today.end <= window.end:
        today_counts = between(rows, today.start, today.end)
    else:
        today_counts = totals(reads.hourly(session, scope, today.start, today.until))

    # The previous period drawn on the same buckets as the current one.
    shifted = {h + (window.start - prev_window.start): c for h, c in prev_rows.items()}
    codes = reads.top_codes(session, scope, window.start, window.until)
    single = None
    if len(filt.codes) == 1 and scope.code_ids == frozenset(filt.codes):
        single = next((c for c in codes if c.id == filt.codes[0]), None)
        if single is None:
            names = reads.code_names(session, workspace_id, [filt.codes[0]])
            name, short = names.get(filt.codes[0], ("", ""))
            single = CodeRow(filt.codes[0], name, short, 0, 0, 0.0)
    has_codes = session.exec(
        select(QRCode.id).where(QRCode.workspace_id == workspace_id).limit(1)
    ).first()
    any_scan = (
        session.exec(
            select(ScanEvent.event_id).where(ScanEvent.workspace_id == workspace_id).limit(1)
        ).first()
        or session.exec(
            select(ScanHourly.hour).where(ScanHourly.workspace_id == workspace_id).limit(1)
        ).first()
    )
    notes = []
    offset = window.tz.utcoffset(now.replace(tzinfo=None)) or dt.timedelta(0)
    if offset.total_seconds() % 3600:
        notes.append("Hourly figures are grouped by UTC hour in time zones with half hours.")
    return Dashboard(
        filter=filt,
        window=window,
        timezone=tz_name,
        range_label=RANGE_LABELS[filt.range],
        kpis=kpis(totals(rows), totals(prev_rows), today_counts, include_bots),
        series=series(rows, window, include_bots),
        previous_series=series(shifted, window, include_bots),
        heatmap=heatmap(rows, window, include_bots),
        breakdowns=reads.breakdowns(session, scope, window.start, window.until),
        top_codes=codes,
        feed=reads.feed(session, scope, window.tz),
        has_codes=has_codes is not None,
        has_any_scans=any_scan is not None,
        code=single,
        notes=notes,
    )
