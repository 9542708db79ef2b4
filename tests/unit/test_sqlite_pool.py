"""The SQLite engine keeps the connections its threads opened (issue 14's speed: under 16
concurrent API reads QueuePool's default 5 made most requests open, set up and parse the
schema of a new connection, more work than the read itself)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from qrapp import db


def test_connections_opened_by_concurrent_threads_are_kept_for_the_next_requests(tmp_path):
    engine = db._make_engine(f"sqlite:///{tmp_path / 'pool.sqlite'}")
    opened: list[object] = []
    sa.event.listen(engine, "connect", lambda conn, _record: opened.append(conn))
    threads = 12  # more than QueuePool's default 5 keeps, fewer than anyio's 40 workers
    together = threading.Barrier(threads, timeout=60)  # a safety net, not a measure

    def read(_i: int) -> int:
        with engine.connect() as conn:
            together.wait()  # every thread holds a connection at once
            return conn.execute(sa.text("select 1")).scalar_one()

    try:
        with ThreadPoolExecutor(threads) as pool:
            assert list(pool.map(read, range(threads))) == [1] * threads
            assert len(opened) == threads
            # The same load again: every connection comes from the pool.
            assert list(pool.map(read, range(threads))) == [1] * threads
        assert len(opened) == threads
    finally:
        engine.dispose()
