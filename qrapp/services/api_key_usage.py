"""Requests and errors per API key per UTC day, and each key's last use, without a
database write per request: each API process counts in memory and a thread of its own
adds the counts to `api_key_usage` with one upsert every few seconds
(settings.api_usage_flush_seconds), and at exit. `last_used_at` is written at most once a
minute per key.

The counts are exact once flushed: a flush swaps the counters out under a lock and puts
them back if the write fails, so nothing is counted twice or lost.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, select

from qrapp.db import dialect_insert, read_session, table_of, transaction
from qrapp.models import ApiKey, ApiKeyUsage
from qrapp.models.types import utcnow
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

LAST_USED_EVERY = dt.timedelta(minutes=1)


class UsageMeter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._counts: dict[tuple[uuid.UUID, dt.date], list[int]] = {}
        self._last_seen: dict[uuid.UUID, dt.datetime] = {}
        self._last_written: dict[uuid.UUID, dt.datetime] = {}
        self._last_flush = time.monotonic()
        self._flusher: threading.Thread | None = None

    def _start_flusher(self) -> None:
        """A daemon thread that writes the counts every few seconds, so they reach the
        database even when requests stop (the chart reads them from there)."""

        def loop() -> None:
            while True:
                time.sleep(max(0.05, get_settings().api_usage_flush_seconds))
                self.flush()

        self._flusher = threading.Thread(target=loop, name="api-usage-flush", daemon=True)
        self._flusher.start()

    def record(self, key_id: uuid.UUID, status: int, now: dt.datetime | None = None) -> None:
        now = now or utcnow()
        with self._lock:
            if self._flusher is None:
                self._start_flusher()
            counts = self._counts.setdefault((key_id, now.date()), [0, 0])
            counts[0] += 1
            if status >= 400:
                counts[1] += 1
            self._last_seen[key_id] = now

    def flush(self) -> int:
        """Write what was counted; the number of (key, day) rows written."""
        with self._flushing:
            with self._lock:
                self._last_flush = time.monotonic()
                counts, self._counts = self._counts, {}
                seen = {
                    k: t
                    for k, t in self._last_seen.items()
                    if (w := self._last_written.get(k)) is None or t - w >= LAST_USED_EVERY
                }
            if not counts and not seen:
                return 0
            try:
                _write(counts, seen)
            except Exception:
                log.exception("could not write API key usage; keeping the counts")
                with self._lock:
                    for k, (req, err) in counts.items():
                        mine = self._counts.setdefault(k, [0, 0])
                        mine[0] += req
                        mine[1] += err
                return 0
            with self._lock:
                self._last_written.update(seen)
            return len(counts)


def _write(counts: dict[tuple[uuid.UUID, dt.date], list[int]], seen: dict) -> None:
    with transaction() as tx:
        live = set(
            tx.session.exec(
                select(ApiKey.id).where(col(ApiKey.id).in_({k for k, _ in counts} | set(seen)))
            ).all()
        )
        rows = [
            {"key_id": k, "day": d, "requests": req, "errors": err}
            for (k, d), (req, err) in counts.items()
            if k in live  # a key deleted meanwhile (its workspace went) has no row to count
        ]
        if rows:
            stmt = dialect_insert(tx.session, table_of(ApiKeyUsage)).values(rows)
            stmt = stmt.on_conflict_do_update(
                index_elements=["key_id", "day"],
                set_={
                    "requests": ApiKeyUsage.requests + stmt.excluded.requests,
                    "errors": ApiKeyUsage.errors + stmt.excluded.errors,
                },
            )
            tx.session.execute(stmt)
        for key_id, when in seen.items():
            if key_id not in live:
                continue
            tx.session.execute(
                sa.update(ApiKey)
                .where(
                    col(ApiKey.id) == key_id,
                    sa.or_(col(ApiKey.last_used_at).is_(None), col(ApiKey.last_used_at) < when),
                )
                .values(last_used_at=when)
            )


_METER = UsageMeter()


def meter() -> UsageMeter:
    return _METER


atexit.register(lambda: _METER.flush())


@dataclass(frozen=True)
class DayUsage:
    day: dt.date
    requests: int
    errors: int


def daily(key_id: uuid.UUID, days: int = 30, today: dt.date | None = None) -> list[DayUsage]:
    """The last `days` UTC days up to today, one entry per day (zeros included)."""
    today = today or utcnow().date()
    first = today - dt.timedelta(days=days - 1)
    with read_session() as s:
        found = {
            u.day: u
            for u in s.exec(
                select(ApiKeyUsage).where(ApiKeyUsage.key_id == key_id, ApiKeyUsage.day >= first)
            ).all()
        }
    out = []
    for i in range(days):
        day = first + dt.timedelta(days=i)
        u = found.get(day)
        out.append(DayUsage(day, u.requests if u else 0, u.errors if u else 0))
    return out
