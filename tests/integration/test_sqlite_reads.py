"""The prepared one-row read (qrapp.sqlite_reads) reads a row exactly as Core does, sees
every commit at once, and holds no read transaction between reads (a held one would
hide later commits and stop WAL checkpoints). On PostgreSQL it is Core itself."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
import uuid

import pytest
import sqlalchemy as sa

from qrapp.db import engine, table_of, transaction
from qrapp.models import QRCode
from qrapp.services.codes import qrcodes, records
from qrapp.services.errors import NotFound
from qrapp.sqlite_reads import PreparedRead
from tests.integration.helpers import actor, sign_up_and_session

pytestmark = pytest.mark.integration

_CODES = table_of(QRCode)
_BY_ID = sa.select(_CODES).where(_CODES.c.id == sa.bindparam("code_id"))


@pytest.fixture
def code(clean_db):
    owner = actor(sign_up_and_session("reads@example.com"))
    made = qrcodes.create(
        actor=owner,
        data=qrcodes.CodeInput(
            name="Read me",
            destination="https://example.com/read",
            tags=("print", "spring"),
        ),
    )
    with transaction() as tx:  # values of every kind the table holds: dates, JSON, null
        tx.session.execute(
            sa.update(_CODES)
            .where(_CODES.c.id == made.id)
            .values(
                ends_at=dt.datetime(2031, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC),
                max_scans=500,
                schedule={"days": [1, 2, 3], "from": "09:00", "to": "17:00"},
            )
        )
    return made.id


def test_a_row_reads_exactly_as_cores_row(code):
    with engine().connect() as conn:
        core = conn.execute(_BY_ID, {"code_id": code}).one()
    prepared = PreparedRead(_BY_ID).first(code_id=code)
    assert prepared is not None
    assert prepared._asdict() == core._asdict()
    for name, value in core._asdict().items():
        got = getattr(prepared, name)
        assert got == value, name
        assert type(got) is type(value), name
    assert prepared.ends_at == dt.datetime(2031, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
    assert prepared.tags == ["print", "spring"]
    assert PreparedRead(_BY_ID).first(code_id=uuid.uuid4()) is None


def test_every_commit_is_seen_by_the_next_read_from_any_thread(code):
    read = PreparedRead(_BY_ID)
    assert read.first(code_id=code).name == "Read me"
    for n in range(3):
        with transaction() as tx:
            tx.session.execute(sa.update(_CODES).where(_CODES.c.id == code).values(name=f"v{n}"))
        assert read.first(code_id=code).name == f"v{n}"
        seen: list[str] = []

        def in_a_thread(seen: list[str] = seen) -> None:
            seen.append(read.first(code_id=code).name)

        worker = threading.Thread(target=in_a_thread)
        worker.start()
        worker.join()
        assert seen == [f"v{n}"]


@pytest.mark.sqlite_only
def test_no_read_transaction_is_held_between_reads(code):
    read = PreparedRead(_BY_ID)
    assert read.first(code_id=code) is not None
    held = read._connection(engine())
    assert not held.in_transaction
    with transaction() as tx:  # a write, so the WAL has frames to move
        tx.session.execute(sa.update(_CODES).where(_CODES.c.id == code).values(name="moved"))
    # A checkpoint that must wait for no reader: busy would be 1 while a read is held.
    with engine().connect() as conn:
        busy, _frames, _moved = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    assert busy == 0
    assert read.first(code_id=code).name == "moved"


def test_the_apis_hot_read_finds_only_its_workspaces_code(code):
    owner = actor(sign_up_and_session("other@example.com"))
    with pytest.raises(NotFound):
        records.code_row_or_raise(actor=owner, code_id=code)


@pytest.mark.sqlite_only
def test_a_forked_child_reads_on_a_connection_of_its_own(code):
    read = PreparedRead(_BY_ID)
    assert read.first(code_id=code) is not None
    parents = id(read._connection(engine()))
    answers = multiprocessing.get_context("fork").SimpleQueue()

    def child() -> None:
        answers.put((read.first(code_id=code).name, id(read._connection(engine())) != parents))

    forked = multiprocessing.get_context("fork").Process(target=child)
    forked.start()
    forked.join(30)
    assert forked.exitcode == 0
    assert answers.get() == ("Read me", True)
