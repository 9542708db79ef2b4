"""Rate limits per API key: GCRA (the generic cell rate algorithm), exact, behind one
interface: in Redis with a Lua script when REDIS_URL is set (every API process shares
it), in process otherwise (the embedded default runs the API in one process).

GCRA keeps one number per key, the theoretical arrival time (TAT). A plan allowing N
requests per window W (60 s) spaces them T = W / N apart and tolerates a burst of N: a
request at `now` passes when TAT - W + T <= now, and moves TAT to max(TAT, now) + T. So
exactly N pass at once from rest, then one more every T; nothing is approximated.

The Redis script also returns the API-key generation (services.api_key_cache): the one
round trip that counts a request tells the process whether a key was revoked or rotated
since it cached it.
"""

from __future__ import annotations

import asyncio
import functools
import math
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Protocol

from qrapp.api.v1.script_batches import ScriptBatcher
from qrapp.services.api_key_cache import GENERATION_KEY
from qrapp.settings import get_settings


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # until the full allowance is back
    retry_after: int  # seconds until a refused request would pass (0 when allowed)
    generation: object = None  # the key generation (Redis), else None

    def headers(self) -> list[tuple[bytes, bytes]]:
        out = [
            (b"x-ratelimit-limit", str(self.limit).encode()),
            (b"x-ratelimit-remaining", str(self.remaining).encode()),
            (b"x-ratelimit-reset", str(self.reset_seconds).encode()),
        ]
        if not self.allowed:
            out.append((b"retry-after", str(self.retry_after).encode()))
        return out


class Limiter(Protocol):
    async def hit(self, key: str, limit: int) -> Decision: ...

    async def generation(self) -> object:
        """The API-key generation alone (a refused key's second look), else None."""
        ...


def _decide(tat: float, now: float, limit: int, window: float) -> tuple[Decision, float]:
    """(decision, new TAT) for one request; times in seconds."""
    interval = window / limit
    tat = max(tat, now)
    new_tat = tat + interval
    allow_at = new_tat - window
    if allow_at > now + 1e-9:
        return (
            Decision(
                False,
                limit,
                0,
                math.ceil(tat - now),
                max(1, math.ceil(allow_at - now)),
            ),
            tat,
        )
    remaining = math.floor((window - (new_tat - now)) / interval + 1e-9)
    return Decision(True, limit, remaining, math.ceil(new_tat - now), 0), new_tat


class LocalGCRA:
    """In-process GCRA (one process's requests only: the embedded default)."""

    def __init__(self, window: float | None = None) -> None:
        self.window = float(window or get_settings().api_rate_window_seconds)
        self._tat: dict[str, float] = {}
        self._lock = threading.Lock()

    async def hit(self, key: str, limit: int) -> Decision:
        now = time.monotonic()
        with self._lock:
            decision, self._tat[key] = _decide(self._tat.get(key, now), now, limit, self.window)
            if len(self._tat) > 100_000:  # keys at rest have a TAT in the past: forget them
                self._tat = {k: t for k, t in self._tat.items() if t > now}
        return decision

    async def generation(self) -> object:
        return None  # one process: the key cache's marker file carries the changes


# Times in milliseconds from Redis's own clock (TIME), so every process agrees.
_SCRIPT = """
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = window / limit
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - window
local gen = redis.call('GET', KEYS[2]) or '0'
if allow_at > now then
  return {0, 0, math.ceil(tat - now), math.ceil(allow_at - now), gen}
end
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil(new_tat - now) + 1)
local remaining = math.floor((window - (new_tat - now)) / interval + 1e-9)
return {1, remaining, math.ceil(new_tat - now), 0, gen}
"""


class RedisGCRA:
    """GCRA in Redis: one atomic script per request, shared by every API process."""

    def __init__(self, url: str, window: float | None = None) -> None:
        self.url = url
        self.window_ms = int(1000 * (window or get_settings().api_rate_window_seconds))
        # redis.asyncio clients belong to one event loop: one client per loop.
        self._batchers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _script(self) -> ScriptBatcher:
        loop = asyncio.get_running_loop()
        batcher = self._batchers.get(loop)
        if batcher is None:
            import redis.asyncio as aredis

            client = aredis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
            batcher = self._batchers[loop] = ScriptBatcher(client, _SCRIPT)
        return batcher

    async def generation(self) -> object:
        # The same bytes the script returns, so KeyCache.observe compares like with like.
        return await self._script().client.get(GENERATION_KEY) or b"0"

    async def hit(self, key: str, limit: int) -> Decision:
        # Requests arriving together share one pipeline (script_batches.py).
        allowed, remaining, reset_ms, retry_ms, gen = await self._script()(
            [f"qrapp:api:rl:{key}", GENERATION_KEY], [self.window_ms, limit]
        )
        return Decision(
            bool(allowed),
            limit,
            int(remaining),
            math.ceil(int(reset_ms) / 1000),
            max(1, math.ceil(int(retry_ms) / 1000)) if not allowed else 0,
            gen,
        )


@functools.cache
def _limiter(redis_url: str, window: float) -> Limiter:
    return RedisGCRA(redis_url, window) if redis_url else LocalGCRA(window)


def limiter() -> Limiter:
    s = get_settings()
    return _limiter(s.redis_url, s.api_rate_window_seconds)
