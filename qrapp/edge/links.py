"""Resolving a short code: in-process cache (seconds) -> Redis -> database.

The snapshot is built once per cache fill: rules become core.rules.Rule objects and every
destination is re-checked with the same rules as on save, so a bad row put straight into
the database is never sent as a Location (the code answers 4xx instead).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from qrapp.cachebus import changes_marker_path, link_cache_key, link_version_key
from qrapp.core import scan_decision
from qrapp.core.destinations import sendable
from qrapp.core.rules import Rule
from qrapp.services.codes import code_access
from qrapp.services.codes.code_access import LinkSnapshot
from qrapp.services.hosts import own_hosts
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

REDIS_TTL_SECONDS = 60
# SET the snapshot only if the code's version is the one read before the database was:
# a change announced in between (cachebus) would otherwise be undone for REDIS_TTL_SECONDS.
_SET_IF_UNCHANGED = """
if (redis.call('GET', KEYS[1]) or '') == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""


@dataclass(slots=True)
class Link:
    id: uuid.UUID
    id_str: str
    workspace_id: str
    short_code: str
    domain: str
    name: str
    destination: str
    status: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    schedule: dict[str, Any] | None
    max_scans: int | None
    one_scan_per_visitor: bool
    password_hash: str
    fallback_url: str
    utm: dict[str, str]
    design: dict[str, Any]
    updated_at: float
    rules: list[Rule]
    safe: frozenset[str] = field(default_factory=frozenset)
    page_id: str = ""  # a landing page the code answers with (qrapp.edge.landing)
    billing_paused: bool = False  # the paid plan expired (qrapp.core.scan_decision BILLING)
    brand: str = ""  # the workspace's name, on the "temporarily unavailable" page
    # The workspace's brand on the code's own pages (qrapp.core.brand; {} = ours)
    look: dict[str, Any] = field(default_factory=dict)
    # Derived once per cache fill, not per scan (the edge's scan path reads them):
    always_admitted: bool = field(init=False, repr=False, compare=False)
    limited: bool = field(init=False, repr=False, compare=False)
    memo: dict[str, Any] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.always_admitted = scan_decision.always_admitted(self)
        self.limited = scan_decision.is_limited(self)

    def is_safe(self, url: str) -> bool:
        return url in self.safe


def _safe_set(urls: list[str]) -> frozenset[str]:
    hosts = own_hosts()
    out = set()
    for url in urls:
        if sendable(url, own_hosts=hosts):
            out.add(url)
        elif url:
            log.warning("refusing a stored destination that fails the checks: %.80r", url)
    return frozenset(out)


def _when(value: float | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(value, dt.UTC) if value is not None else None


def link_from_snapshot(snap: LinkSnapshot) -> Link:
    # .get for the keys a snapshot cached by an older edge (in Redis, for a minute) or a
    # test may lack.
    rules = [
        Rule(
            id=r["id"],
            label=r.get("label", ""),
            conditions=list(r.get("conditions") or []),
            destination=r.get("destination", ""),
            variants=list(r.get("variants") or []),
        )
        for r in snap.get("rules", [])
    ]
    urls = [snap["destination"], snap.get("fallback_url", "")]
    for r in rules:
        urls.append(r.destination)
        urls.extend(str(v.get("destination", "")) for v in r.variants if isinstance(v, dict))
    return Link(
        id=uuid.UUID(snap["id"]),
        id_str=snap["id"],
        workspace_id=snap["workspace_id"],
        short_code=snap["short_code"],
        domain=snap.get("domain", ""),
        name=snap.get("name", ""),
        destination=snap["destination"],
        status=snap["status"],
        starts_at=_when(snap.get("starts_at")),
        ends_at=_when(snap.get("ends_at")),
        schedule=snap.get("schedule"),
        max_scans=snap.get("max_scans"),
        one_scan_per_visitor=bool(snap.get("one_scan_per_visitor")),
        password_hash=snap.get("password_hash", ""),
        fallback_url=snap.get("fallback_url", ""),
        utm=dict(snap.get("utm") or {}),
        design=dict(snap.get("design") or {}),
        updated_at=float(snap.get("updated_at") or 0),
        rules=rules,
        safe=_safe_set(urls),
        page_id=str(snap.get("page_id") or ""),
        billing_paused=bool(snap.get("billing_paused")),
        brand=str(snap.get("brand") or ""),
        look=dict(snap.get("look") or {}),
    )


class LinkCache:
    """LRU with expiry. None is cached too (unknown codes), so floods of random codes do
    not reach the database more than once per TTL each."""

    def __init__(self, ttl: float, size: int) -> None:
        self.ttl, self.size = ttl, size
        self._items: OrderedDict[tuple[str, str], tuple[float, Link | None]] = OrderedDict()

    def get(self, key: tuple[str, str], now: float) -> tuple[bool, Link | None]:
        item = self._items.get(key)
        if item is None or item[0] < now:
            return False, None
        return True, item[1]

    def put(self, key: tuple[str, str], value: Link | None, now: float) -> None:
        self._items[key] = (now + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def drop(self, key: tuple[str, str]) -> None:
        self._items.pop(key, None)

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


class Resolver:
    def __init__(self, redis_client=None) -> None:
        settings = get_settings()
        self.cache = LinkCache(settings.edge_cache_seconds, settings.edge_cache_size)
        self.redis = redis_client
        self.breaker = Breaker()
        self._marker = changes_marker_path()
        self._marker_mtime = self._mtime()
        self._marker_checked = 0.0
        self._inflight: dict[tuple[str, str], asyncio.Future] = {}

    def _mtime(self) -> int:
        if self._marker is None:
            return 0
        try:
            return os.stat(self._marker).st_mtime_ns
        except OSError:
            return 0

    def check_marker(self) -> None:
        if self._marker is not None:
            # One stat per 50 ms, not per scan: a change is seen within that.
            now = time.monotonic()
            if now < self._marker_checked + 0.05:
                return
            self._marker_checked = now
            mtime = self._mtime()
            if mtime != self._marker_mtime:
                self._marker_mtime = mtime
                self.cache.clear()

    def cached(self, domain: str, code: str) -> tuple[bool, Link | None]:
        """The in-process answer without a coroutine: (hit, link)."""
        self.check_marker()
        return self.cache.get((domain, code), time.monotonic())

    async def resolve(self, domain: str, code: str) -> Link | None:
        hit, link = self.cached(domain, code)
        if hit:
            return link
        key = (domain, code)
        # One fill per key at a time: a burst of scans of a cold code makes one lookup.
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        fut = asyncio.get_running_loop().create_future()
        self._inflight[key] = fut
        try:
            link, current = await self._fill(domain, code)
            if current:
                self.cache.put(key, link, time.monotonic())
            fut.set_result(link)
            return link
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # mark retrieved
            raise
        finally:
            self._inflight.pop(key, None)

    async def _fill(self, domain: str, code: str) -> tuple[Link | None, bool]:
        """The code from Redis, else from the database; and whether it may be cached (no
        change of the code was announced while we read the database)."""
        snap = None
        rkey, vkey = link_cache_key(domain, code), link_version_key(domain, code)
        version = None
        use_redis = self.redis is not None and self.breaker.ok()
        if use_redis:
            try:
                raw, version = await self.redis.mget(rkey, vkey)
                if raw:
                    snap = json.loads(raw)
                    return (link_from_snapshot(snap) if snap else None), True
            except Exception:
                use_redis = False
                self.breaker.trip()
                log.warning("redis unavailable for link lookups; using the database")
        snap = await asyncio.to_thread(code_access.load_link, domain, code)
        current = True
        if use_redis and self.breaker.ok() and snap is not None:
            try:
                current = bool(
                    await self.redis.eval(
                        _SET_IF_UNCHANGED,
                        2,
                        vkey,
                        rkey,
                        version or b"",
                        json.dumps(snap),
                        REDIS_TTL_SECONDS,
                    )
                )
            except Exception:
                self.breaker.trip()
        return (link_from_snapshot(snap) if snap else None), current

    def drop(self, domain: str, code: str) -> None:
        self.cache.drop((domain, code))
