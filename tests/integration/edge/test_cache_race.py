"""A code changed while an edge is filling its cache from the database: what it read
before the change must not outlive the change (in Redis for a minute, or in the edge's
own cache for its few seconds)."""

from __future__ import annotations

import asyncio
import time

import pytest

from qrapp.cachebus import link_cache_key
from qrapp.edge import links
from qrapp.services.codes import code_access, qrcodes
from qrapp.settings import get_settings

pytestmark = pytest.mark.integration


def test_a_change_during_a_fill_is_not_undone(edge_env, make_code, owner, monkeypatch):
    code = make_code("https://example.com/before")
    real_load = code_access.load_link

    def load_then_change(domain, short_code):
        snap = real_load(domain, short_code)  # read before the change...
        qrcodes.change_destination(  # ...which commits and is announced now
            actor=owner, code_id=code.id, destination="https://example.com/after"
        )
        monkeypatch.setattr(code_access, "load_link", real_load)
        return snap

    monkeypatch.setattr(code_access, "load_link", load_then_change)
    redis_url = get_settings().redis_url

    async def scenario():
        client = None
        if redis_url:
            import redis.asyncio as aredis

            client = aredis.Redis.from_url(redis_url)
        resolver = links.Resolver(client)
        first = await resolver.resolve("", code.short_code)
        assert first.destination == "https://example.com/before"  # raced: served as read
        if client is not None:
            # Not put into Redis, nor into this edge's cache.
            assert await client.get(link_cache_key("", code.short_code)) is None
            assert resolver.cached("", code.short_code) == (False, None)
        else:
            # The embedded default kept it, until the change marker is next looked at.
            await asyncio.sleep(0.06)  # past the marker's look-up interval: time must pass
            assert resolver.cached("", code.short_code) == (False, None)
        again = await resolver.resolve("", code.short_code)
        assert again.destination == "https://example.com/after"
        if client is not None:
            assert await client.get(link_cache_key("", code.short_code)) is not None
            await client.aclose()

    started = time.monotonic()
    asyncio.run(scenario())
    assert time.monotonic() - started < 10
