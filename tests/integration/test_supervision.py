"""The embedded product under supervisord, started from the configuration scripts/run
generates (qrapp.processes.supervisor): each process killed with SIGKILL in turn while
phones scan is restarted on its own, the others keep serving, every answered scan is
stored, and SIGTERM to supervisord (Ctrl-C on scripts/run) leaves no process behind.

The web process is included: its first start builds the frontend (about a minute on two
cores); its restart serves that build again (qrapp.processes.web) in seconds.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx
import psutil
import pytest
import sqlalchemy as sa

from tests.support.processes import (
    free_port,
    migrate,
    start_supervised,
    supervised_pids,
    tool_env,
    wait_http,
)
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
T = TypeVar("T")


def wait_for(what: str, check: Callable[[], T], timeout: float, log: Path) -> T:
    return eventually(
        check, timeout, interval=0.2, message=lambda: f"{what}\n{log.read_text()[-4000:]}"
    )


class ScanLoad(threading.Thread):
    """A phone scanning one short link in a loop. It can pause with no request in
    flight, and notes when a request failed."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.answered = 0
        self.failed_at: list[float] = []
        self.unexpected: list[int] = []
        self._go = threading.Event()
        self._idle = threading.Event()
        self._done = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=5, headers={"user-agent": IPHONE}) as client:
            while not self._done.is_set():
                if not self._go.is_set():
                    self._idle.set()
                    self._go.wait(0.1)
                    continue
                self._idle.clear()
                try:
                    status = client.get(self.url).status_code
                except httpx.HTTPError:
                    self.failed_at.append(time.monotonic())
                    time.sleep(0.05)  # back off a little while the edge restarts
                    continue
                if status == 302:
                    self.answered += 1
                else:
                    self.unexpected.append(status)

    def resume(self) -> None:
        self._idle.clear()
        self._go.set()

    def pause(self) -> None:
        self._go.clear()
        assert self._idle.wait(10), "the scan loop did not pause"

    def finish(self) -> None:
        self.pause()
        self._done.set()
        self.join(10)


def test_each_process_killed_comes_back_while_scans_go_on(tmp_path):
    web_port, edge_port = free_port(), free_port()
    app_url, edge_url = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{edge_port}"
    marker = uuid.uuid4().hex
    db_url = f"sqlite:///{tmp_path / 'qrapp.sqlite'}"
    env = {
        **tool_env(),
        "QRAPP_ENV": "test",
        "DATABASE_URL": db_url,
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
        "REDIS_URL": "",
        "SCAN_QUEUE_PATH": str(tmp_path / "scan-queue.sqlite"),
        "SCAN_SPOOL_PATH": str(tmp_path / "scan-spool.sqlite"),
        "SMTP_HOST": "",
        "WEB_HOST": "127.0.0.1",
        "WEB_PORT": str(web_port),
        "EDGE_PORT": str(edge_port),
        "EDGE_WORKERS": "1",
        "APP_URL": app_url,
        "EDGE_URL": edge_url,
        # Every process of this product carries it, so the end can look for leftovers.
        "QRAPP_SUPERVISION_TEST": marker,
    }
    migrate(env, tmp_path / "migrate.log")

    def cli(*args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "qrapp", *args],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout

    cli(
        "user",
        "create",
        "--email",
        "owner@example.com",
        "--name",
        "Owner",
        "--password",
        "supervised scans 2026",
    )
    workspace = cli("workspace", "list").split()[0]
    short = cli("qr", "create", "--workspace", workspace, "--name", "Poster", "--url",
                "https://example.com/menu", "--alias", "menu").strip()  # fmt: skip
    assert short.endswith("/menu")

    engine = sa.create_engine(db_url)

    def stored() -> int:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM scan_event")).scalar_one()

    log = tmp_path / "supervisord.log"
    sup = start_supervised(env, tmp_path / "var", log)
    load = ScanLoad(f"{edge_url}/menu")
    try:
        wait_http(f"{edge_url}/healthz", 60, sup, log)
        wait_http(f"{app_url}/healthz", 420, sup, log)
        wait_http(f"{app_url}/login", 60, sup, log)
        pids = wait_for(
            "four programs running",
            lambda: (
                (p := supervised_pids(sup.pid)).keys() == {"web", "edge", "ingest", "worker"} and p
            ),
            30,
            log,
        )
        # Beat runs as a thread of the worker in the embedded default.
        wait_for(
            "beat started inside the worker",
            lambda: re.search(r"^worker +\| .*beat: Starting", log.read_text(), re.M),
            60,
            log,
        )
        load.start()
        load.resume()
        wait_for("scans answered and stored", lambda: load.answered > 50 and stored() > 0, 60, log)

        edge_down: tuple[float, float] | None = None
        for name in ("edge", "ingest", "worker", "web"):
            old = pids[name]
            readies = len(re.findall(r"^worker +\| .* ready\.$", log.read_text(), re.M))
            if name == "edge":
                # A SIGKILL loses what the edge answered in its last EDGE_FLUSH_MS (README);
                # with the scans paused until all are stored, every answered scan must be.
                load.pause()
                wait_for("answered scans stored", lambda: stored() == load.answered, 60, log)
                down_from = time.monotonic()
                os.kill(old, signal.SIGKILL)
                load.resume()
            else:
                os.kill(old, signal.SIGKILL)
            stored_at_kill = stored()
            new = wait_for(
                f"{name} restarted",
                lambda n=name, o=old: (p := supervised_pids(sup.pid).get(n)) != o and p,
                60,
                log,
            )
            assert psutil.Process(new).is_running()
            if name == "edge":
                wait_http(f"{edge_url}/healthz", 60, sup, log)
                edge_down = (down_from, time.monotonic())
            elif name == "web":
                wait_http(f"{app_url}/healthz", 120, sup, log)
                page = httpx.get(f"{app_url}/login", timeout=10, follow_redirects=True)
                assert page.status_code == 200
                assert "<html" in page.text  # the built frontend
                assert "restarting the web app on the build made at this supervisord" in (
                    log.read_text()
                )
            elif name == "ingest":
                wait_for("scans stored again", lambda s=stored_at_kill: stored() > s, 60, log)
            else:
                wait_for(
                    "the worker ready again",
                    lambda r=readies: (
                        len(re.findall(r"^worker +\| .* ready\.$", log.read_text(), re.M)) > r
                    ),
                    60,
                    log,
                )
            pids[name] = new
            # The others kept serving: scans go on being answered.
            answered = load.answered
            wait_for("scans answered", lambda a=answered: load.answered > a + 20, 30, log)

        load.finish()
        assert load.unexpected == []
        assert edge_down is not None
        # Scans failed only while the edge itself was down.
        assert all(edge_down[0] <= t <= edge_down[1] for t in load.failed_at), load.failed_at
        wait_for("every answered scan stored", lambda: stored() == load.answered, 60, log)
        assert stored() == load.answered

        # Ctrl-C on scripts/run: supervisord stops every process and its children.
        sup.send_signal(signal.SIGTERM)
        assert sup.wait(120) == 0
        wait_for("no process left", lambda: not _processes_with(marker), 30, log)
    finally:
        if load.is_alive():
            load.finish()
        engine.dispose()
        if sup.poll() is None:
            sup.kill()
        for p in _processes_with(marker):
            p.kill()


def _processes_with(marker: str) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter():
        try:
            if p.status() != psutil.STATUS_ZOMBIE and (
                p.environ().get("QRAPP_SUPERVISION_TEST") == marker
            ):
                found.append(p)
        except psutil.Error:
            continue
    return found
