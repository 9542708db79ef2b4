"""Faults: Redis dies under the edge (redirects go on from the database, events go to
the spool and are replayed after Redis is back, none lost, none doubled)."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from qrapp.scanstream.local import LocalQueue
from qrapp.settings import get_settings, reset_settings_cache
from tests.integration.edge.conftest import drain
from tests.support.redis_server import OwnRedis

pytestmark = pytest.mark.integration


@pytest.fixture
def own_redis(edge_env, tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    r = OwnRedis(tmp_path)
    r.start()
    saved = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = r.url
    reset_settings_cache()
    yield r
    if r.proc and r.proc.poll() is None:
        r.kill()
    os.environ["REDIS_URL"] = saved or ""
    reset_settings_cache()


def test_redis_down_redirects_continue_and_no_scan_is_lost(own_redis, start_edge, make_code):
    edge = start_edge(REDIS_URL=own_redis.url)
    code = make_code("https://example.com/a")
    for _ in range(5):
        assert edge.get(f"/{code.short_code}").status_code == 302
    time.sleep(0.3)  # flushed into the stream

    own_redis.kill()
    for _ in range(20):  # the cached code
        assert edge.get(f"/{code.short_code}").status_code == 302
    later = make_code("https://example.com/b")  # a code the edge has never seen: the database
    for _ in range(5):
        r = edge.get(f"/{later.short_code}")
        assert r.status_code == 302
        assert r.headers["location"] == "https://example.com/b"
    time.sleep(0.5)
    spool = LocalQueue(get_settings().scan_spool_path)
    spooled = [p for _id, p in spool.take_oldest(10_000)]
    assert sum(len(p.split("\n")) for p in spooled) == 25

    own_redis.start()  # same port, same append-only file: the first 5 are still there
    deadline = time.monotonic() + 15
    while spool.pending() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert spool.pending() == 0
    assert drain(30) == 30
    time.sleep(0.5)
    assert drain(31, timeout=2) == 30  # and nothing more: no duplicates
