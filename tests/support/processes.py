"""Start and stop the product's real processes from tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("ab")
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stop() ends its children too
    )


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def wait_http(url: str, timeout: float, proc: subprocess.Popen, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited early:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {timeout}s:\n{log.read_text()[-4000:]}")


def celery_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return start(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "workers.celery_app",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "1",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"test{os.getpid()}@%h",
        ],
        env,
        log,
    )


def redis_db_url(base: str, db: int) -> str:
    """Each suite uses its own Redis database, so one suite's worker never takes
    another suite's tasks."""
    return base.rsplit("/", 1)[0] + f"/{db}"


def migrate(env: dict[str, str], log: Path) -> None:
    start([sys.executable, "-m", "qrapp", "db", "upgrade"], env, log).wait(120)


def start_web(
    env: dict[str, str], port: int, log: Path, loglevel: str = "info"
) -> subprocess.Popen:
    """The production build of the web app on one port, as the Procfile runs it."""
    return start(
        [
            sys.executable,
            "-m",
            "reflex",
            "run",
            "--env",
            "prod",
            "--single-port",
            "--backend-host",
            "127.0.0.1",
            "--frontend-port",
            str(port),
            "--loglevel",
            loglevel,
        ],
        env,
        log,
    )
