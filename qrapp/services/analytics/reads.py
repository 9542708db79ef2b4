"""The SQL behind the analytics dashboard: counts from the rollups, and from the raw events
where the rollups' grain does not fit.

`ScanHourly` (per code per UTC hour) gives totals, the time series, the weekday x hour
heat map and top codes. `ScanDimensionDaily` (per code per UTC day) gives the breakdowns;
where the window starts or ends inside a UTC day (any zone but UTC) those partial days
are counted from the raw events, so every figure matches the raw table.

A view of the whole workspace (no codes, tags or folders picked) reads the workspace
rollups instead (qrapp.services.scans.scan_rollups: the same sums, one row per hour or per day
and value instead of one per code), and top codes read the per-code daily rollup for
whole UTC days; both give the same figures as the per-code path.

Human scans are the default everywhere; `bots=True` adds bot scans to the counts. These
functions take a session and a resolved Scope: the services that authorize the actor
are in qrapp.services.analytics.dashboard.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from qrapp.core.scan_dimensions import DIMENSION_COLUMNS, DIMENSIONS
from qrapp.db import table_of
from qrapp.models import (
    QRCode,
    ScanCodeDaily,
    ScanDimensionDaily,
    ScanEvent,
    ScanHourly,
    ScanWorkspaceDimensionDaily,
    ScanWorkspaceDimensionHourly,
    ScanWorkspaceHourly,
    Workspace,
)
from qrapp.services.analytics.buckets import (
    breakdown_rows,
    floor_hour,
    rank,
    split_days,
    value_label,
)
from qrapp.services.analytics.filters import AnalyticsFilter, zone
from qrapp.services.analytics.views import BreakdownRow, CodeRow, Counts, FeedRow

TOP_N = 10
FEED_SIZE = 20

# --- scope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which codes count: None = every code of the workspace."""

    workspace_id: uuid.UUID
    code_ids: frozenset[uuid.UUID] | None
    include_bots: bool

    @property
    def empty(self) -> bool:
        return self.code_ids is not None and not self.code_ids


def resolve_scope(session: Session, workspace_id: uuid.UUID, filt: AnalyticsFilter) -> Scope:
    """The codes the filter keeps, looked up inside the workspace only: ids of other
    workspaces simply match nothing."""
    if not filt.narrows_codes:
        return Scope(workspace_id, None, filt.bots)
    rows = session.exec(
        select(QRCode.id, QRCode.tags, QRCode.folder_id, QRCode.landing_page_id).where(
            QRCode.workspace_id == workspace_id
        )
    ).all()
    codes, tags, folders = set(filt.codes), set(filt.tags), set(filt.folders)
    pages = set(filt.pages)
    keep = frozenset(
        code_id
        for code_id, code_tags, folder_id, page_id in rows
        if (not codes or code_id in codes)
        and (not tags or tags.intersection(code_tags or ()))
        and (not folders or folder_id in folders)
        and (not pages or page_id in pages)
    )
    return Scope(workspace_id, keep, filt.bots)


def scoped(query, column, scope: Scope):
    """`query` kept to the scope's codes (`column` holds the code id)."""
    if scope.code_ids is not None:
        query = query.where(column.in_(sorted(scope.code_ids)))
    return query


def workspace_zone(session: Session, workspace_id: uuid.UUID) -> str:
    ws = session.get(Workspace, workspace_id)
    return zone(ws.timezone if ws else "UTC").key


def _sums(t) -> tuple:
    """SUM of a rollup's three counters, in Counts.of's order."""
    return sa.func.sum(t.scans), sa.func.sum(t.uniques), sa.func.sum(t.bots)


# --- hourly rollup ----------------------------------------------------------------------


def hourly(
    session: Session, scope: Scope, start: dt.datetime, end: dt.datetime
) -> dict[dt.datetime, Counts]:
    """Counts per UTC hour in [start, end), summed over the scope's codes."""
    if scope.empty or end <= start:
        return {}
    t = ScanWorkspaceHourly if scope.code_ids is None else ScanHourly
    q = (
        select(t.hour, *_sums(t))
        .where(t.workspace_id == scope.workspace_id, t.hour >= floor_hour(start), t.hour < end)
        .group_by(t.hour)
    )
    if scope.code_ids is not None:
        q = scoped(q, ScanHourly.qrcode_id, scope)
    return {hour: Counts.of(sums) for hour, *sums in session.exec(q)}


def top_codes(
    session: Session, scope: Scope, start: dt.datetime, end: dt.datetime, limit: int = TOP_N
) -> list[CodeRow]:
    """Whole UTC days from the per-code daily rollup, the hours around them from the
    hourly one."""
    if scope.empty or end <= start:
        return []
    acc: dict[uuid.UUID, Counts] = defaultdict(Counts)

    def add(t, lo_column, lo, hi_column, hi):
        q = (
            select(t.qrcode_id, *_sums(t))
            .where(t.workspace_id == scope.workspace_id, lo_column >= lo, hi_column < hi)
            .group_by(t.qrcode_id)
        )
        for code_id, *sums in session.exec(scoped(q, t.qrcode_id, scope)):
            acc[code_id] += Counts.of(sums)

    days, pieces = split_days(start, end)
    if days is not None:
        add(ScanCodeDaily, ScanCodeDaily.day, days[0], ScanCodeDaily.day, days[1])
    for lo, hi in pieces:
        add(ScanHourly, ScanHourly.hour, floor_hour(lo), ScanHourly.hour, hi)
    ranked = rank(acc, scope.include_bots, limit)
    names = code_names(session, scope.workspace_id, [c for c, *_ in ranked])
    return [
        CodeRow(c, *names.get(c, ("(deleted code)", "")), scans, uniques, share)
        for c, scans, uniques, share in ranked
    ]


def code_names(
    session: Session, workspace_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    """(name, short code) of the workspace's codes among `ids`."""
    if not ids:
        return {}
    rows = session.exec(
        select(QRCode.id, QRCode.name, QRCode.short_code).where(
            QRCode.workspace_id == workspace_id, col(QRCode.id).in_(ids)
        )
    ).all()
    return {i: (n, s or "") for i, n, s in rows}


# --- dimension breakdowns ---------------------------------------------------------------


def breakdowns(
    session: Session,
    scope: Scope,
    start: dt.datetime,
    end: dt.datetime,
    dimensions: tuple[str, ...] = DIMENSIONS,
    limit: int | None = TOP_N,
) -> dict[str, list[BreakdownRow]]:
    acc: dict[str, dict[str, Counts]] = {d: defaultdict(Counts) for d in dimensions}
    if not scope.empty and end > start:
        days, pieces = split_days(start, end)
        if days is not None:
            t = ScanWorkspaceDimensionDaily if scope.code_ids is None else ScanDimensionDaily
            _rollup_dimensions(session, scope, t, t.day, days[0], days[1], dimensions, acc)
        for lo, hi in pieces:
            if scope.code_ids is None and lo == floor_hour(lo):
                # Like hourly(): the hour holding `hi` counts whole (it ends at now or
                # at a local midnight, which is a whole UTC hour in whole-hour zones).
                wh = ScanWorkspaceDimensionHourly
                _rollup_dimensions(session, scope, wh, wh.hour, lo, hi, dimensions, acc)
                continue
            _raw_dimensions(session, scope, dimensions, lo, hi, acc)
    return {d: breakdown_rows(d, acc[d], scope.include_bots, limit) for d in dimensions}


def _rollup_dimensions(
    session: Session,
    scope: Scope,
    t,
    time_column,
    lo,
    hi,
    dimensions: tuple[str, ...],
    acc: dict[str, dict[str, Counts]],
) -> None:
    """Add a dimension rollup's (t) sums over lo <= time_column < hi."""
    q = (
        select(t.dimension, t.value, *_sums(t))
        .where(
            t.workspace_id == scope.workspace_id,
            time_column >= lo,
            time_column < hi,
            t.dimension.in_(dimensions),
        )
        .group_by(t.dimension, t.value)
    )
    if scope.code_ids is not None:  # a per-code table (the workspace ones have no codes)
        q = scoped(q, t.qrcode_id, scope)
    for dim, value, *sums in session.exec(q):
        acc[dim][value] += Counts.of(sums)


# --- raw events -------------------------------------------------------------------------


def _raw_dimension_expr(dimension: str):
    return table_of(ScanEvent).c[DIMENSION_COLUMNS[dimension]]


def _raw_counts():
    """The raw events' (scans, uniques, bots), in Counts.of's order."""
    human = sa.not_(ScanEvent.is_bot)
    return (
        sa.func.sum(sa.case((human, 1), else_=0)),
        sa.func.sum(sa.case((sa.and_(human, ScanEvent.is_unique), 1), else_=0)),
        sa.func.sum(sa.case((ScanEvent.is_bot, 1), else_=0)),
    )


def _raw_where(q, scope: Scope, start: dt.datetime, end: dt.datetime):
    q = q.where(
        ScanEvent.workspace_id == scope.workspace_id,
        ScanEvent.occurred_at >= start,
        ScanEvent.occurred_at < end,
    )
    return scoped(q, ScanEvent.qrcode_id, scope)


def _raw_dimensions(
    session: Session,
    scope: Scope,
    dimensions: tuple[str, ...],
    start: dt.datetime,
    end: dt.datetime,
    acc: dict[str, dict[str, Counts]],
) -> None:
    """Every dimension of the raw events in [start, end). PostgreSQL: one scan with
    GROUPING SETS (a code's events of a partial day lie on as many heap pages as there are
    events, so scanning them once per dimension cost eight times as much). SQLite has no
    GROUPING SETS: one GROUP BY per dimension, on the embedded default's small tables."""
    if session.get_bind().dialect.name != "postgresql" or len(dimensions) == 1:
        for dim in dimensions:
            for value, counts in _raw_dimension(session, scope, dim, start, end).items():
                acc[dim][value] += counts
        return
    columns = [_raw_dimension_expr(d) for d in dimensions]
    # GROUPING(a, b, ...) has a 1 bit for every column the row is not grouped by: the
    # one 0 bit names the row's dimension (the first column is the highest bit).
    q = _raw_where(
        select(sa.func.grouping(*columns), *columns, *_raw_counts()), scope, start, end
    ).group_by(sa.func.grouping_sets(*(sa.tuple_(c) for c in columns)))
    top = len(dimensions) - 1
    for mask, *row in session.exec(q):
        index = next(i for i in range(len(dimensions)) if not mask >> (top - i) & 1)
        acc[dimensions[index]][row[index]] += Counts.of(row[-3:])


def _raw_dimension(
    session: Session, scope: Scope, dimension: str, start: dt.datetime, end: dt.datetime
) -> dict[str, Counts]:
    expr = _raw_dimension_expr(dimension).label("value")
    q = _raw_where(select(expr, *_raw_counts()), scope, start, end).group_by(expr)
    return {value: Counts.of(sums) for value, *sums in session.exec(q)}


def feed(session: Session, scope: Scope, tz, limit: int = FEED_SIZE) -> list[FeedRow]:
    """The newest events of the scope, newest first."""
    if scope.empty:
        return []
    q = (
        select(ScanEvent, QRCode.name)
        .join(QRCode, col(QRCode.id) == col(ScanEvent.qrcode_id))
        .where(ScanEvent.workspace_id == scope.workspace_id)
        .order_by(col(ScanEvent.occurred_at).desc())
        .limit(limit)
    )
    if not scope.include_bots:
        q = q.where(sa.not_(col(ScanEvent.is_bot)))
    q = scoped(q, ScanEvent.qrcode_id, scope)
    out = []
    for event, name in session.exec(q):
        out.append(
            FeedRow(
                event_id=event.event_id,
                occurred_at=event.occurred_at,
                local_time=event.occurred_at.astimezone(tz).strftime("%b %d, %H:%M:%S"),
                code_name=name,
                country=event.country,
                city=event.city,
                device=value_label("device", event.device_type)[0],
                os=event.os or "Unknown",
                browser=event.browser or "Unknown",
                source=value_label("source", event.source)[0],
                is_bot=event.is_bot,
            )
        )
    return out


def scan_events(
    session: Session,
    scope: Scope,
    start: dt.datetime,
    end: dt.datetime,
    after: tuple[dt.datetime, uuid.UUID] | None,
    limit: int,
) -> list[ScanEvent]:
    """Raw events of the scope in [start, end), oldest first, after the keyset position
    (occurred_at, event_id): the raw scans as the CSV export has them, a page at a time."""
    if scope.empty or end <= start:
        return []
    q = select(ScanEvent).where(
        ScanEvent.workspace_id == scope.workspace_id,
        ScanEvent.occurred_at >= start,
        ScanEvent.occurred_at < end,
    )
    if after is not None:
        at, last_id = after
        q = q.where(
            sa.or_(
                col(ScanEvent.occurred_at) > at,
                sa.and_(col(ScanEvent.occurred_at) == at, col(ScanEvent.event_id) > last_id),
            )
        )
    if not scope.include_bots:
        q = q.where(sa.not_(col(ScanEvent.is_bot)))
    q = scoped(q, ScanEvent.qrcode_id, scope)
    q = q.order_by(col(ScanEvent.occurred_at), col(ScanEvent.event_id)).limit(limit)
    return list(session.exec(q).all())
