"""The Redis rate limiter's calls made together share one pipeline
(qrapp.api.v1.script_batches), on a real Redis: the answers stay exact, a flushed script
is loaded again, and an unreachable Redis fails every waiting caller instead of leaving
one hanging."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
import redis
from redis.exceptions import ConnectionError as RedisConnectionError

from qrapp.api.v1.ratelimit import RedisGCRA
from tests.support.processes import free_port, redis_db_url

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_url() -> str:
    url = redis_db_url(os.environ["TEST_REDIS_URL"], 5)
    redis.Redis.from_url(url).flushdb()
    return url


def _counting_batches(limiter: RedisGCRA) -> list[int]:
    """The size of every pipeline the limiter's batcher sends (on this loop)."""
    batcher = limiter._script()
    sizes: list[int] = []
    real = batcher._pipeline

    async def counted(calls):
        sizes.append(len(calls))
        return await real(calls)

    batcher._pipeline = counted  # type: ignore[method-assign]
    return sizes


def test_forty_requests_at_once_are_answered_exactly_in_shared_pipelines(redis_url):
    limiter = RedisGCRA(redis_url, window=60)
    key = uuid.uuid4().hex

    async def main():
        sizes = _counting_batches(limiter)
        decisions = await asyncio.gather(*[limiter.hit(key, 30) for _ in range(40)])
        return decisions, sizes

    decisions, sizes = asyncio.run(main())
    assert sum(d.allowed for d in decisions) == 30
    assert sorted(d.remaining for d in decisions if d.allowed) == list(range(30))
    assert all(d.retry_after >= 1 for d in decisions if not d.allowed)
    # The first went alone; the 39 that came meanwhile went together.
    assert max(sizes, default=0) > 1
    assert sum(sizes) == 39


def test_a_flushed_script_is_loaded_again_for_lone_and_batched_calls(redis_url):
    limiter = RedisGCRA(redis_url, window=60)
    key = uuid.uuid4().hex

    async def main():
        first = await limiter.hit(key, 100)
        redis.Redis.from_url(redis_url).script_flush()
        alone = await limiter.hit(key, 100)
        redis.Redis.from_url(redis_url).script_flush()
        together = await asyncio.gather(*[limiter.hit(key, 100) for _ in range(10)])
        return first, alone, together

    first, alone, together = asyncio.run(main())
    assert first.remaining == 99
    assert alone.remaining == 98
    assert sorted(d.remaining for d in together) == list(range(88, 98))


def test_an_unreachable_redis_fails_every_waiting_caller(redis_url):
    limiter = RedisGCRA(f"redis://127.0.0.1:{free_port()}/0", window=60)

    async def main():
        calls = [limiter.hit("k", 10) for _ in range(8)]
        return await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 20)

    answers = asyncio.run(main())
    assert len(answers) == 8
    assert all(isinstance(a, RedisConnectionError) for a in answers), answers


def test_a_caller_that_goes_away_leaves_the_others_their_answers(redis_url):
    limiter = RedisGCRA(redis_url, window=60)
    key = uuid.uuid4().hex

    async def main():
        first = asyncio.ensure_future(limiter.hit(key, 100))
        waiting = [asyncio.ensure_future(limiter.hit(key, 100)) for _ in range(5)]
        await asyncio.sleep(0)  # all six are on their way or waiting
        waiting[2].cancel()
        done = await asyncio.gather(first, *waiting, return_exceptions=True)
        later = await limiter.hit(key, 100)
        return done, later

    done, later = asyncio.run(main())
    assert isinstance(done[3], asyncio.CancelledError)
    answered = [d for i, d in enumerate(done) if i != 3]
    assert all(d.allowed for d in answered)
    # The cancelled call may or may not have reached Redis; the rest are counted exactly.
    assert later.remaining in (100 - 6 - 1, 100 - 5 - 1)
