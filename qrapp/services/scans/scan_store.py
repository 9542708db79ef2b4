"""Storing one batch of parsed scans in the caller's transaction, exactly once in effect:
the events inserted with ON CONFLICT (event_id) DO NOTHING, the first human scan of each
visitor marked unique, and the rollups (hourly, daily per dimension, the code's
total_scans/last_scan_at) updated from the rows really inserted. On PostgreSQL the same
steps are set-based SQL (services.scans.ingest_pg); on SQLite they run in Python here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from qrapp.core.scan_dimensions import rollup_values
from qrapp.db import dialect_insert, table_of
from qrapp.models import QRCode, ScanDimensionDaily, ScanEvent, ScanHourly, ScanVisitor
from qrapp.services.scans import ingest_pg, scan_rollups
from qrapp.services.scans.event_insert import insert_new


@dataclass
class BatchResult:
    received: int = 0
    inserted: int = 0
    duplicates: int = 0
    dropped: int = 0  # the code no longer exists
    dead: int = 0
    pages_inserted: int = 0  # landing-page views and clicks (services.scans.page_ingest)
    new_leads: list[dict[str, Any]] = field(default_factory=list)  # mailed after the commit
    new_scans: list[dict[str, Any]] = field(default_factory=list)  # webhooks after the commit
    per_workspace: dict[str, dict[str, Any]] = field(default_factory=dict)


def store(conn: sa.Connection, rows: list[dict[str, Any]], result: BatchResult) -> None:
    """Insert rows (inside the caller's transaction) and roll up what was really new."""
    if not rows:
        return
    # Drop events of codes deleted since the scan. The share lock holds off a delete of
    # the others until this batch commits (forget_codes locks them first, so a delete
    # already under way makes us wait and then find the code gone).
    code_ids = sorted({r["qrcode_id"] for r in rows})
    live_q = (
        sa.select(col(QRCode.id))
        .where(col(QRCode.id).in_(code_ids))
        .with_for_update(read=True, key_share=True)
    )
    live = set(conn.execute(live_q).scalars().all())
    kept = [r for r in rows if r["qrcode_id"] in live]
    result.dropped += len(rows) - len(kept)
    if not kept:
        return
    # The same event twice in one batch (a spool replay beside the original): keep one.
    unique_ids = list({r["event_id"]: r for r in kept}.values())
    result.duplicates += len(kept) - len(unique_ids)
    kept = unique_ids
    if conn.dialect.name == "postgresql":  # set-based, in SQL (see ingest_pg)
        inserted, per_workspace = ingest_pg.store(conn, kept)
        result.inserted += inserted
        # Counted, not listed, in SQL: a rare replayed duplicate may be announced again
        # (receivers key scans by their id).
        result.new_scans += kept
        result.duplicates += len(kept) - inserted
        for ws, info in per_workspace.items():
            seen = result.per_workspace.setdefault(ws, {**info, "count": 0})
            seen["count"] += info["count"]
            seen["last_event_at"] = max(seen["last_event_at"], info["last_event_at"])
        return
    # The embedded default (SQLite): the same steps row by row in Python.
    new = insert_new(conn, ScanEvent, kept, _mark_unique)
    result.inserted += len(new)
    result.new_scans += new
    result.duplicates += len(kept) - len(new)
    if not new:
        return
    _roll_up(conn, new, result)


def _mark_unique(conn: sa.Connection, rows: list[dict[str, Any]]) -> set[int]:
    """Rows that are the first human scan of their visitor hash for their code. Claiming
    the (code, hash) pair in scan_visitor makes this exact across concurrent consumers;
    a duplicate event's pair is already claimed, so it is never unique twice."""
    first: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}
    for r in rows:
        if not r["is_bot"] and r["visitor_hash"]:
            first.setdefault((r["qrcode_id"], r["visitor_hash"]), r)
    if not first:
        return set()
    ids = [r["event_id"] for r in first.values()]
    in_ids = col(ScanEvent.event_id).in_(ids)
    existing = set(conn.execute(sa.select(col(ScanEvent.event_id)).where(in_ids)).scalars().all())
    candidates = {k: r for k, r in first.items() if r["event_id"] not in existing}
    if not candidates:
        return set()
    table = table_of(ScanVisitor)
    params = [
        {"qrcode_id": k[0], "visitor_hash": k[1], "day": r["occurred_at"].date()}
        for k, r in sorted(candidates.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
    ]
    stmt = (
        dialect_insert(conn, table)
        .on_conflict_do_nothing(index_elements=["qrcode_id", "visitor_hash"])
        .returning(table.c.qrcode_id, table.c.visitor_hash)
    )
    pairs = conn.execute(stmt, params).all()
    claimed = {(row[0], row[1]) for row in pairs}
    return {id(candidates[k]) for k in claimed if k in candidates}


_COUNTED = ("scans", "uniques", "bots")


def _roll_up(conn: sa.Connection, new: list[dict[str, Any]], result: BatchResult) -> None:
    # (scans, uniques, bots) per (code, hour, workspace) and (code, day, dimension, value,
    # workspace); (human scans, the latest) per code.
    hourly: dict[tuple[uuid.UUID, dt.datetime, uuid.UUID], list[int]] = defaultdict(
        lambda: [0, 0, 0]
    )
    daily: dict[tuple[uuid.UUID, dt.date, str, str, uuid.UUID], list[int]] = defaultdict(
        lambda: [0, 0, 0]
    )
    totals: dict[uuid.UUID, tuple[int, dt.datetime]] = {}
    for r in new:
        hour = r["occurred_at"].replace(minute=0, second=0, microsecond=0)
        counts = (0, 0, 1) if r["is_bot"] else (1, int(r["is_unique"]), 0)
        h = hourly[(r["qrcode_id"], hour, r["workspace_id"])]
        for i, c in enumerate(counts):
            h[i] += c
        day = r["occurred_at"].date()
        for dim, value in rollup_values(r):
            d = daily[(r["qrcode_id"], day, dim, value, r["workspace_id"])]
            for i, c in enumerate(counts):
                d[i] += c
        ws = result.per_workspace.setdefault(
            str(r["workspace_id"]), {"count": 0, "last_event_at": r["occurred_at"]}
        )
        ws["last_event_at"] = max(ws["last_event_at"], r["occurred_at"])
        if not r["is_bot"]:
            ws["count"] += 1
            count, last = totals.get(r["qrcode_id"], (0, r["occurred_at"]))
            totals[r["qrcode_id"]] = (count + 1, max(last, r["occurred_at"]))

    # Sorted keys: concurrent consumers take row locks in the same order (no deadlocks).
    ht = table_of(ScanHourly)
    rows = [
        {
            "qrcode_id": k[0],
            "hour": k[1],
            "workspace_id": k[2],
            "scans": v[0],
            "uniques": v[1],
            "bots": v[2],
        }
        for k, v in sorted(hourly.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
    ]
    ins = dialect_insert(conn, ht)
    conn.execute(
        ins.on_conflict_do_update(
            index_elements=["qrcode_id", "hour"],
            set_={c: ht.c[c] + ins.excluded[c] for c in _COUNTED},
        ),
        rows,
    )
    daily_table = table_of(ScanDimensionDaily)
    rows = [
        {
            "qrcode_id": k[0],
            "day": k[1],
            "dimension": k[2],
            "value": k[3],
            "workspace_id": k[4],
            "scans": v[0],
            "uniques": v[1],
            "bots": v[2],
        }
        for k, v in sorted(daily.items(), key=lambda kv: (str(kv[0][0]), kv[0][1:4]))
    ]
    daily_keys = ["qrcode_id", "day", "dimension", "value"]
    ins = dialect_insert(conn, daily_table)
    conn.execute(
        ins.on_conflict_do_update(
            index_elements=daily_keys,
            set_={c: daily_table.c[c] + ins.excluded[c] for c in _COUNTED},
        ),
        rows,
    )
    scan_rollups.add(conn, new)
    qt = table_of(QRCode)
    for code_id, (count, last) in sorted(totals.items(), key=lambda kv: str(kv[0])):
        conn.execute(
            qt.update()
            .where(qt.c.id == code_id)
            .values(
                total_scans=qt.c.total_scans + count,
                last_scan_at=sa.case(
                    (qt.c.last_scan_at.is_(None), last),
                    (qt.c.last_scan_at < last, last),
                    else_=qt.c.last_scan_at,
                ),
            )
        )
