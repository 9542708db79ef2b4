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


@dataclass(frozen=True)
class Delivery:
    id: str  # the backend's message id (Redis stream id, or the queue row id)
    raw: str
    deliveries: int  # how often it has been handed out, this time included


class StreamConsumer(Protocol):
    def read(self, consumer: str, count: int, block_ms: int) -> list[Delivery]: ...

    def reclaim(self, consumer: str, min_idle_ms: int, count: int) -> list[Delivery]: ...

    def ack(self, ids: list[str]) -> None: ...

    def dead_letter(self, items: list[Delivery], reason: str) -> None: ...

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
