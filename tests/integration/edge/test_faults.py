"""Faults: Redis dies under the edge (redirects go on from the database, events go to
the spool and are replayed after Redis is back, none lost, none doubled)."""

from __future__ import annotations

import shutil
import time

import pytest

from qrapp.scanstream import consumer_backend
from qrapp.scanstream.local import LocalQueue
from qrapp.settings import get_settings
from tests.integration.edge.conftest import drain
from tests.support.environment import patched_env
from tests.support.redis_server import OwnRedis
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
def own_redis(edge_env, tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    r = OwnRedis(tmp_path)
    r.start()
    with patched_env({"REDIS_URL": r.url}):
        yield r
        if r.proc and r.proc.poll() is None:
            r.kill()


def test_redis_down_redirects_continue_and_no_scan_is_lost(own_redis, start_edge, make_code):
    edge = start_edge(REDIS_URL=own_redis.url)
    code = make_code("https://example.com/a")
    for _ in range(5):
        assert edge.get(f"/{code.short_code}").status_code == 302
    stream = consumer_backend()
    eventually(  # flushed into the stream
        lambda: sum(len(f[b"e"].split(b"\n")) for _i, f in stream.client.xrange(stream.key)) == 5
    )

    own_redis.kill()
    for _ in range(20):  # the cached code
        assert edge.get(f"/{code.short_code}").status_code == 302
    later = make_code("https://example.com/b")  # a code the edge has never seen: the database
    for _ in range(5):
        r = edge.get(f"/{later.short_code}")
        assert r.status_code == 302
        assert r.headers["location"] == "https://example.com/b"
    spool = LocalQueue(get_settings().scan_spool_path)
    eventually(lambda: sum(len(p.split("\n")) for _id, p in spool.take_oldest(10_000)) == 25)

    own_redis.start()  # same port, same append-only file: the first 5 are still there
    eventually(lambda: spool.pending() == 0, 15, interval=0.2)
    assert drain(30) == 30
    time.sleep(0.5)  # time for a duplicate to arrive, if the replay sent one
    assert drain(31, timeout=2) == 30  # and nothing more: no duplicates
