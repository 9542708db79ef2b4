"""A brand save is one workspace-wide cache-bus message (qrapp.cachebus.
announce_workspace_changed): the edges drop that workspace's codes and pages at once, and
nothing of another workspace; the shared Redis copies of its codes and pages go in the
same round trip."""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import pytest

from qrapp.cachebus import (
    CHANNEL,
    PAGE_CHANNEL,
    WORKSPACE_CHANNEL,
    changes_marker_path,
    link_cache_key,
    link_version_key,
    page_cache_key,
    page_changes_marker_path,
)
from qrapp.edge import links, page_cache
from qrapp.services.codes import qrcodes
from qrapp.services.workspaces import brand
from qrapp.settings import get_settings
from tests.integration.helpers import actor, sign_up_and_session
from tests.integration.test_brand import ACME, set_plan
from tests.integration.test_leads import publish_lead_page
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def _mtime(path) -> int:
    return os.stat(path).st_mtime_ns if path.exists() else 0


def test_a_brand_save_is_one_message_for_the_whole_workspace(edge_env, owner, make_code):
    set_plan(owner.workspace_id, "enterprise")
    codes = [make_code(alias=f"ws-announce-{i}") for i in range(3)]
    _, slug, _ = publish_lead_page(owner)
    redis_url = get_settings().redis_url
    if not redis_url:
        markers = [changes_marker_path(), page_changes_marker_path()]
        before = [_mtime(m) for m in markers]
        brand.save_brand(actor=owner, data=ACME)
        assert [_mtime(m) for m in markers] != before
        assert all(_mtime(m) != b for m, b in zip(markers, before, strict=True))
        return
    import redis

    client = redis.Redis.from_url(redis_url)
    for c in codes:
        client.set(link_cache_key("", c.short_code), b"old look")
    client.set(page_cache_key("", slug), b"old look")
    versions = [int(client.get(link_version_key("", c.short_code)) or 0) for c in codes]
    pubsub = client.pubsub()
    pubsub.subscribe(CHANNEL, PAGE_CHANNEL, WORKSPACE_CHANNEL)
    confirmed = 0

    def subscribed() -> bool:
        nonlocal confirmed
        msg = pubsub.get_message(timeout=0.1)
        confirmed += bool(msg and msg["type"] == "subscribe")
        return confirmed == 3

    eventually(subscribed, timeout=5)
    brand.save_brand(actor=owner, data=ACME)
    seen: list[tuple[str, str]] = []

    def workspace_message() -> bool:
        msg = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
        if msg:
            seen.append((msg["channel"].decode(), msg["data"].decode()))
        return bool(seen) and seen[-1][0] == WORKSPACE_CHANNEL

    eventually(workspace_message, timeout=5)
    # One message, not one per code and page (the save used to send four here).
    assert seen == [(WORKSPACE_CHANNEL, str(owner.workspace_id))]
    for c, v in zip(codes, versions, strict=True):
        assert client.get(link_cache_key("", c.short_code)) is None
        assert int(client.get(link_version_key("", c.short_code))) == v + 1
    assert client.get(page_cache_key("", slug)) is None
    pubsub.close()
    client.close()


def test_an_edge_drops_only_that_workspaces_codes_and_pages(edge_env, owner, make_code):
    mine = make_code(alias="drop-mine")
    my_page, my_slug, _ = publish_lead_page(owner)
    other = actor(sign_up_and_session(f"other-{uuid.uuid4().hex[:6]}@example.com", "Oz"))
    theirs = qrcodes.create(
        actor=other, data=qrcodes.CodeInput(name="Theirs", destination="https://example.com/x")
    )
    _, their_slug, _ = publish_lead_page(other)

    async def scenario():
        # In process only (no Redis): what an edge holds in memory.
        resolver, pages = links.Resolver(None), page_cache.PageResolver(None)
        for code in (mine, theirs):
            assert await resolver.resolve("", code.short_code) is not None
        for slug in (my_slug, their_slug):
            assert await pages.resolve("", slug) is not None
        assert await pages.resolve_id(str(my_page)) is not None

        resolver.drop_workspace(str(owner.workspace_id))
        pages.drop_workspace(str(owner.workspace_id))

        assert resolver.cache.get(("", mine.short_code), time.monotonic()) == (False, None)
        assert resolver.cache.get(("", theirs.short_code), time.monotonic())[0]
        assert pages.cache.get(("", my_slug), time.monotonic()) == (False, None)
        assert pages.cache.get((page_cache._BY_ID, str(my_page)), time.monotonic()) == (
            False,
            None,
        )
        assert pages.cache.get(("", their_slug), time.monotonic())[0]

    asyncio.run(scenario())
