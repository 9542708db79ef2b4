"""A redis-server of a test's own on a free port, so killing it disturbs no other test."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.processes import free_port
from tests.support.waiting import eventually


class OwnRedis:
    """persist=True: append-only with fsync always (a restart keeps every write);
    persist=False: no persistence at all (a restart comes back empty)."""

    def __init__(self, folder: Path, *, persist: bool = True, extra: tuple[str, ...] = ()) -> None:
        self.port, self.folder = free_port(), folder
        self.persist, self.extra = persist, extra
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        durability = ["--appendonly", "yes", "--appendfsync", "always"]
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                *(durability if self.persist else ["--appendonly", "no"]),
                "--dir",
                str(self.folder),
                *self.extra,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port)

        def answers() -> bool:
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        eventually(answers, 5, message="redis did not start")

    def kill(self) -> None:
        """SIGKILL, as a crash or an out-of-memory kill would."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.kill()

    def client(self):
        import redis

        return redis.Redis(port=self.port)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"
