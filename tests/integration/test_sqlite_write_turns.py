"""SQLite writers in one process take turns (qrapp.sqlite_writes): a transaction takes the
turn at its first write and gives it back with its commit or rollback; reads never take
it; a second writer waits for it."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from qrapp.db import engine, read_session, transaction
from qrapp.models import Workspace
from qrapp.sqlite_writes import turn_of
from tests.integration.helpers import team_workspace

pytestmark = [pytest.mark.integration, pytest.mark.sqlite_only]


@pytest.fixture
def turn(clean_db):
    pooled = engine().raw_connection()
    try:
        lock = turn_of(pooled.dbapi_connection)
    finally:
        pooled.close()
    assert lock is not None
    return lock


def _rename(workspace_id, name):
    return sa.update(Workspace).where(Workspace.id == workspace_id).values(name=name)


def test_reads_never_take_the_turn_and_a_write_holds_it_until_its_commit(turn):
    ws = team_workspace("Turns")
    with read_session() as s:
        s.get(Workspace, ws.id)
        assert not turn.locked()
    with transaction() as tx:
        tx.session.get(Workspace, ws.id)
        assert not turn.locked()
        tx.session.execute(_rename(ws.id, "Renamed"))
        assert turn.locked()
    assert not turn.locked()
    held = []

    def rolled_back():
        with transaction() as tx:
            tx.session.execute(_rename(ws.id, "Rolled back"))
            held.append(turn.locked())
            raise RuntimeError("undo")

    with pytest.raises(RuntimeError):
        rolled_back()
    assert held == [True]
    assert not turn.locked()
    with read_session() as s:
        assert s.get(Workspace, ws.id).name == "Renamed"


def test_a_second_writer_waits_for_the_turn_and_then_writes(turn):
    ws = team_workspace("Turns")
    done = threading.Event()

    def second():
        with transaction() as tx:
            tx.session.execute(_rename(ws.id, "Second"))
        done.set()

    with transaction() as tx:
        tx.session.execute(_rename(ws.id, "First"))
        other = threading.Thread(target=second)
        other.start()
        assert not done.wait(0.5)  # queued for the turn while this one holds it
    other.join(10)
    assert done.is_set()
    assert not turn.locked()
    with read_session() as s:
        assert s.get(Workspace, ws.id).name == "Second"
