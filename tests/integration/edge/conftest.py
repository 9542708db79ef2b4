"""Edge integration fixtures: real uvicorn edge processes over the backend's database
(and Redis with PostgreSQL), a workspace owner, codes, and draining the scan stream."""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from qrapp.db import engine
from qrapp.services.codes import qrcodes
from qrapp.services.scans import ingest
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.environment import patched_env
from tests.support.processes import free_port, start, stop, wait_http

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


@pytest.fixture
def edge_env(clean_db, tmp_path) -> Iterator[dict[str, str]]:
    env = {
        "SCAN_QUEUE_PATH": str(tmp_path / "scan-queue.sqlite"),
        "SCAN_SPOOL_PATH": str(tmp_path / "scan-spool.sqlite"),
        "SCAN_STREAM_KEY": f"qrapp:test-scans:{uuid.uuid4().hex[:8]}",
        "EDGE_TRUSTED_PROXIES": "127.0.0.1",
        "EDGE_FLUSH_MS": "20",
        "INGEST_CLAIM_IDLE_MS": "1000",
        "SECRET_KEY": "edge-test-secret-" + "x" * 20,
        "EDGE_URL": "http://edge.qrapp.test",
    }
    with patched_env(env):
        try:
            yield {**clean_db, **env, "tmp_path": str(tmp_path)}
        finally:
            if clean_db.get("REDIS_URL"):
                import redis

                r = redis.Redis.from_url(clean_db["REDIS_URL"])
                r.delete(env["SCAN_STREAM_KEY"], env["SCAN_STREAM_KEY"] + ":dead")
                for key in r.scan_iter("qrapp:link:*"):
                    r.delete(key)
                r.close()


class EdgeProcess:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc = start(
            [
                sys.executable,
                "-m",
                "qrapp.edge",
                "--port",
                str(self.port),
            ],
            env,
            log,
        )
        wait_http(self.url + "/healthz", 30, self.proc, log)
        self.client = httpx.Client(base_url=self.url, follow_redirects=False, timeout=30)

    def get(self, path: str, ua: str = IPHONE, **kw) -> httpx.Response:
        headers = {"user-agent": ua, **kw.pop("headers", {})}
        return self.client.get(path, headers=headers, **kw)

    def stop(self) -> None:
        self.client.close()
        stop(self.proc)


@pytest.fixture
def start_edge(edge_env, tmp_path) -> Iterator[Callable[..., EdgeProcess]]:
    started: list[EdgeProcess] = []

    def _start(**extra: str) -> EdgeProcess:
        env = {k: os.environ[k] for k in os.environ} | extra
        e = EdgeProcess(env, tmp_path / f"edge{len(started)}.log")
        started.append(e)
        return e

    yield _start
    for e in started:
        e.stop()


@pytest.fixture
def edge(start_edge) -> EdgeProcess:
    return start_edge()


@pytest.fixture
def owner(edge_env):
    return actor(sign_up_and_session(f"owner-{uuid.uuid4().hex[:6]}@example.com", "Owner"))


@pytest.fixture
def make_code(owner):
    def _make(url: str = "https://example.com/landing", alias: str = "", **validity):
        code = qrcodes.create(
            actor=owner,
            data=qrcodes.CodeInput(name="Poster", destination=url, alias=alias),
        )
        if validity:
            code = qrcodes.set_validity(actor=owner, code_id=code.id, **validity)
        return code

    return _make


def scan_count(where: str = "1=1") -> int:
    with engine().connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM scan_event WHERE {where}")).scalar()  # noqa: S608


def drain(expected: int, timeout: float = 20) -> int:
    """Run the ingest until `expected` scan events are stored (or time runs out)."""
    deadline = time.monotonic() + timeout
    while True:
        ingest.run_once(block_ms=100)
        n = scan_count()
        if n >= expected or time.monotonic() > deadline:
            return n
