"""The production scan stream: one Redis stream, one consumer group ("ingest").

Entries carry one field, `e`: the JSON of up to CHUNK events, one per line (one XADD per
chunk instead of per event keeps the edge's flush cheap). Consumers read with XREADGROUP,
ack and delete after the database commit, and take over entries that a dead consumer
left pending (XAUTOCLAIM) once they have been idle for a while. Events that can never be
stored go to `<stream>:dead` with the reason.

A Redis that comes back without its data (no persistence, a failover to an empty replica)
has lost the stream and the group; the edges' next XADD makes a new stream without the
group. Consumers then get NOGROUP: they recreate the group at once, from id 0, so every
event appended since is read (the README's production notes ask for `appendonly yes`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

import redis

from qrapp.scanstream import Delivery
from qrapp.settings import get_settings

GROUP = "ingest"

log = logging.getLogger(__name__)
T = TypeVar("T")

# redis-py types every reply as `Awaitable[Any] | Any` (one signature for its sync and
# asyncio clients); this client is synchronous, so replies are cast to what Redis sends.


class RedisStream:
    def __init__(self, client: redis.Redis, key: str) -> None:
        self.client = client
        self.key = key
        self.dead_key = f"{key}:dead"
        self._group_ready = False

    @classmethod
    def from_settings(cls) -> RedisStream:
        settings = get_settings()
        client = redis.Redis.from_url(
            settings.redis_url, socket_timeout=10, socket_connect_timeout=2
        )
        return cls(client, settings.scan_stream_key)

    def ensure_group(self) -> None:
        if self._group_ready:
            return
        try:
            self.client.xgroup_create(self.key, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        else:
            # Said on every creation, not only after NOGROUP: a consumer that lost its
            # connection while Redis restarted empty (or one started afterwards) creates
            # the group here without ever seeing NOGROUP, and the loss must still show.
            log.warning(
                "scan stream %s had no consumer group %r: created it from id 0 (a first "
                "start, or Redis lost its consumer group in a restart without its data)",
                self.key,
                GROUP,
            )
        self._group_ready = True

    def _in_group(self, command: Callable[[], T]) -> T:
        """Run a group command; if Redis lost the group, recreate it and run it again."""
        self.ensure_group()
        try:
            return command()
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
        log.warning(
            "scan stream %s lost its consumer group %r (Redis restarted without its data?): "
            "recreating it; events the stream held and the ingest had not read are gone",
            self.key,
            GROUP,
        )
        self._group_ready = False
        self.ensure_group()
        return command()

    def append_only(self) -> bool | None:
        """Whether this Redis logs every write to disk (`appendonly yes`); None when it
        refuses CONFIG (managed services often rename or disable it)."""
        try:
            config = cast(dict[Any, Any], self.client.config_get("appendonly"))
        except redis.ResponseError:
            return None
        value = config.get("appendonly", config.get(b"appendonly", b""))
        return (value.decode() if isinstance(value, bytes) else str(value)) == "yes"

    # --- producer ----------------------------------------------------------------------
    def append(self, payloads: list[str]) -> None:
        if not payloads:
            return
        pipe = self.client.pipeline(transaction=False)
        for p in payloads:
            pipe.xadd(self.key, {"e": p})
        pipe.execute()

    # --- consumer ----------------------------------------------------------------------
    def _deliveries(self, entries, counts: dict[str, int]) -> list[Delivery]:
        out = []
        for entry_id, fields in entries:
            if fields is None:  # deleted while pending
                continue
            eid = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
            raw = fields.get(b"e") or fields.get("e") or b""
            raw = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
            out.append(Delivery(eid, raw, counts.get(eid, 1)))
        return out

    def read(self, consumer: str, count: int, block_ms: int = 0) -> list[Delivery]:
        result = self._in_group(
            lambda: cast(
                list[Any],
                self.client.xreadgroup(
                    GROUP, consumer, {self.key: ">"}, count=count, block=block_ms or None
                ),
            )
        )
        entries = result[0][1] if result else []
        return self._deliveries(entries, {})

    def reclaim(self, consumer: str, min_idle_ms: int, count: int) -> list[Delivery]:
        return self._in_group(lambda: self._reclaim(consumer, min_idle_ms, count))

    def _reclaim(self, consumer: str, min_idle_ms: int, count: int) -> list[Delivery]:
        _next, entries, *_ = cast(
            list[Any],
            self.client.xautoclaim(
                self.key, GROUP, consumer, min_idle_time=min_idle_ms, start_id="0-0", count=count
            ),
        )
        if not entries:
            return []
        ids = [e[0] for e in entries]
        pending = cast(
            list[dict[str, Any]],
            self.client.xpending_range(
                self.key, GROUP, min=min(ids), max=max(ids), count=len(ids) * 2 + 10
            ),
        )
        counts = {
            (
                p["message_id"].decode() if isinstance(p["message_id"], bytes) else p["message_id"]
            ): int(p["times_delivered"])
            for p in pending
        }
        return self._deliveries(entries, counts)

    def ack(self, ids: list[str]) -> None:
        if ids:
            pipe = self.client.pipeline(transaction=True)
            pipe.xack(self.key, GROUP, *ids)
            pipe.xdel(self.key, *ids)
            pipe.execute()

    def dead_letter(self, raws: list[str], reason: str) -> None:
        """Keep events that can never be stored (acknowledging is the caller's)."""
        if raws:
            pipe = self.client.pipeline(transaction=False)
            for raw in raws:
                pipe.xadd(self.dead_key, {"e": raw, "reason": reason[:500]})
            pipe.execute()

    def pending(self) -> int:
        return int(cast(int, self.client.xlen(self.key)))
