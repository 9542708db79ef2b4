"""The edge's landing pages by (domain, slug) and by page id, kept in process as prebuilt
Pages (qrapp.edge.page_answers); filled memory -> Redis -> database like edge.links does
for codes (qrapp.edge.read_through).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from qrapp.cachebus import page_cache_key, page_changes_marker_path, page_version_key
from qrapp.edge.page_answers import Page, page_from_snapshot
from qrapp.edge.read_through import (
    Breaker,
    ChangeMarker,
    LinkCache,
    one_fill_per_key,
    read_through,
)
from qrapp.services.pages import page_access
from qrapp.settings import get_settings

_BY_ID = "\0id"  # the cache key space of pages by id (no domain has a NUL)
PAGE_TTL_SECONDS = 60.0  # a safety net: publishing announces itself on the cache bus


class PageResolver:
    """Published pages by (domain, slug) and by page id (codes pointing at a page), kept
    in process; filled from Redis (by slug) else the database through
    services.pages.page_access (in a thread, one fill per key at a time). Unknown and
    unpublished pages are cached as None too. The cache bus drops a page when it is
    published, unpublished, moved or deleted (qrapp.cachebus.announce_page_changed): the
    Redis pub/sub message in production, the page-change marker file in the embedded
    default (the whole cache is emptied when it moves)."""

    def __init__(self, redis_client=None) -> None:
        settings = get_settings()
        ttl = PAGE_TTL_SECONDS if settings.edge_cache_seconds > 0 else 0.0
        self.cache: LinkCache[Page] = LinkCache(ttl, max(1000, settings.edge_cache_size // 4))
        self.redis = redis_client
        self.breaker = Breaker()
        self.generation = 0  # goes up on every drop: a fill that straddles one is not kept
        self._inflight: dict[tuple[str, str], asyncio.Future] = {}
        self.marker = ChangeMarker(page_changes_marker_path())

    def check_marker(self) -> None:
        if self.marker.moved():
            self.clear()

    def cached(self, domain: str, slug: str) -> tuple[bool, Page | None]:
        self.check_marker()
        return self.cache.get((domain, slug), time.monotonic())

    def cached_id(self, page_id: str) -> tuple[bool, Page | None]:
        self.check_marker()
        return self.cache.get((_BY_ID, page_id), time.monotonic())

    async def resolve(self, domain: str, slug: str) -> Page | None:
        return await self._resolve((domain, slug))

    async def resolve_id(self, page_id: str) -> Page | None:
        return await self._resolve((_BY_ID, page_id))

    async def _resolve(self, key: tuple[str, str]) -> Page | None:
        self.check_marker()
        hit, cached = self.cache.get(key, time.monotonic())
        if hit:
            return cached
        generation = self.generation

        async def fill() -> Page | None:
            snap, current = await self._fill(key)
            page = page_from_snapshot(snap) if snap else None
            if current and generation == self.generation:  # no page changed meanwhile
                self.cache.put(key, page, time.monotonic())
            return page

        return await one_fill_per_key(self._inflight, key, fill)

    async def _fill(self, key: tuple[str, str]) -> tuple[Any, bool]:
        """The snapshot and whether it may be cached. By slug through Redis like
        links.Resolver (set only if the page's version counter did not move while the
        database was read); by id straight from the database (codes pointing at pages
        are one fill per edge per TTL, and there is no per-id version counter)."""
        if key[0] == _BY_ID:
            return await asyncio.to_thread(page_access.published_page_by_id, key[1]), True
        domain, slug = key
        return await read_through(
            self.redis,
            self.breaker,
            page_cache_key(domain, slug),
            page_version_key(domain, slug),
            lambda: page_access.published_page(domain, slug),
            "page",
        )

    def drop(self, domain: str, slug: str, page_id: str) -> None:
        self.generation += 1
        self.cache.drop((domain, slug))
        self.cache.drop((_BY_ID, page_id))

    def drop_workspace(self, workspace_id: str) -> None:
        self.generation += 1
        self.cache.drop_where(lambda page: page.workspace_id == workspace_id)

    def clear(self) -> None:
        self.generation += 1
        self.cache.clear()
