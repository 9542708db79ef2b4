"""Resolving a short code: in-process cache (seconds) -> Redis -> database.

The snapshot is built once per cache fill: rules become core.rules.Rule objects and every
destination is re-checked with the same rules as on save, so a bad row put straight into
the database is never sent as a Location (the code answers 4xx instead).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from qrapp.cachebus import changes_marker_path, link_cache_key, link_version_key
from qrapp.core import scan_decision
from qrapp.core.destinations import sendable
from qrapp.core.rules import Rule
from qrapp.edge.read_through import (
    Breaker,
    ChangeMarker,
    LinkCache,
    one_fill_per_key,
    read_through,
)
from qrapp.services.codes import code_access
from qrapp.services.codes.code_access import LinkSnapshot
from qrapp.services.hosts import own_hosts
from qrapp.settings import get_settings

log = logging.getLogger(__name__)


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


class Resolver:
    def __init__(self, redis_client=None) -> None:
        settings = get_settings()
        self.cache: LinkCache[Link] = LinkCache(
            settings.edge_cache_seconds, settings.edge_cache_size
        )
        self.redis = redis_client
        self.breaker = Breaker()
        self.marker = ChangeMarker(changes_marker_path())
        self._inflight: dict[tuple[str, str], asyncio.Future] = {}

    def check_marker(self) -> None:
        if self.marker.moved():
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

        async def fill() -> Link | None:
            link, current = await self._fill(domain, code)
            if current:
                self.cache.put(key, link, time.monotonic())
            return link

        return await one_fill_per_key(self._inflight, key, fill)

    async def _fill(self, domain: str, code: str) -> tuple[Link | None, bool]:
        """The code from Redis, else from the database; and whether it may be cached (no
        change of the code was announced while we read the database)."""
        snap, current = await read_through(
            self.redis,
            self.breaker,
            link_cache_key(domain, code),
            link_version_key(domain, code),
            lambda: code_access.load_link(domain, code),
            "link",
        )
        return (link_from_snapshot(snap) if snap else None), current

    def drop(self, domain: str, code: str) -> None:
        self.cache.drop((domain, code))

    def drop_workspace(self, workspace_id: str) -> None:
        self.cache.drop_where(lambda link: link.workspace_id == workspace_id)
