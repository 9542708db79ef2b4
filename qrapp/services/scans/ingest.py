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

The parse is services.scans.scan_events, the store and rollups services.scans.scan_store
(on PostgreSQL set-based SQL in services.scans.ingest_pg); this module claims, stores,
acknowledges and dead-letters batches, and runs the loop.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError

from qrapp.db import engine, table_of
from qrapp.models import ScanVisitor
from qrapp.scanstream import Delivery, StreamConsumer, consumer_backend
from qrapp.services.scans import lead_ingest, page_ingest
from qrapp.services.scans.scan_events import PoisonEvent, parse_event
from qrapp.services.scans.scan_store import BatchResult, store
from qrapp.services.webhooks import hooks as webhook_hooks
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

UPDATES_CHANNEL_PREFIX = "qrapp:scans-updated:"


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
        t = table_of(ScanVisitor)
        purged = conn.execute(t.delete().where(t.c.day < cutoff)).rowcount or 0
        return purged + page_ingest.purge_visitors(conn, cutoff)
