"""The scan stream between the edge (producer) and the ingest (consumer).

Two backends with one interface: a Redis stream with a consumer group in production, and
a durable SQLite queue file in the embedded default. The same SQLite queue is the edge's
spool while Redis is unreachable; the edge replays it into Redis when Redis is back.
Messages are JSON texts; the ingest dedups on the event id, so at-least-once delivery
(replays, reclaims) never counts a scan twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

CHUNK = 100  # events per stream message, one JSON per line


def chunks(payloads: list[str], size: int = CHUNK) -> list[str]:
    """Newline-joined groups of event JSON (JSON text never holds a raw newline)."""
    return ["\n".join(payloads[i : i + size]) for i in range(0, len(payloads), size)]


@dataclass(frozen=True)
class Delivery:
    id: str  # the backend's message id (Redis stream id, or the queue row id)
    raw: str  # one or more event JSONs, one per line
    deliveries: int  # how often it has been handed out, this time included


class StreamConsumer(Protocol):
    def read(self, consumer: str, count: int, block_ms: int) -> list[Delivery]: ...

    def reclaim(self, consumer: str, min_idle_ms: int, count: int) -> list[Delivery]: ...

    def ack(self, ids: list[str]) -> None: ...

    def dead_letter(self, raws: list[str], reason: str) -> None: ...

    def pending(self) -> int: ...


def consumer_backend() -> StreamConsumer:
    """The backend the settings choose: Redis when REDIS_URL is set, else the local queue."""
    from qrapp.settings import get_settings

    settings = get_settings()
    if settings.redis_url:
        from qrapp.scanstream.redis_stream import RedisStream

        return RedisStream.from_settings()
    from qrapp.scanstream.local import LocalQueue

    return LocalQueue(settings.scan_queue_path)
