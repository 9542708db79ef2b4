"""Writers to the embedded SQLite database take turns in the process, first come first
served, instead of racing for SQLite's one write lock.

SQLite lets one connection write at a time. A connection that finds the lock taken waits
in SQLite's busy handler, which sleeps in growing steps (up to 100 ms) and retries; a
writer that arrives meanwhile may take the lock first, so under steady concurrent writes
some requests keep losing. bench/api.py's 16 concurrent code creations: p50 46 ms but
p99 1.2 s. With a turn taken here before a transaction's first write, and given back when
its connection returns to the pool (after its commit or rollback), waiting writers are
woken in turn as soon as the lock is free: p99 175 ms at the same throughput.

A turn is waited for at most `WAIT_S` (SQLite's own busy timeout): past that the write
goes ahead and SQLite decides, as it did without turns. Other processes (the worker, the
ingest) still meet in SQLite's busy handler; they write rarely and in batches.
"""

from __future__ import annotations

import threading
import weakref

import sqlalchemy as sa
from sqlalchemy.engine import Engine

WAIT_S = 30.0
_HOLDS = "qrapp_write_turn"  # in the pooled connection's info: this connection holds it
_WRITES = ("insert", "update", "delete", "replace")
_TURNS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def _is_write(statement: str) -> bool:
    return statement.lstrip()[:7].lower().startswith(_WRITES)


def take_turns(engine: Engine) -> None:
    """Install the turns on a SQLite engine (once, when it is made)."""
    turn = _TURNS[engine] = threading.Lock()

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _take(conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        info = conn.info
        if not info.get(_HOLDS) and _is_write(statement):
            info[_HOLDS] = turn.acquire(timeout=WAIT_S)

    @sa.event.listens_for(engine.pool, "checkin")
    def _give_back(_dbapi_conn, record):  # type: ignore[no-untyped-def]
        if record is not None and record.info.pop(_HOLDS, False):
            turn.release()


def turn_of(engine: Engine) -> threading.Lock | None:
    """The engine's turn (None for PostgreSQL, whose writers lock rows, not the database)."""
    return _TURNS.get(engine)
