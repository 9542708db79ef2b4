"""The numbers behind the analytics dashboard, read from the rollups.

`ScanHourly` (per code per UTC hour) gives totals, the time series, the weekday x hour
heat map and top codes: regrouping UTC hours into local hours is exact for every zone
with whole-hour offsets, DST changes included. `ScanDimensionDaily` (per code per UTC day)
gives the breakdowns; where the window starts or ends inside a UTC day (any zone but UTC)
those partial days are counted from the raw events, so every figure matches the raw table.

A view of the whole workspace (no codes, tags or folders picked) reads the workspace
rollups instead (qrapp.services.scan_rollups: the same sums, one row per hour or per day
and value instead of one per code), and top codes read the per-code daily rollup for
whole UTC days; both give the same figures as the per-code path.

Human scans are the default everywhere; `bots=True` adds bot scans to the counts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from qrapp.core.countries import country_name
from qrapp.core.permissions import Permission
from qrapp.core.scan_dimensions import DIMENSION_COLUMNS, DIMENSIONS, split_city
from qrapp.db import read_session
from qrapp.models import (
    Folder,
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
from qrapp.models.types import utcnow
from qrapp.services.analytics.filters import (
    RANGE_LABELS,
    AnalyticsFilter,
    Window,
    resolve_window,
    zone,
)
from qrapp.services.authz import Actor, require
from qrapp.services.errors import NotFound

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TOP_N = 10
FEED_SIZE = 20


@dataclass(frozen=True)
class Scope:
    """Which codes count: None = every code of the workspace."""

    workspace_id: uuid.UUID
    code_ids: frozenset[uuid.UUID] | None
    include_bots: bool

    @property
    def empty(self) -> bool:
        return self.code_ids is not None and not self.code_ids


@dataclass(frozen=True)
class Counts:
    scans: int = 0  # human
    uniques: int = 0  # human, first of the day for the visitor
    bots: int = 0

    def total(self, include_bots: bool) -> int:
        return self.scans + (self.bots if include_bots else 0)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.scans + other.scans, self.uniques + other.uniques, self.bots + other.bots
        )


@dataclass(frozen=True)
class Point:
    label: str  # ISO local date or datetime of the bucket start
    scans: int
    uniques: int


@dataclass(frozen=True)
class BreakdownRow:
    value: str  # as stored ("" = unknown)
    label: str  # for people
    country: str  # ISO code for a flag, "" if none
    scans: int
    uniques: int
    share: float  # of the dimension's total, 0..1


@dataclass(frozen=True)
class CodeRow:
    id: uuid.UUID
    name: str
    short_code: str
    scans: int
    uniques: int
    share: float


@dataclass(frozen=True)
class FeedRow:
    event_id: uuid.UUID
    occurred_at: dt.datetime  # UTC
    local_time: str
    code_name: str
    country: str
    city: str
    device: str
    os: str
    browser: str
    source: str
    is_bot: bool


@dataclass(frozen=True)
class Kpis:
    scans: int
    uniques: int
    bots: int
    humans: int
    human_share: float  # humans / (humans + bots), 1.0 when nothing
    scans_today: int
    previous_scans: int
    previous_uniques: int

    @property
    def change(self) -> float | None:
        """Relative change of scans vs the previous period; None when it had none."""
        if not self.previous_scans:
            return None
        return (self.scans - self.previous_scans) / self.previous_scans

    @property
    def uniques_change(self) -> float | None:
        if not self.previous_uniques:
            return None
        return (self.uniques - self.previous_uniques) / self.previous_uniques


@dataclass(frozen=True)
class Dashboard:
    filter: AnalyticsFilter
    window: Window
    timezone: str
    range_label: str
    kpis: Kpis
    series: list[Point]
    previous_series: list[Point]
    heatmap: list[list[int]]  # [weekday 0=Mon][local hour]
    breakdowns: dict[str, list[BreakdownRow]]
    top_codes: list[CodeRow]
    feed: list[FeedRow]
    has_codes: bool
    has_any_scans: bool
    code: CodeRow | None = None  # set when the filter is exactly one code
    notes: list[str] = field(default_factory=list)


# --- scope ------------------------------------------------------------------------------


def resolve_scope(session: Session, workspace_id: uuid.UUID, filt: AnalyticsFilter) -> Scope:
    """The codes the filter keeps, looked up inside the workspace only: ids of other
    workspaces simply match nothing."""
    if not filt.narrows_codes:
        return Scope(workspace_id, None, filt.bots)
    rows = session.exec(
        select(QRCode.id, QRCode.tags, QRCode.folder_id).where(QRCode.workspace_id == workspace_id)
    ).all()
    codes, tags, folders = set(filt.codes), set(filt.tags), set(filt.folders)
    keep = frozenset(
        code_id
        for code_id, code_tags, folder_id in rows
        if (not codes or code_id in codes)
        and (not tags or tags.intersection(code_tags or ()))
        and (not folders or folder_id in folders)
    )
    return Scope(workspace_id, keep, filt.bots)


def _scoped(query, column, scope: Scope):
    if scope.code_ids is not None:
        query = query.where(column.in_(sorted(scope.code_ids)))
    return query


# --- hourly rollup ----------------------------------------------------------------------


def hourly(
    session: Session, scope: Scope, start: dt.datetime, end: dt.datetime
) -> dict[dt.datetime, Counts]:
    """Counts per UTC hour in [start, end), summed over the scope's codes."""
    if scope.empty or end <= start:
        return {}
    t = ScanWorkspaceHourly if scope.code_ids is None else ScanHourly
    q = (
        select(t.hour, sa.func.sum(t.scans), sa.func.sum(t.uniques), sa.func.sum(t.bots))
        .where(t.workspace_id == scope.workspace_id, t.hour >= _floor_hour(start), t.hour < end)
        .group_by(t.hour)
    )
    if scope.code_ids is not None:
        q = _scoped(q, ScanHourly.qrcode_id, scope)
    return {h: Counts(int(s or 0), int(u or 0), int(b or 0)) for h, s, u, b in session.exec(q)}


def _floor_hour(t: dt.datetime) -> dt.datetime:
    return t.replace(minute=0, second=0, microsecond=0)


def totals(rows: dict[dt.datetime, Counts]) -> Counts:
    out = Counts()
    for counts in rows.values():
        out = out + counts
    return out


def _between(rows: dict[dt.datetime, Counts], start: dt.datetime, end: dt.datetime) -> Counts:
    return totals({h: c for h, c in rows.items() if start <= h < end})


def _bucket(hour: dt.datetime, window: Window) -> str:
    local = hour.astimezone(window.tz)
    if window.granularity == "hour":
        return local.strftime("%Y-%m-%dT%H:00")
    day = local.date()
    if window.granularity == "week":
        day -= dt.timedelta(days=day.weekday())
    return day.isoformat()


def bucket_labels(window: Window) -> list[str]:
    """Every bucket of the window, in order, so empty stretches show as zero."""
    if window.granularity == "hour":
        labels, t = [], window.start
        while t < window.end:
            label = _bucket(t, window)
            if label not in labels:  # the repeated hour when clocks go back
                labels.append(label)
            t += HOUR
        return labels
    step = 7 if window.granularity == "week" else 1
    first = window.first_day
    if window.granularity == "week":
        first -= dt.timedelta(days=first.weekday())
    return [
        (first + dt.timedelta(days=i)).isoformat()
        for i in range(0, (window.last_day - first).days + 1, step)
    ]


def series(rows: dict[dt.datetime, Counts], window: Window, include_bots: bool) -> list[Point]:
    scans: dict[str, int] = defaultdict(int)
    uniques: dict[str, int] = defaultdict(int)
    for hour, counts in rows.items():
        label = _bucket(hour, window)
        scans[label] += counts.total(include_bots)
        uniques[label] += counts.uniques
    return [Point(label, scans[label], uniques[label]) for label in bucket_labels(window)]


def heatmap(rows: dict[dt.datetime, Counts], window: Window, include_bots: bool) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    for hour, counts in rows.items():
        local = hour.astimezone(window.tz)
        grid[local.weekday()][local.hour] += counts.total(include_bots)
    return grid


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
            select(t.qrcode_id, sa.func.sum(t.scans), sa.func.sum(t.uniques), sa.func.sum(t.bots))
            .where(t.workspace_id == scope.workspace_id, lo_column >= lo, hi_column < hi)
            .group_by(t.qrcode_id)
        )
        for code_id, s, u, b in session.exec(_scoped(q, t.qrcode_id, scope)):
            acc[code_id] += Counts(int(s or 0), int(u or 0), int(b or 0))

    days, pieces = _split_days(start, end)
    if days is not None:
        add(ScanCodeDaily, ScanCodeDaily.day, days[0], ScanCodeDaily.day, days[1])
    for lo, hi in pieces:
        add(ScanHourly, ScanHourly.hour, _floor_hour(lo), ScanHourly.hour, hi)
    rows = [(c, n.total(scope.include_bots), n.uniques) for c, n in acc.items()]
    rows = [r for r in rows if r[1]]
    rows.sort(key=lambda r: (-r[1], str(r[0])))
    grand = sum(s for _, s, _ in rows) or 1
    rows = rows[:limit]
    names = _code_names(session, scope.workspace_id, [c for c, _, _ in rows])
    return [CodeRow(c, *names.get(c, ("(deleted code)", "")), s, u, s / grand) for c, s, u in rows]


def _code_names(
    session: Session, workspace_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    if not ids:
        return {}
    rows = session.exec(
        select(QRCode.id, QRCode.name, QRCode.short_code).where(
            QRCode.workspace_id == workspace_id, QRCode.id.in_(ids)
        )
    ).all()
    return {i: (n, s or "") for i, n, s in rows}


# --- dimension breakdowns ---------------------------------------------------------------


def _raw_dimension_expr(dimension: str):
    return ScanEvent.__table__.c[DIMENSION_COLUMNS[dimension]]


def _utc_day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _split_days(start: dt.datetime, end: dt.datetime):
    """Whole UTC days inside [start, end) and the partial pieces around them."""
    first_full = start.date() if start == _utc_day_start(start.date()) else start.date() + DAY
    last_full_end = end.date()  # whole days end before the UTC midnight at or before end
    if first_full >= last_full_end:
        return None, [(start, end)]
    pieces = []
    if start < _utc_day_start(first_full):
        pieces.append((start, _utc_day_start(first_full)))
    if _utc_day_start(last_full_end) < end:
        pieces.append((_utc_day_start(last_full_end), end))
    return (first_full, last_full_end), pieces


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
        days, pieces = _split_days(start, end)
        if days is not None:
            t = ScanWorkspaceDimensionDaily if scope.code_ids is None else ScanDimensionDaily
            _rollup_dimensions(session, scope, t, t.day, days[0], days[1], dimensions, acc)
        for lo, hi in pieces:
            if scope.code_ids is None and lo == _floor_hour(lo):
                # Like hourly(): the hour holding `hi` counts whole (it ends at now or
                # at a local midnight, which is a whole UTC hour in whole-hour zones).
                t = ScanWorkspaceDimensionHourly
                _rollup_dimensions(session, scope, t, t.hour, lo, hi, dimensions, acc)
                continue
            _raw_dimensions(session, scope, dimensions, lo, hi, acc)
    return {d: _rows(d, acc[d], scope.include_bots, limit) for d in dimensions}


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
        select(
            t.dimension,
            t.value,
            sa.func.sum(t.scans),
            sa.func.sum(t.uniques),
            sa.func.sum(t.bots),
        )
        .where(
            t.workspace_id == scope.workspace_id,
            time_column >= lo,
            time_column < hi,
            t.dimension.in_(dimensions),
        )
        .group_by(t.dimension, t.value)
    )
    if scope.code_ids is not None:  # a per-code table (the workspace ones have no codes)
        q = _scoped(q, t.qrcode_id, scope)
    for dim, value, s, u, b in session.exec(q):
        acc[dim][value] += Counts(int(s or 0), int(u or 0), int(b or 0))


def _raw_counts():
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
    return _scoped(q, ScanEvent.qrcode_id, scope)


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
        s, u, b = row[-3:]
        acc[dimensions[index]][row[index]] += Counts(int(s or 0), int(u or 0), int(b or 0))


def _raw_dimension(
    session: Session, scope: Scope, dimension: str, start: dt.datetime, end: dt.datetime
) -> dict[str, Counts]:
    expr = _raw_dimension_expr(dimension).label("value")
    q = _raw_where(select(expr, *_raw_counts()), scope, start, end).group_by(expr)
    return {v: Counts(int(s or 0), int(u or 0), int(b or 0)) for v, s, u, b in session.exec(q)}


_LABELS = {
    "device": {"mobile": "Mobile", "tablet": "Tablet", "desktop": "Desktop", "bot": "Bot"},
    "source": {"qr": "QR scan", "link": "Link click"},
}
_UNKNOWN = {"referrer": "Direct / none"}


def _label(dimension: str, value: str) -> tuple[str, str]:
    if dimension == "city":
        country, city = split_city(value)
        return (city or "Unknown"), country
    if dimension == "country":
        return country_name(value) if value else "Unknown", value.upper()
    if not value:
        return _UNKNOWN.get(dimension, "Unknown"), ""
    return _LABELS.get(dimension, {}).get(value, value), ""


def _rows(
    dimension: str, values: dict[str, Counts], include_bots: bool, limit: int | None
) -> list[BreakdownRow]:
    counted = [(v, c.total(include_bots), c.uniques) for v, c in values.items()]
    counted = [row for row in counted if row[1]]
    counted.sort(key=lambda r: (-r[1], r[0]))
    grand = sum(s for _, s, _ in counted) or 1
    out = []
    for value, scans, uniques in counted[:limit] if limit else counted:
        label, country = _label(dimension, value)
        out.append(BreakdownRow(value, label, country, scans, uniques, scans / grand))
    return out


# --- live feed --------------------------------------------------------------------------


def feed(session: Session, scope: Scope, tz, limit: int = FEED_SIZE) -> list[FeedRow]:
    if scope.empty:
        return []
    q = (
        select(ScanEvent, QRCode.name)
        .join(QRCode, QRCode.id == ScanEvent.qrcode_id)
        .where(ScanEvent.workspace_id == scope.workspace_id)
        .order_by(ScanEvent.occurred_at.desc())
        .limit(limit)
    )
    if not scope.include_bots:
        q = q.where(sa.not_(ScanEvent.is_bot))
    q = _scoped(q, ScanEvent.qrcode_id, scope)
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
                device=_label("device", event.device_type)[0],
                os=event.os or "Unknown",
                browser=event.browser or "Unknown",
                source=_label("source", event.source)[0],
                is_bot=event.is_bot,
            )
        )
    return out


# --- the dashboard ----------------------------------------------------------------------


def workspace_zone(session: Session, workspace_id: uuid.UUID) -> str:
    ws = session.get(Workspace, workspace_id)
    return zone(ws.timezone if ws else "UTC").key


def build(
    session: Session, workspace_id: uuid.UUID, filt: AnalyticsFilter, now: dt.datetime
) -> Dashboard:
    tz_name = workspace_zone(session, workspace_id)
    window = resolve_window(filt, zone(tz_name), now)
    scope = resolve_scope(session, workspace_id, filt)
    include_bots = filt.bots

    rows = hourly(session, scope, window.start, window.until)
    prev_window = window.previous()
    prev_rows = hourly(session, scope, prev_window.start, prev_window.until)
    today = resolve_window(AnalyticsFilter(range="today"), window.tz, now)
    if window.start <= today.start and today.end <= window.end:
        today_counts = _between(rows, today.start, today.end)
    else:
        today_counts = totals(hourly(session, scope, today.start, today.until))

    total, prev_total = totals(rows), totals(prev_rows)
    humans, bots = total.scans, total.bots
    kpis = Kpis(
        scans=total.total(include_bots),
        uniques=total.uniques,
        bots=bots,
        humans=humans,
        human_share=humans / (humans + bots) if humans + bots else 1.0,
        scans_today=today_counts.total(include_bots),
        previous_scans=prev_total.total(include_bots),
        previous_uniques=prev_total.uniques,
    )
    # The previous period drawn on the same buckets as the current one.
    shifted = {h + (window.start - prev_window.start): c for h, c in prev_rows.items()}
    codes = top_codes(session, scope, window.start, window.until)
    single = None
    if len(filt.codes) == 1 and scope.code_ids == frozenset(filt.codes):
        single = next((c for c in codes if c.id == filt.codes[0]), None)
        if single is None:
            names = _code_names(session, workspace_id, [filt.codes[0]])
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
    if window.tz.utcoffset(now.replace(tzinfo=None)).total_seconds() % 3600:
        notes.append("Hourly figures are grouped by UTC hour in time zones with half hours.")
    return Dashboard(
        filter=filt,
        window=window,
        timezone=tz_name,
        range_label=RANGE_LABELS[filt.range],
        kpis=kpis,
        series=series(rows, window, include_bots),
        previous_series=series(shifted, window, include_bots),
        heatmap=heatmap(rows, window, include_bots),
        breakdowns=breakdowns(session, scope, window.start, window.until),
        top_codes=codes,
        feed=feed(session, scope, window.tz),
        has_codes=has_codes is not None,
        has_any_scans=any_scan is not None,
        code=single,
        notes=notes,
    )


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
        scope = resolve_scope(session, workspace_id, filters)
        return feed(session, scope, zone(workspace_zone(session, workspace_id)))


@dataclass(frozen=True)
class Options:
    """What the filter menus offer: the workspace's own codes, tags and folders."""

    codes: list[tuple[uuid.UUID, str]]
    tags: list[str]
    folders: list[tuple[uuid.UUID, str]]
    timezone: str


def filter_options(*, actor: Actor) -> Options:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as session:
        codes = session.exec(
            select(QRCode.id, QRCode.name, QRCode.tags)
            # Static codes are not tracked: offering them would promise scans that never come.
            .where(
                QRCode.workspace_id == workspace_id,
                QRCode.status != "archived",
                QRCode.is_dynamic.is_(True),
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
        return Options(
            codes=[(i, n) for i, n, _ in codes],
            tags=tags,
            folders=[(i, n) for i, n in folders],
            timezone=workspace_zone(session, workspace_id),
        )


def code_or_raise(session: Session, workspace_id: uuid.UUID, code_id: uuid.UUID) -> QRCode:
    code = session.get(QRCode, code_id)
    if code is None or code.workspace_id != workspace_id:
        raise NotFound("QR code")
    return code
