"""The one engine and session factory for code outside Reflex.

Services open a unit of work with `transaction()`: one commit at the end, and the
side effects they registered with `after_commit` run only once the commit succeeded, so a
rolled-back change never sends an e-mail or enqueues a task.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from qrapp.settings import VAR_DIR, get_settings
from qrapp.sqlite_writes import connection_class

log = logging.getLogger(__name__)

_engine: Engine | None = None

SQLITE_POOL_SIZE = 48


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Keep a connection per thread that may use one (anyio's 40 worker threads run the
        # API's and the web's sync code) instead of QueuePool's default 5: a connection
        # beyond the pool is closed on check-in, so under 16 concurrent API reads most
        # requests opened a new one (connect, the pragmas below, the schema parsed again
        # on its first statement: more than the read itself; bench/api.py, issue 14).
        engine = sa.create_engine(
            url,
            # The process's writers take turns for the one write lock (sqlite_writes).
            connect_args={"check_same_thread": False, "timeout": 30, "factory": connection_class()},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=16,
        )

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # WAL lets the web, edge and worker processes read while one writes.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    # No JIT: our queries take milliseconds, and compiling one whose estimate crosses
    # jit_above_cost takes tens of them (the dashboards' slowest runs were JIT).
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"options": "-c jit=off"},
    )


def engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = _make_engine(get_settings().database_url)
    return _engine


def use_database(url: str) -> Engine:
    """Point every later session at another database (tests, the CLI's --database)."""
    global _engine
    if _engine is not None:
        _engine.dispose()
    _engine = _make_engine(url)
    return _engine


@dataclass
class Transaction:
    session: Session
    _after_commit: list[Callable[[], object]] = field(default_factory=list)

    def after_commit(self, fn: Callable[[], object]) -> None:
        self._after_commit.append(fn)


@contextlib.contextmanager
def transaction() -> Iterator[Transaction]:
    with Session(engine(), expire_on_commit=False) as session:
        tx = Transaction(session)
        try:
            yield tx
            session.commit()
        except BaseException:
            session.rollback()
            raise
    for fn in tx._after_commit:
        try:
            fn()
        except Exception:  # a side effect must not undo a committed change
            log.exception("after-commit hook failed")


@contextlib.contextmanager
def read_session() -> Iterator[Session]:
    with Session(engine(), expire_on_commit=False) as session:
        yield session


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a model, for statements SQLModel's ORM layer cannot write
    (upserts, INSERT ... FROM SELECT, conditional UPDATEs). SQLModel's stubs do not declare
    `__table__`, so the metadata is asked by name."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


def dialect_insert(
    conn: sa.Connection | Session, table: sa.Table
) -> postgresql.Insert | sqlite.Insert:
    """INSERT into table in the connection's dialect, for its ON CONFLICT clauses (both
    PostgreSQL and SQLite have them; SQLAlchemy's generic insert does not)."""
    bind = conn.get_bind() if isinstance(conn, Session) else conn
    if bind.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
