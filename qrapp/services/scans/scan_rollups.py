"""The rollups the unfiltered (whole-workspace) dashboard reads, kept beside the per-code
ones: per workspace per UTC hour, per workspace per UTC day and per hour per dimension
value, and per code per UTC day.

The ingest calls `add` with the rows it really inserted, in its own transaction, so these
always equal the per-code rollups summed over the workspace's codes. Deleting codes calls
`forget_codes` before the delete (the per-code rollups go with the code by cascade; the
workspace rows have to lose that code's share, and the raw events and first-visit claims,
which have no foreign key, are deleted there). The retention purge deletes old rows of
every table with the same cut-offs as the per-code ones.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from qrapp.core.scan_dimensions import DIMENSION_COLUMNS, ROLLUP_VALUE_LENGTH, rollup_values
from qrapp.db import dialect_insert, table_of
from qrapp.models import (
    QRCode,
    ScanCodeDaily,
    ScanDimensionDaily,
    ScanEvent,
    ScanHourly,
    ScanVisitor,
    ScanWorkspaceDimensionDaily,
    ScanWorkspaceDimensionHourly,
    ScanWorkspaceHourly,
)

COUNT_COLUMNS = ("scans", "uniques", "bots")


def _adding(conn: sa.Connection, table: sa.Table, keys: tuple[str, ...]):
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET count = count + excluded.count."""
    ins = dialect_insert(conn, table)
    return ins.on_conflict_do_update(
        index_elements=list(keys),
        set_={c: table.c[c] + ins.excluded[c] for c in COUNT_COLUMNS},
    )


def add(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Roll newly inserted scan_event rows (the ingest's dicts) into these tables."""
    code_daily: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    ws_hourly: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    ws_daily: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    ws_dim_hourly: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        counts = (0, 0, 1) if r["is_bot"] else (1, int(r["is_unique"]), 0)
        ws = r["workspace_id"]
        hour = r["occurred_at"].replace(minute=0, second=0, microsecond=0)
        day = r["occurred_at"].date()
        targets = [code_daily[(r["qrcode_id"], day, ws)], ws_hourly[(ws, hour)]]
        for dimension, value in rollup_values(r):
            targets.append(ws_daily[(ws, day, dimension, value)])
            targets.append(ws_dim_hourly[(ws, hour, dimension, value)])
        for target in targets:
            for i, c in enumerate(counts):
                target[i] += c

    # Sorted keys: concurrent consumers take row locks in the same order (no deadlocks).
    def params(acc: dict[tuple, list[int]], names: tuple[str, ...]) -> list[dict[str, Any]]:
        return [
            dict(zip(names + COUNT_COLUMNS, (*key, *counts), strict=True))
            for key, counts in sorted(acc.items(), key=lambda kv: tuple(map(str, kv[0])))
        ]

    for model, keys, acc, names in (
        (ScanCodeDaily, ("qrcode_id", "day"), code_daily, ("qrcode_id", "day", "workspace_id")),
        (ScanWorkspaceHourly, ("workspace_id", "hour"), ws_hourly, ("workspace_id", "hour")),
        (
            ScanWorkspaceDimensionDaily,
            ("workspace_id", "day", "dimension", "value"),
            ws_daily,
            ("workspace_id", "day", "dimension", "value"),
        ),
        (
            ScanWorkspaceDimensionHourly,
            ("workspace_id", "hour", "dimension", "value"),
            ws_dim_hourly,
            ("workspace_id", "hour", "dimension", "value"),
        ),
    ):
        if not acc:
            continue
        conn.execute(_adding(conn, table_of(model), keys), params(acc, names))


def _utc_hour(conn: sa.Connection, column):
    if conn.dialect.name == "postgresql":
        return sa.func.date_trunc("hour", column)
    # The text SQLAlchemy's SQLite DateTime writes, so the keys match the ingest's.
    return sa.func.strftime("%Y-%m-%d %H:00:00.000000", column)


def forget_codes(conn: sa.Connection, code_ids: Iterable[uuid.UUID]) -> None:
    """Subtract these codes' counts from the workspace rollups; call it in the transaction
    that deletes them, before the delete. The codes' rows are locked first, so an ingest
    batch for them either committed before (and is subtracted) or waits and then finds
    the codes gone (and drops its events)."""
    ids = sorted(set(code_ids))
    if not ids:
        return
    qt = table_of(QRCode)
    conn.execute(sa.select(qt.c.id).where(qt.c.id.in_(ids)).with_for_update())

    def negated(table: sa.Table) -> list:
        return [(-sa.func.sum(table.c[c])).label(c) for c in COUNT_COLUMNS]

    h = table_of(ScanHourly)
    wh = table_of(ScanWorkspaceHourly)
    conn.execute(
        _adding(conn, wh, ("workspace_id", "hour")).from_select(
            ["workspace_id", "hour", *COUNT_COLUMNS],
            sa.select(h.c.workspace_id, h.c.hour, *negated(h))
            .where(h.c.qrcode_id.in_(ids))
            .group_by(h.c.workspace_id, h.c.hour),
        )
    )
    d = table_of(ScanDimensionDaily)
    wd = table_of(ScanWorkspaceDimensionDaily)
    keys = ("workspace_id", "day", "dimension", "value")
    conn.execute(
        _adding(conn, wd, keys).from_select(
            [*keys, *COUNT_COLUMNS],
            sa.select(*(d.c[k] for k in keys), *negated(d))
            .where(d.c.qrcode_id.in_(ids))
            .group_by(*(d.c[k] for k in keys)),
        )
    )
    e = table_of(ScanEvent)
    wdh = table_of(ScanWorkspaceDimensionHourly)
    hour = _utc_hour(conn, e.c.occurred_at)
    human = sa.not_(e.c.is_bot)
    event_counts = (
        -sa.func.sum(sa.case((human, 1), else_=0)),
        -sa.func.sum(sa.case((sa.and_(human, e.c.is_unique), 1), else_=0)),
        -sa.func.sum(sa.case((e.c.is_bot, 1), else_=0)),
    )
    for dimension, column in DIMENSION_COLUMNS.items():
        value = sa.func.substr(e.c[column], 1, ROLLUP_VALUE_LENGTH)
        conn.execute(
            _adding(conn, wdh, ("workspace_id", "hour", "dimension", "value")).from_select(
                ["workspace_id", "hour", "dimension", "value", *COUNT_COLUMNS],
                sa.select(e.c.workspace_id, hour, sa.literal(dimension), value, *event_counts)
                .where(e.c.qrcode_id.in_(ids))
                .group_by(e.c.workspace_id, hour, value),
            )
        )
    # The raw events and first-visit claims have no foreign key to cascade from.
    conn.execute(e.delete().where(e.c.qrcode_id.in_(ids)))
    v = table_of(ScanVisitor)
    conn.execute(v.delete().where(v.c.qrcode_id.in_(ids)))


def purge_cutoffs(workspace_id: uuid.UUID, cutoff: dt.datetime):
    """(model, key columns, where) for every table here, with the per-code cut-offs: an
    hour goes once it starts before the cut-off hour, a day once all of it is past."""
    cutoff_hour = cutoff.replace(minute=0, second=0, microsecond=0)
    day = cutoff.date()
    return [
        (
            ScanCodeDaily,
            [ScanCodeDaily.qrcode_id, ScanCodeDaily.day],
            [ScanCodeDaily.workspace_id == workspace_id, ScanCodeDaily.day < day],
        ),
        (
            ScanWorkspaceHourly,
            [ScanWorkspaceHourly.workspace_id, ScanWorkspaceHourly.hour],
            [
                ScanWorkspaceHourly.workspace_id == workspace_id,
                ScanWorkspaceHourly.hour < cutoff_hour,
            ],
        ),
        (
            ScanWorkspaceDimensionDaily,
            [
                ScanWorkspaceDimensionDaily.workspace_id,
                ScanWorkspaceDimensionDaily.day,
                ScanWorkspaceDimensionDaily.dimension,
                ScanWorkspaceDimensionDaily.value,
            ],
            [
                ScanWorkspaceDimensionDaily.workspace_id == workspace_id,
                ScanWorkspaceDimensionDaily.day < day,
            ],
        ),
        (
            ScanWorkspaceDimensionHourly,
            [
                ScanWorkspaceDimensionHourly.workspace_id,
                ScanWorkspaceDimensionHourly.hour,
                ScanWorkspaceDimensionHourly.dimension,
                ScanWorkspaceDimensionHourly.value,
            ],
            [
                ScanWorkspaceDimensionHourly.workspace_id == workspace_id,
                ScanWorkspaceDimensionHourly.hour < cutoff_hour,
            ],
        ),
    ]
