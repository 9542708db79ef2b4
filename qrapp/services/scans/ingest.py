"""Scan ingest: stream batches -> scan_event rows + rollups, exactly once in effect.

One batch is one transaction: insert the events with ON CONFLICT (event_id) DO NOTHING
RETURNING event_id, then update the rollups (hourly, daily per dimension, the code's
total_scans/last_scan_at) from the rows really inserted, commit, and only then
acknowledge. A crash anywhere before the commit leaves the messages pending, to be
reclaimed; a crash after it makes the redelivered copies conflict and count nothing.

Events that can never be stored (not JSON, missing fields) go to the dead-letter place at
once; an event whose batch keeps failing for another reason is retried alone, and one
delivered `ingest_max_deliveries` times goes to dead-letter. A database outage is not the
events' fault: the batch stays pending and the consumer waits.

On PostgreSQL the batch is COPYed into a temporary table and everything after the parse is
set-based SQL (services.ingest_pg); on SQLite the same steps run in Python here.

Over 400 lines: one exactly-once algorithm (claim, store, roll up, acknowledge, dead
letter) read top to bottom; the PostgreSQL set-based SQL is already in ingest_pg.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import socket
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError

from qrapp.core.scan_dimensions import rollup_values
from qrapp.core.visitor import MAX_USER_AGENT, clean_text, parse_user_agent
from qrapp.db import engine
from qrapp.models import QRCode, ScanDimensionDaily, ScanEvent, ScanHourly, ScanVisitor
from qrapp.scanstream import Delivery, StreamConsumer, consumer_backend
from qrapp.services.scans import ingest_pg, lead_ingest, page_ingest, scan_rollups
from qrapp.services.webhooks import hooks as webhook_hooks
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

UPDATES_CHANNEL_PREFIX = "qrapp:scans-updated:"


class PoisonEvent(ValueError):
    """The message can never become a scan_event row."""


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


def _uuid(value: Any, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise PoisonEvent(f"{name} is not a UUID") from None


@functools.lru_cache(maxsize=65536)
def _repeated_uuid(value: str, name: str) -> uuid.UUID:
    """Code, workspace and rule ids repeat across a batch: parse each once."""
    return _uuid(value, name)


def parse_event(raw: str) -> dict[str, Any]:
    """A stream message -> a scan_event row (as a dict), or PoisonEvent."""
    try:
        data = orjson.loads(raw)  # parsing is the ingest's largest cost in Python
    except (ValueError, TypeError):
        raise PoisonEvent("not JSON") from None
    if not isinstance(data, dict):
        raise PoisonEvent("not an object")
    try:
        occurred = dt.datetime.fromtimestamp(float(data["t"]), dt.UTC)
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise PoisonEvent("no valid time") from None
    ua = clean_text(str(data.get("ua") or ""), MAX_USER_AGENT)
    agent = parse_user_agent(ua)
    is_bot = bool(data.get("bot")) or agent.is_bot
    source = "link" if data.get("src") == "link" else "qr"
    return {
        "event_id": _uuid(data.get("id"), "id"),
        "qrcode_id": _repeated_uuid(str(data.get("code")), "code"),
        "workspace_id": _repeated_uuid(str(data.get("ws")), "ws"),
        "occurred_at": occurred,
        "country": clean_text(str(data.get("country") or ""), 2).upper(),
        "region": clean_text(str(data.get("region") or ""), 80),
        "city": clean_text(str(data.get("city") or ""), 80),
        "device_type": "bot" if is_bot else agent.device_type,
        "os": agent.os,
        "browser": agent.browser,
        "language": clean_text(str(data.get("lang") or ""), 16).lower(),
        "referrer_host": clean_text(str(data.get("ref") or ""), 253).lower(),
        "source": source,
        "is_bot": is_bot,
        "is_unique": False,
        "visitor_hash": clean_text(str(data.get("vh") or ""), 64),
        "rule_id": _repeated_uuid(str(data["rule"]), "rule") if data.get("rule") else None,
        "variant": clean_text(str(data.get("variant") or ""), 80),
        "destination": clean_text(str(data.get("dest") or ""), 4096),
    }


def _insert(conn: sa.Connection, table: sa.Table):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def store(conn: sa.Connection, rows: list[dict[str, Any]], result: BatchResult) -> None:
    """Insert rows (inside the caller's transaction) and roll up what was really new."""
    if not rows:
        return
    # Drop events of codes deleted since the scan. The share lock holds off a delete of
    # the others until this batch commits (forget_codes locks them first, so a delete
    # already under way makes us wait and then find the code gone).
    code_ids = sorted({r["qrcode_id"] for r in rows})
    live_q = (
        sa.select(QRCode.id)
        .where(QRCode.id.in_(code_ids))
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
    # (UUID order is the order of their text: fixed-width lower-case hex.)
    kept.sort(key=lambda r: (r["occurred_at"], r["event_id"].int))
    unique_rows = _mark_unique(conn, kept)
    for r in kept:
        r["is_unique"] = id(r) in unique_rows

    table = ScanEvent.__table__
    stmt = (
        _insert(conn, table)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(table.c.event_id)
    )
    inserted_ids = set(conn.execute(stmt, kept).scalars().all())
    new = [r for r in kept if r["event_id"] in inserted_ids]
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
    in_ids = ScanEvent.event_id.in_(ids)
    existing = set(conn.execute(sa.select(ScanEvent.event_id).where(in_ids)).scalars().all())
    candidates = {k: r for k, r in first.items() if r["event_id"] not in existing}
    if not candidates:
        return set()
    table = ScanVisitor.__table__
    params = [
        {"qrcode_id": k[0], "visitor_hash": k[1], "day": r["occurred_at"].date()}
        for k, r in sorted(candidates.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
    ]
    stmt = (
        _insert(conn, table)
        .on_conflict_do_nothing(index_elements=["qrcode_id", "visitor_hash"])
        .returning(table.c.qrcode_id, table.c.visitor_hash)
    )
    pairs = conn.execute(stmt, params).all()
    claimed = {(row[0], row[1]) for row in pairs}
    return {id(candidates[k]) for k in claimed if k in candidates}


def _roll_up(conn: sa.Connection, new: list[dict[str, Any]], result: BatchResult) -> None:
    hourly: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    daily: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    totals: dict[uuid.UUID, list] = {}
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
            t = totals.setdefault(r["qrcode_id"], [0, r["occurred_at"]])
            t[0] += 1
            t[1] = max(t[1], r["occurred_at"])

    # Sorted keys: concurrent consumers take row locks in the same order (no deadlocks).
    ht = ScanHourly.__table__
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
    counts = ["scans", "uniques", "bots"]
    ins = _insert(conn, ht)
    conn.execute(
        ins.on_conflict_do_update(
            index_elements=["qrcode_id", "hour"],
            set_={c: ht.c[c] + ins.excluded[c] for c in counts},
        ),
        rows,
    )
    dt_ = ScanDimensionDaily.__table__
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
    ins = _insert(conn, dt_)
    conn.execute(
        ins.on_conflict_do_update(
            index_elements=daily_keys,
            set_={c: dt_.c[c] + ins.excluded[c] for c in counts},
        ),
        rows,
    )
    scan_rollups.add(conn, new)
    qt = QRCode.__table__
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


def _is_outage(exc: BaseException) -> bool:
    """The database is unreachable (or busy), not the events' fault."""
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class DatabaseUnavailable(RuntimeError):
    pass


def process(stream: StreamConsumer, deliveries: list[Delivery]) -> BatchResult:
    """Store one batch and acknowledge it; raise DatabaseUnavailable (nothing acked) when
    the database is down."""
    result = BatchResult(received=0)
    max_deliveries = get_settings().ingest_max_deliveries
    good: list[tuple[Delivery, dict[str, Any]]] = []
    dead: list[tuple[str, str]] = []  # (raw event, reason)
    for d in deliveries:
        for line in d.raw.split("\n"):
            if not line.strip():
                continue
            result.received += 1
            try:
                if page_ingest.is_page_event(line):
                    good.append((d, page_ingest.parse_page_event(line)))
                else:
                    good.append((d, parse_event(line)))
            except (PoisonEvent, page_ingest.PagePoison) as exc:
                dead.append((line, str(exc)))
    held: set[str] = set()  # messages left pending for a later retry
    try:
        with engine().begin() as conn:
            _store_all(conn, [row for _d, row in good], result)
    except Exception as exc:
        if _is_outage(exc):
            raise DatabaseUnavailable(str(exc)) from exc
        # Something in the batch breaks it: store the events one by one to isolate it.
        log.warning("batch failed (%s); retrying its %d events one by one", exc, len(good))
        result = BatchResult(received=result.received)
        for d, row in good:
            try:
                with engine().begin() as conn:
                    _store_all(conn, [row], result)
            except Exception as one_exc:
                if _is_outage(one_exc):
                    raise DatabaseUnavailable(str(one_exc)) from one_exc
                if d.deliveries >= max_deliveries:
                    raw = json.dumps(row, default=str)
                    dead.append((raw, f"failed {d.deliveries} times: {one_exc}"[:500]))
                else:
                    held.add(d.id)  # the stored ones dedup when it comes back
    for raw, reason in dead:
        stream.dead_letter([raw], reason)
        result.dead += 1
        log.error("scan event dead-lettered (%s): %.200s", reason, raw)
    # Committed: tell the owners (a crash before this line loses the mail, never the lead).
    lead_ingest.notify(result.new_leads)
    webhook_hooks.ingested(result.new_scans, result.new_leads)
    stream.ack([d.id for d in deliveries if d.id not in held])
    _publish(result)
    return result


def _store_all(conn: sa.Connection, rows: list[dict[str, Any]], result: BatchResult) -> None:
    """Scans and landing-page events of one batch, in the caller's transaction."""
    scans = [r for r in rows if "qrcode_id" in r and "page_id" not in r]
    pages = [r for r in rows if "page_id" in r]
    store(conn, scans, result)
    if pages:
        leads, pages = lead_ingest.take_leads(pages)
        inserted, duplicates, dropped = page_ingest.store(conn, pages)
        result.new_leads += lead_ingest.store(conn, leads)
        result.pages_inserted += inserted
        result.duplicates += duplicates
        result.dropped += dropped


def _publish(result: BatchResult) -> None:
    """Tell open dashboards about new scans (the embedded default polls total_scans)."""
    redis_url = get_settings().redis_url
    if not redis_url or not result.per_workspace:
        return
    try:
        client = _redis_client(redis_url)
        pipe = client.pipeline(transaction=False)
        for ws, info in result.per_workspace.items():
            message = {
                "workspace_id": ws,
                "count": info["count"],
                "last_event_at": info["last_event_at"].isoformat(),
            }
            pipe.publish(UPDATES_CHANNEL_PREFIX + ws, json.dumps(message))
        pipe.execute()
    except Exception:
        log.exception("could not publish scans-updated")


_clients: dict[str, Any] = {}


def _redis_client(url: str):
    import redis

    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=5)
    return _clients[url]


def consumer_count() -> int:
    """How many consumers the ingest process runs (INGEST_CONSUMERS, 0 = automatic)."""
    settings = get_settings()
    if settings.ingest_consumers > 0:
        return settings.ingest_consumers
    if settings.database_url.startswith("sqlite"):
        return 1  # one writer at a time anyway
    return max(1, os.cpu_count() or 1)


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def run_once(
    stream: StreamConsumer | None = None,
    *,
    consumer: str | None = None,
    block_ms: int = 0,
    max_batches: int | None = None,
) -> BatchResult:
    """Reclaim what dead consumers left, then read and store batches until the stream
    has nothing for us (or max_batches). Returns the totals."""
    stream = stream or consumer_backend()
    consumer = consumer or consumer_name()
    settings = get_settings()
    total = BatchResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        deliveries = stream.reclaim(
            consumer, settings.ingest_claim_idle_ms, settings.ingest_batch_size
        )
        if not deliveries:
            deliveries = stream.read(consumer, settings.ingest_batch_size, block_ms)
        if not deliveries:
            break
        r = process(stream, deliveries)
        batches += 1
        for name in ("received", "inserted", "duplicates", "dropped", "dead", "pages_inserted"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    return total


def check_stream_durability() -> str | None:
    """The production start-up check: warn (the message is returned too) unless the Redis
    holding the scan stream persists every write. Without `appendonly yes` a Redis restart
    loses the events not yet ingested. A warning, not a refusal: managed Redis services
    often refuse CONFIG or persist by replication, and the operator knows which."""
    settings = get_settings()
    if not (settings.is_production and settings.redis_url):
        return None
    from qrapp.scanstream.redis_stream import RedisStream

    try:
        append_only = RedisStream.from_settings().append_only()
    except Exception as exc:  # Redis down at start-up: the loop below waits for it
        message = f"could not check the scan stream's Redis persistence: {exc}"
    else:
        if append_only:
            return None
        message = (
            "the scan stream's Redis runs without appendonly yes: a restart loses the scans "
            "not yet ingested (see the README's production notes)"
            if append_only is False
            else "the scan stream's Redis refuses CONFIG GET appendonly; make sure it "
            "persists every write (appendonly yes), or a restart loses scans"
        )
    log.warning("%s", message)
    return message


def run_forever(*, consumer: str | None = None, stop=lambda: False) -> None:
    """The ingest process: block on the stream, back off while the database is down."""
    consumer = consumer or consumer_name()
    stream = consumer_backend()
    backoff = 0.5
    while not stop():
        try:
            # A few batches at a time, so a stop request is seen under steady load too.
            run_once(stream, consumer=consumer, block_ms=1000, max_batches=5)
            backoff = 0.5
        except DatabaseUnavailable as exc:
            log.warning("database unavailable, retrying in %.1fs: %s", backoff, exc)
            time.sleep(backoff)
            backoff = min(backoff * 2, 15)
        except Exception:  # Redis down and the like: keep the process, retry
            log.exception("ingest loop error")
            time.sleep(backoff)
            backoff = min(backoff * 2, 15)


def purge_visitor_rows(*, keep_days: int = 2) -> int:
    """Visitor hashes rotate daily: older rows of scan_visitor can never match again."""
    cutoff = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=keep_days)
    with engine().begin() as conn:
        t = ScanVisitor.__table__
        purged = conn.execute(t.delete().where(t.c.day < cutoff)).rowcount or 0
        return purged + page_ingest.purge_visitors(conn, cutoff)
