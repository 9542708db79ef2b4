"""Start and stop the product's real processes from tests."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
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

    from tests.support.waiting import eventually

    def answers() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited early:\n{log.read_text()[-4000:]}")
        try:
            return httpx.get(url, timeout=2).status_code < 500
        except httpx.HTTPError:
            return False

    eventually(answers, timeout, interval=0.5, message=lambda: log.read_text()[-4000:])


def declare_broker_queue(broker_url: str) -> None:
    """Make the SQLite broker's tables and default queue row before anyone else does:
    a worker and a web process starting at once each insert the row, and the loser stops
    on `UNIQUE constraint failed: kombu_queue.name`."""
    if not broker_url.startswith("sqla+"):
        return
    from kombu import Connection, Queue

    with Connection(broker_url) as conn:
        Queue("celery").bind(conn.default_channel).declare()


def celery_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    declare_broker_queue(env.get("CELERY_BROKER_URL", ""))
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
    """The production build of the web app on one port, started as scripts/run starts it
    (qrapp.processes.programs: one process in the embedded default, Reflex's Granian
    workers when REDIS_URL is set)."""
    from qrapp.processes.programs import web_command

    command = web_command({**os.environ, **env}, host="127.0.0.1", port=port, loglevel=loglevel)
    return start(command, env, log)


@functools.cache
def _npm_registry() -> str | None:
    npm = shutil.which("npm")
    if not npm:
        return None
    out = subprocess.run([npm, "config", "get", "registry"], capture_output=True, text=True)
    return out.stdout.strip() or None


def tool_env() -> dict[str, str]:
    """What scripts/lib/common.sh sets up for Reflex (ensure_bun, reflex_env), for a
    process started from Python: bun from .tools/ (Reflex must never download it), no
    telemetry or version check, the npm registry this machine reaches (Reflex would
    otherwise probe mirror registries), and this checkout first on the import path."""
    env = {
        "PATH": f"{ROOT / '.tools' / 'bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    if registry := os.environ.get("NPM_CONFIG_REGISTRY") or _npm_registry():
        env["NPM_CONFIG_REGISTRY"] = registry
    return env


def start_supervised(env: dict[str, str], var_dir: Path, log: Path) -> subprocess.Popen:
    """supervisord with the configuration scripts/run generates, for `env` on top of this
    process's environment (its files in var_dir)."""
    from qrapp.processes import supervisor

    full = {**os.environ, **env}
    conf = supervisor.write(var_dir / "supervisord.conf", full)
    return start([sys.executable, "-m", "supervisor.supervisord", "-c", str(conf)], env, log)


def supervised_pids(supervisord_pid: int) -> dict[str, int]:
    """Program name -> pid of each process supervisord runs now (supervisord tells each
    child its program name in SUPERVISOR_PROCESS_NAME)."""
    import psutil

    found = {}
    for child in psutil.Process(supervisord_pid).children():
        with contextlib.suppress(psutil.Error):
            if name := child.environ().get("SUPERVISOR_PROCESS_NAME"):
                found[name] = child.pid
    return found
