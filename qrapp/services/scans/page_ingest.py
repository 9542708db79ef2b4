"""The ingest's share for landing pages: page views and clicks travel on the scan stream
beside the scans (one JSON per event, starting `{"k":"pv"` for a view and `{"k":"pc"` for
a click or download, `{"k":"pl"` for a lead form sent: services.scans.lead_ingest keeps
its fields) and are stored here in the scan batch's transaction.

The same exactly-once rules as scans: insert with ON CONFLICT (event_id) DO NOTHING
RETURNING, roll up only the rows really inserted; the first human view of a visitor hash
per page is claimed in page_visitor (so "unique" stays exact with several consumers);
bots are flagged by the edge (HEAD, link previewers) and again here from the user agent.
Set-based enough on both databases at the rate pages are viewed: no PostgreSQL-only path.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

import orjson
import sqlalchemy as sa

from qrapp.core.visitor import MAX_USER_AGENT, clean_text, parse_user_agent
from qrapp.db import dialect_insert, table_of
from qrapp.models.page_events import CLICK, LEAD, VIEW, PageDaily, PageEvent, PageVisitor
from qrapp.models.pages import LandingPage
from qrapp.services.scans import lead_ingest
from qrapp.services.scans.event_insert import insert_new

PREFIX = '{"k":"p'
_KINDS = {"pv": VIEW, "pc": CLICK, "pl": LEAD}


class PagePoison(ValueError):
    """The message can never become a page_event row."""


def _uuid(value: Any, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise PagePoison(f"{name} is not a UUID") from None


def is_page_event(line: str) -> bool:
    return line.startswith(PREFIX)


def parse_page_event(raw: str) -> dict[str, Any]:
    try:
        data = orjson.loads(raw)
    except (ValueError, TypeError):
        raise PagePoison("not JSON") from None
    if not isinstance(data, dict) or data.get("k") not in _KINDS:
        raise PagePoison("not a page event")
    try:
        occurred = dt.datetime.fromtimestamp(float(data["t"]), dt.UTC)
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise PagePoison("no valid time") from None
    ua = clean_text(str(data.get("ua") or ""), MAX_USER_AGENT)
    agent = parse_user_agent(ua)
    is_bot = bool(data.get("bot")) or agent.is_bot
    try:
        version = int(data.get("v") or 0)
    except (ValueError, TypeError):
        version = 0
    row = {
        "event_id": _uuid(data.get("id"), "id"),
        "page_id": _uuid(data.get("page"), "page"),
        "workspace_id": _uuid(data.get("ws"), "ws"),
        "occurred_at": occurred,
        "kind": _KINDS[data["k"]],
        "target": clean_text(str(data.get("target") or ""), 64),
        "version": version,
        "qrcode_id": _uuid(data["code"], "code") if data.get("code") else None,
        "country": clean_text(str(data.get("country") or ""), 2).upper(),
        "device_type": "bot" if is_bot else agent.device_type,
        "os": agent.os,
        "browser": agent.browser,
        "language": clean_text(str(data.get("lang") or ""), 16).lower(),
        "referrer_host": clean_text(str(data.get("ref") or ""), 253).lower(),
        "is_bot": is_bot,
        "is_unique": False,
        "visitor_hash": clean_text(str(data.get("vh") or ""), 64),
        "variant": clean_text(str(data.get("vr") or ""), 4),
    }
    if row["kind"] == LEAD:
        row["lead"] = lead_ingest.lead_content(data)  # taken off before page_event
    return row


def store(conn: sa.Connection, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Insert page events (inside the caller's transaction) and roll up the new ones.
    Returns (inserted, duplicates, dropped: the page no longer exists)."""
    if not rows:
        return 0, 0, 0
    page_ids = sorted({r["page_id"] for r in rows})
    lp = table_of(LandingPage)
    live_q = sa.select(lp.c.id).where(lp.c.id.in_(page_ids)).with_for_update(read=True)
    live = set(conn.execute(live_q).scalars().all())
    kept = [r for r in rows if r["page_id"] in live]
    dropped = len(rows) - len(kept)
    kept = list({r["event_id"]: r for r in kept}.values())
    duplicates = len(rows) - dropped - len(kept)
    if not kept:
        return 0, duplicates, dropped
    new = insert_new(conn, PageEvent, kept, _mark_unique)
    duplicates += len(kept) - len(new)
    if new:
        _roll_up(conn, new)
    return len(new), duplicates, dropped


def _mark_unique(conn: sa.Connection, rows: list[dict[str, Any]]) -> set[int]:
    """Rows that are the first human view of their visitor hash for their page (as
    scan_store._mark_unique for scans; a redelivered event finds its pair already taken)."""
    first: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}
    for r in rows:
        if r["kind"] == VIEW and not r["is_bot"] and r["visitor_hash"]:
            first.setdefault((r["page_id"], r["visitor_hash"]), r)
    if not first:
        return set()
    ids = [r["event_id"] for r in first.values()]
    pe = table_of(PageEvent)
    existing = set(conn.execute(sa.select(pe.c.event_id).where(pe.c.event_id.in_(ids))).scalars())
    candidates = {k: r for k, r in first.items() if r["event_id"] not in existing}
    if not candidates:
        return set()
    table = table_of(PageVisitor)
    params = [
        {"page_id": k[0], "visitor_hash": k[1], "day": r["occurred_at"].date()}
        for k, r in sorted(candidates.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
    ]
    stmt = (
        dialect_insert(conn, table)
        .on_conflict_do_nothing(index_elements=["page_id", "visitor_hash"])
        .returning(table.c.page_id, table.c.visitor_hash)
    )
    claimed = {(row[0], row[1]) for row in conn.execute(stmt, params).all()}
    return {id(candidates[k]) for k in claimed if k in candidates}


def _roll_up(conn: sa.Connection, new: list[dict[str, Any]]) -> None:
    daily: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in new:
        key = (r["page_id"], r["occurred_at"].date(), r["kind"], r["target"], r["workspace_id"])
        counts = (0, 0, 1) if r["is_bot"] else (1, int(r["is_unique"]), 0)
        d = daily[key]
        for i, c in enumerate(counts):
            d[i] += c
    t = table_of(PageDaily)
    rows = [
        {
            "page_id": k[0],
            "day": k[1],
            "kind": k[2],
            "target": k[3],
            "workspace_id": k[4],
            "count": v[0],
            "uniques": v[1],
            "bots": v[2],
        }
        # Sorted: concurrent consumers take row locks in the same order (no deadlocks).
        for k, v in sorted(daily.items(), key=lambda kv: (str(kv[0][0]), kv[0][1:4]))
    ]
    ins = dialect_insert(conn, t)
    conn.execute(
        ins.on_conflict_do_update(
            index_elements=["page_id", "day", "kind", "target"],
            set_={c: t.c[c] + ins.excluded[c] for c in ("count", "uniques", "bots")},
        ),
        rows,
    )


def purge_visitors(conn: sa.Connection, cutoff: dt.date) -> int:
    t = table_of(PageVisitor)
    return conn.execute(t.delete().where(t.c.day < cutoff)).rowcount or 0
