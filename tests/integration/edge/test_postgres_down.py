"""Fault: PostgreSQL stops under a running edge and ingest. Cached codes keep
redirecting (in-process cache, then the Redis snapshot); the ingest waits without
acknowledging; after the restart every event is stored once."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from qrapp import db
from qrapp.migrations import upgrade
from qrapp.scanstream import consumer_backend
from qrapp.services.accounts import accounts
from qrapp.services.codes import qrcodes
from qrapp.services.operator import operator_actor
from qrapp.services.scans import ingest
from qrapp.services.workspaces import workspaces
from tests.integration.edge.conftest import drain, scan_count
from tests.support.environment import patched_env
from tests.support.processes import free_port
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


class OwnPostgres:
    def __init__(self, folder) -> None:
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.data = folder / "pg"
        self.port = free_port()
        self.root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    def init(self) -> None:
        self.data.mkdir(parents=True)
        if self.root:
            os.chown(self.data.parent, *_postgres_ids())
            os.chown(self.data, *_postgres_ids())
        self._run(f"{self.bin}/initdb", "-D", str(self.data), "-U", "qrapp", "--auth=trust")
        self.start()
        self._run(
            f"{self.bin}/createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "qrapp",
            "down_test",
        )

    def start(self) -> None:
        self._run(
            f"{self.bin}/pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.data / "log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1",
            "start",
        )

    def stop(self) -> None:
        self._run(f"{self.bin}/pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://qrapp@127.0.0.1:{self.port}/down_test"


def _postgres_ids() -> tuple[int, int]:
    import pwd

    pw = pwd.getpwnam("postgres")
    return pw.pw_uid, pw.pw_gid


@pytest.fixture
def own_postgres(edge_env):
    assert edge_env["name"] == "postgresql"
    assert edge_env.get("REDIS_URL")
    # Not under pytest's tmp_path: the postgres user cannot enter root's 0700 folders.
    folder = Path(tempfile.mkdtemp(prefix="qrapp-pgdown-"))
    pg = OwnPostgres(folder)
    pg.init()
    saved = os.environ["DATABASE_URL"]
    try:
        with patched_env({"DATABASE_URL": pg.url}):
            db.use_database(pg.url)
            upgrade("head")
            try:
                yield pg
            finally:
                db.engine().dispose()
                with contextlib.suppress(subprocess.CalledProcessError):
                    pg.stop()
    finally:
        db.use_database(saved)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.production
def test_postgres_down_cached_codes_redirect_and_events_wait(own_postgres, start_edge):
    accounts.create_user_cli(email="pgdown@example.com", password="pg down password 1", name="PG")
    ws = workspaces.list_all()[0][0]
    code = qrcodes.create(
        actor=operator_actor(str(ws.id)),
        data=qrcodes.CodeInput(name="P", destination="https://example.com/p"),
    )
    edge = start_edge(DATABASE_URL=own_postgres.url, EDGE_CACHE_SECONDS="1")
    for _ in range(5):
        assert edge.get(f"/{code.short_code}").status_code == 302

    db.engine().dispose()
    own_postgres.stop()
    for _ in range(20):  # spread past the in-process TTL: the Redis snapshot serves
        r = edge.get(f"/{code.short_code}")
        assert r.status_code == 302
        assert r.headers["location"] == "https://example.com/p"
        time.sleep(0.1)  # spread on purpose: the scans outlive the 1 s cache
    stream = consumer_backend()

    def in_stream() -> int:
        waiting = stream.client.xrange(stream.key)
        return sum(len(fields[b"e"].split(b"\n")) for _id, fields in waiting)

    eventually(lambda: in_stream() == 25)  # the edge flushed every scan into the stream
    with pytest.raises(ingest.DatabaseUnavailable):
        ingest.run_once()
    assert in_stream() == 25  # nothing acknowledged, nothing lost

    own_postgres.start()
    time.sleep(1.1)  # the failed batch is reclaimable after INGEST_CLAIM_IDLE_MS
    assert drain(25) == 25
    assert drain(26, timeout=2) == 25
    assert scan_count() == 25
