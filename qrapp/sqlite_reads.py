"""A hot one-row SELECT without Core's per-call machinery, for the embedded default.

Core spends most of a primary-key read on SQLite on itself, not in SQLite: the pool's
check-out and check-in (with its rollback), the execution context, the result's
metadata and row objects. The REST API's hot read, `GET /codes/{id}` (bench/api.py,
issue 14), spent 54 us per read in Core and 22 us like this, and under load the share
was larger still.

`PreparedRead` compiles its statement once for the engine's dialect and runs it on a
DBAPI connection the calling thread keeps for itself (taken from the engine, so its
connect-time pragmas hold, and detached from the pool). Parameters and values go
through the very bind and result processors Core would apply, so a row reads exactly as
Core reads it (tests/integration/test_sqlite_reads.py compares every column).

Why this is safe on SQLite: without BEGIN, every SELECT of Python's sqlite3 module is its
own read transaction, and a statement stepped to its end (fetchall) releases it, so each
read sees the newest committed data and no snapshot is held between reads (a held one
would also stop WAL checkpoints). Only reads go through it: writes keep their turns
(sqlite_writes) and their transactions in Core. On any other database it is plain Core.
"""

from __future__ import annotations

import collections
import os
import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from qrapp.db import engine

_Processor = Callable[[Any], Any] | None


class _Plan:
    """The statement compiled for one engine: SQL text, how to bind, how to read."""

    def __init__(self, stmt: sa.Select[Any], eng: Engine) -> None:
        dialect = eng.dialect
        compiled = stmt.compile(dialect=dialect)
        self.sql = str(compiled)
        binds = compiled.binds
        self.params: list[tuple[str, _Processor]] = [
            (name, binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in compiled.positiontup or ()
        ]
        columns = list(stmt.selected_columns)
        self.processors: list[_Processor] = [
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
        ]
        self.row = collections.namedtuple("Row", [c.key for c in columns])  # type: ignore[misc]


class PreparedRead:
    """`first(**params)`: the statement's first row (attributes named as Core's row's),
    or None."""

    def __init__(self, stmt: sa.Select[Any]) -> None:
        self._stmt = stmt
        self._plan: tuple[Engine, _Plan] | None = None
        self._local = threading.local()

    def first(self, **params: Any) -> Any | None:
        eng = engine()
        if eng.dialect.name != "sqlite":
            with eng.connect() as conn:
                return conn.execute(self._stmt, params).first()
        if self._plan is None or self._plan[0] is not eng:
            self._plan = (eng, _Plan(self._stmt, eng))
        plan = self._plan[1]
        values = [p(params[name]) if p else params[name] for name, p in plan.params]
        # fetchall, not fetchone: the statement runs to its end and lets go of its read.
        rows = self._connection(eng).execute(plan.sql, values).fetchall()
        if not rows:
            return None
        return plan.row(*[p(v) if p else v for p, v in zip(plan.processors, rows[0], strict=True)])

    def _connection(self, eng: Engine) -> Any:
        held = getattr(self._local, "held", None)
        pid = os.getpid()
        if held is not None and held[0] is eng and held[1] == pid:
            return held[2]
        if held is not None and held[1] == pid:  # the engine was replaced (tests, --database)
            held[2].close()
        # (A connection inherited through fork is left alone: SQLite forbids using it.)
        proxied = eng.raw_connection()
        proxied.detach()  # the thread's own: the pool neither counts nor resets it
        connection = proxied.dbapi_connection
        self._local.held = (eng, pid, connection)
        return connection
