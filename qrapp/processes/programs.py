"""Which processes make up the product, and the command line of each.

The embedded default (no REDIS_URL) is one person's product on one machine, so it runs
lean: the web app in one process (`qrapp.processes.web`), the Celery worker with the
solo pool and beat as a thread inside it. Production (REDIS_URL set) keeps Reflex's
Granian workers, a prefork worker pool and one separate beat, each scaled on its own.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Program:
    name: str
    argv: list[str]
    # Seconds it may take to stop gracefully before the supervisor kills its process group.
    stop_seconds: int = 20


def is_embedded(env: Mapping[str, str]) -> bool:
    return not env.get("REDIS_URL")


def web_command(
    env: Mapping[str, str], *, host: str, port: int, loglevel: str = "warning"
) -> list[str]:
    """The web process: the production build on one port, served in one process in the
    embedded default, by Reflex's Granian workers in production."""
    args = ["--backend-host", host, "--frontend-port", str(port), "--loglevel", loglevel]
    if is_embedded(env):
        return [sys.executable, "-m", "qrapp.processes.web", *args]
    return [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port", *args]


def programs(env: Mapping[str, str], var_dir: Path) -> list[Program]:
    """The processes `./scripts/run` supervises, for the settings in `env`."""
    py = sys.executable
    host = env.get("WEB_HOST", "127.0.0.1")
    embedded = is_embedded(env)
    web = web_command(env, host=host, port=int(env.get("WEB_PORT", "3000")))
    celery = [py, "-m", "celery", "-A", "workers.celery_app"]
    schedule = str(var_dir / "celerybeat-schedule")
    worker = [*celery, "worker", "--loglevel", "INFO", "--hostname", "worker@%h"]
    if embedded and not env.get("WORKER_CONCURRENCY"):
        # One process: the mail and purge jobs of one person's product never need a pool,
        # and a prefork pool plus a beat process cost about 150 MB more.
        worker += [
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--beat-thread",
            "--schedule-filename",
            schedule,
        ]
    else:
        worker += ["--concurrency", env.get("WORKER_CONCURRENCY") or "1"]
        if embedded:
            worker += ["--beat-thread", "--schedule-filename", schedule]
    found = [
        Program("web", web),
        Program(
            "edge",
            [
                py,
                "-m",
                "qrapp.edge",
                "--host",
                host,
                "--port",
                env.get("EDGE_PORT", "8080"),
                "--workers",
                env.get("EDGE_WORKERS", "1"),
            ],
        ),
        Program("ingest", [py, "-m", "qrapp", "scans", "ingest"]),
        # A warm shutdown lets the running task finish.
        Program("worker", worker, stop_seconds=60),
    ]
    if not embedded:
        # REST v1 on its own (API_PORT): integrators' traffic never shares the dashboard's
        # event loop. The embedded default serves it at /api/v1 inside the web process.
        found.insert(
            2,
            Program(
                "api",
                [
                    py,
                    "-m",
                    "qrapp.api",
                    "--host",
                    host,
                    "--port",
                    env.get("API_PORT", "8002"),
                    "--workers",
                    env.get("API_WORKERS", "1"),
                ],
            ),
        )
        # Exactly one beat per deployment (README, production notes).
        found.append(
            Program("beat", [*celery, "beat", "--loglevel", "INFO", "--schedule", schedule])
        )
    return found
