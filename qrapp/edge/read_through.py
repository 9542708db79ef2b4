"""What the edge's two resolvers share (edge.links for codes, edge.page_cache for landing
pages): the in-process LRU with expiry, the Redis breaker, the embedded default's
change-marker file, and the read-through fill memory -> Redis -> database that writes
back to Redis only when no change was announced while the database was read.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from qrapp.cachebus import marker_mtime

log = logging.getLogger(__name__)

REDIS_TTL_SECONDS = 60
# SET the snapshot only if the version is the one read before the database was: a change
# announced in between (cachebus) would otherwise be undone for REDIS_TTL_SECONDS.
SET_IF_UNCHANGED = """
if (redis.call('GET', KEYS[1]) or '') == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""

V = TypeVar("V")
T = TypeVar("T")


class LinkCache(Generic[V]):
    """LRU with expiry. None is cached too (unknown codes and pages), so floods of random
    keys do not reach the database more than once per TTL each."""

    def __init__(self, ttl: float, size: int) -> None:
        self.ttl, self.size = ttl, size
        self._items: OrderedDict[tuple[str, str], tuple[float, V | None]] = OrderedDict()

    def get(self, key: tuple[str, str], now: float) -> tuple[bool, V | None]:
        item = self._items.get(key)
        if item is None or item[0] < now:
            return False, None
        return True, item[1]

    def put(self, key: tuple[str, str], value: V | None, now: float) -> None:
        self._items[key] = (now + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def drop(self, key: tuple[str, str]) -> None:
        self._items.pop(key, None)

    def drop_where(self, doomed: Callable[[V], bool]) -> None:
        """Drop every cached value (not the cached Nones) that `doomed` picks."""
        for key in [k for k, (_, v) in self._items.items() if v is not None and doomed(v)]:
            del self._items[key]

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class Breaker:
    """After a Redis failure, skip Redis for a moment instead of waiting on every request."""

    def __init__(self, pause: float = 2.0) -> None:
        self.pause = pause
        self.open_until = 0.0

    def ok(self) -> bool:
        return time.monotonic() >= self.open_until

    def trip(self) -> None:
        self.open_until = time.monotonic() + self.pause


class ChangeMarker:
    """The embedded default's cache bus: a file whose mtime moves on every change
    (qrapp.cachebus). `moved()` stats it at most once per 50 ms, not per request: a change
    is seen within that."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._mtime = self._stat()
        self._checked = 0.0

    def _stat(self) -> int:
        return marker_mtime(self.path)

    def moved(self) -> bool:
        if self.path is None:
            return False
        now = time.monotonic()
        if now < self._checked + 0.05:
            return False
        self._checked = now
        mtime = self._stat()
        if mtime == self._mtime:
            return False
        self._mtime = mtime
        return True


async def read_through(
    redis: Any,
    breaker: Breaker,
    rkey: str,
    vkey: str,
    load: Callable[[], Any],
    what: str,
) -> tuple[Any, bool]:
    """The snapshot from Redis (`rkey`), else `load()` from the database in a thread and
    written back to Redis if the version counter `vkey` did not move meanwhile; and
    whether it may be cached in process (False when it moved). A Redis failure trips the
    breaker and falls back to the database."""
    version = None
    use_redis = redis is not None and breaker.ok()
    if use_redis:
        try:
            raw, version = await redis.mget(rkey, vkey)
            if raw:
                return json.loads(raw), True
        except Exception:
            use_redis = False
            breaker.trip()
            log.warning("redis unavailable for %s lookups; using the database", what)
    snap = await asyncio.to_thread(load)
    current = True
    if use_redis and breaker.ok() and snap is not None:
        try:
            current = bool(
                await redis.eval(
                    SET_IF_UNCHANGED,
                    2,
                    vkey,
                    rkey,
                    version or b"",
                    json.dumps(snap),
                    REDIS_TTL_SECONDS,
                )
            )
        except Exception:
            breaker.trip()
    return snap, current


async def one_fill_per_key(
    inflight: dict[tuple[str, str], asyncio.Future],
    key: tuple[str, str],
    fill: Callable[[], Awaitable[T]],
) -> T:
    """`fill()`, run once for `key` at a time: callers that arrive while it runs await the
    same result (a burst of requests for a cold code or page makes one lookup)."""
    pending = inflight.get(key)
    if pending is not None:
        return await asyncio.shield(pending)
    fut = asyncio.get_running_loop().create_future()
    inflight[key] = fut
    try:
        value = await fill()
        fut.set_result(value)
        return value
    except BaseException as exc:
        fut.set_exception(exc)
        fut.exception()  # mark retrieved
        raise
    finally:
        inflight.pop(key, None)
