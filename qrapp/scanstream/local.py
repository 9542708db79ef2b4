"""A durable queue in one SQLite file: the embedded default's scan stream and the edge's
spool while Redis is down.

Several processes on one machine share the file (WAL). Taking messages marks them claimed
inside an IMMEDIATE transaction, so two consumers never take the same message; a message
claimed longer than the idle time is handed out again (its consumer died); `ack` deletes.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from qrapp.scanstream import Delivery

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scan_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at REAL,
    deliveries INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS scan_dead (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL,
    reason TEXT NOT NULL,
    dead_at REAL NOT NULL
);
"""


_ROWS_PER_INSERT = 256  # well under SQLite's limit of bound values per statement


@functools.lru_cache(maxsize=_ROWS_PER_INSERT)
def _insert_sql(rows: int) -> str:
    return "INSERT INTO scan_queue (payload) VALUES " + ",".join(["(?)"] * rows)  # noqa: S608 (placeholders only)


class LocalQueue:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        conn = self._conn()
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # --- producer ----------------------------------------------------------------------
    def append(self, payloads: list[str]) -> None:
        """One INSERT of all the rows (atomic on its own): the edge appends from a thread,
        and each statement step gives up and takes back the GIL, which the busy event loop
        then has to hand over; BEGIN + a step per row + COMMIT was a dozen of those."""
        if not payloads:
            return
        if len(payloads) <= _ROWS_PER_INSERT:
            self._conn().execute(_insert_sql(len(payloads)), payloads)
            return
        with self._tx() as conn:
            for i in range(0, len(payloads), _ROWS_PER_INSERT):
                group = payloads[i : i + _ROWS_PER_INSERT]
                conn.execute(_insert_sql(len(group)), group)

    # --- consumer ----------------------------------------------------------------------
    def _claim(self, consumer: str, count: int, where: str, params: tuple) -> list[Delivery]:
        now = time.time()
        with self._tx() as conn:
            rows = conn.execute(
                f"SELECT id, payload, deliveries FROM scan_queue WHERE {where} "  # noqa: S608
                "ORDER BY id LIMIT ?",
                (*params, count),
            ).fetchall()
            if rows:
                conn.executemany(
                    "UPDATE scan_queue SET claimed_by = ?, claimed_at = ?, "
                    "deliveries = deliveries + 1 WHERE id = ?",
                    [(consumer, now, r[0]) for r in rows],
                )
        return [Delivery(str(r[0]), r[1], r[2] + 1) for r in rows]

    def read(self, consumer: str, count: int, block_ms: int = 0) -> list[Delivery]:
        deadline = time.monotonic() + block_ms / 1000
        while True:
            got = self._claim(consumer, count, "claimed_at IS NULL", ())
            if got or time.monotonic() >= deadline:
                return got
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def reclaim(self, consumer: str, min_idle_ms: int, count: int) -> list[Delivery]:
        cutoff = time.time() - min_idle_ms / 1000
        return self._claim(consumer, count, "claimed_at IS NOT NULL AND claimed_at < ?", (cutoff,))

    def ack(self, ids: list[str]) -> None:
        if ids:
            with self._tx() as conn:
                conn.executemany("DELETE FROM scan_queue WHERE id = ?", [(int(i),) for i in ids])

    def dead_letter(self, raws: list[str], reason: str) -> None:
        """Keep events that can never be stored (acknowledging is the caller's)."""
        if raws:
            now = time.time()
            with self._tx() as conn:
                conn.executemany(
                    "INSERT INTO scan_dead (payload, reason, dead_at) VALUES (?, ?, ?)",
                    [(raw, reason[:500], now) for raw in raws],
                )

    def pending(self) -> int:
        return self._conn().execute("SELECT count(*) FROM scan_queue").fetchone()[0]

    def dead(self) -> list[tuple[str, str]]:
        return self._conn().execute("SELECT payload, reason FROM scan_dead ORDER BY id").fetchall()

    # --- spool replay ------------------------------------------------------------------
    def take_oldest(self, count: int) -> list[tuple[int, str]]:
        return (
            self._conn()
            .execute("SELECT id, payload FROM scan_queue ORDER BY id LIMIT ?", (count,))
            .fetchall()
        )

    def delete(self, ids: list[int]) -> None:
        self.ack([str(i) for i in ids])
