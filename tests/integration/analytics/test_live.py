"""Live change detection (qrapp.services.analytics.live): the marker, the message the
ingest publishes, and ScanWatcher with Redis (message-driven, with a safety check) and
without it (marker polling), including Redis missing at start and lost while waiting.

Each watcher test runs in both modes on both databases: "polling" is the embedded default
(no REDIS_URL), "redis" points REDIS_URL at the suite's Redis. The coroutines run with
asyncio.run, as the dashboard's live task runs them on the web process's loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis

from qrapp.services.analytics import live
from qrapp.services.analytics.live import ScanWatcher
from qrapp.settings import reset_settings_cache
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.processes import free_port, redis_db_url
from tests.support.scans import Scan, make_code, record_scans
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

T0 = dt.datetime(2026, 3, 30, 9, 15, tzinfo=dt.UTC)
QUICK = 0.05  # seconds a watcher waits when nothing is expected to arrive
# What a watcher waits for news: with Redis it returns when the message arrives (so a long
# timeout costs nothing and rules out a busy machine's delays); polling always sleeps the
# whole timeout and then compares the marker.
NEWS = {"redis": 10.0, "polling": QUICK}


def _use_redis(monkeypatch, url: str) -> None:
    monkeypatch.setenv("REDIS_URL", url)
    reset_settings_cache()


@pytest.fixture
def settings_env(clean_db, monkeypatch) -> Iterator[pytest.MonkeyPatch]:
    """Undo the REDIS_URL changes, then drop the settings read from them."""
    yield monkeypatch
    monkeypatch.undo()
    reset_settings_cache()


@pytest.fixture(params=["polling", "redis"])
def mode(request, settings_env) -> str:
    url = "" if request.param == "polling" else redis_db_url(os.environ["TEST_REDIS_URL"], 3)
    _use_redis(settings_env, url)
    return request.param


@pytest.fixture
def with_redis(settings_env) -> str:
    url = redis_db_url(os.environ["TEST_REDIS_URL"], 3)
    _use_redis(settings_env, url)
    return url


def _workspace(email: str = "live@example.com"):
    return actor(sign_up_and_session(email)).workspace_id


def _watch(workspace_id, steps, baseline=None):
    """Start a watcher, run `await step(watcher)` for each step, always close it."""

    async def run():
        watcher = ScanWatcher(workspace_id)
        await watcher.start(baseline)
        try:
            return [await step(watcher) for step in steps]
        finally:
            await watcher.close()

    return asyncio.run(run())


def _wait(timeout: float = QUICK):
    return lambda watcher: watcher.wait(timeout)


def _do(fn):
    """A step that runs blocking code (writing scans) off the loop, then returns None."""

    async def step(_watcher):
        await asyncio.to_thread(fn)

    return step


# --- marker and publish ----------------------------------------------------------------


def test_the_marker_follows_the_workspaces_events_and_codes_only(clean_db):
    ws, other = _workspace(), _workspace("other@example.com")
    assert live.marker(ws) == (None, 0, 0)
    code = make_code(ws)
    assert live.marker(ws) == (None, 0, 1)
    record_scans(Scan(code, T0), Scan(code, T0 - dt.timedelta(hours=2)))
    newest, total, codes = live.marker(ws)
    assert isinstance(newest, dt.datetime)  # on both databases
    assert newest.replace(tzinfo=None) == T0.replace(tzinfo=None)
    assert (total, codes) == (2, 1)
    # A bot is not in total_scans, but its event is the newest.
    record_scans(Scan(code, T0 + dt.timedelta(hours=1), is_bot=True))
    after_bot = live.marker(ws)
    assert after_bot[1:] == (2, 1)
    assert after_bot[0] > newest
    record_scans(Scan(make_code(other), T0 + dt.timedelta(hours=2)))
    assert live.marker(ws) == after_bot


def _next_message(sub, timeout: float):
    """The next message within `timeout` (get_message returns None for the ignored
    subscribe confirmation too)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = sub.get_message(timeout=min(0.1, timeout))
        if message is not None:
            return message
    return None


def test_publish_sends_the_batch_on_the_workspaces_channel(with_redis):
    ws = _workspace()
    client = redis.Redis.from_url(with_redis)
    sub = client.pubsub(ignore_subscribe_messages=True)
    sub.subscribe(live.channel(ws))
    try:
        live.publish(ws, 3, T0, redis_url="")  # no Redis: nothing sent
        live.publish(ws, 3, T0)
        live.publish(ws, 1, None)
        messages = [_next_message(sub, 10), _next_message(sub, 10)]
        assert _next_message(sub, QUICK) is None
    finally:
        sub.close()
        client.close()
    assert [m["channel"].decode() for m in messages] == [f"qrapp:scans-updated:{ws}"] * 2
    assert [json.loads(m["data"]) for m in messages] == [
        {"workspace_id": str(ws), "count": 3, "last_event_at": T0.isoformat()},
        {"workspace_id": str(ws), "count": 1, "last_event_at": None},
    ]


# --- the watcher, with and without Redis -------------------------------------------------


def test_new_scans_wake_the_watcher_once(mode):
    ws = _workspace()
    code = make_code(ws)
    other_code = make_code(_workspace("other@example.com"))
    results = _watch(
        ws,
        [
            _wait(),  # nothing new
            _do(lambda: record_scans(Scan(other_code, T0))),
            _wait(),  # another workspace's scans are not news here
            _do(lambda: record_scans(Scan(code, T0))),
            _wait(NEWS[mode]),
            _wait(),  # reported once
        ],
    )
    assert results == [False, None, False, None, True, False]


def test_scans_between_the_baseline_and_start_count_as_new(mode):
    ws = _workspace()
    code = make_code(ws)
    baseline = live.marker(ws)
    record_scans(Scan(code, T0))
    assert _watch(ws, [_wait(), _wait()], baseline=baseline) == [True, False]


def test_a_message_alone_wakes_the_watcher_and_a_burst_counts_once(with_redis):
    ws = _workspace()

    def burst():
        for n in range(3):
            live.publish(ws, n + 1, None)  # no scans written: only the messages say so

    # With nothing published, wait() runs to its timeout: 10 s returning True can only be
    # the message, not the timeout or a marker change.
    results = _watch(ws, [_wait(), _do(burst), _wait(10), _wait()])
    assert results == [False, None, True, False]


def test_without_a_message_the_safety_check_still_finds_new_scans(with_redis, settings_env):
    ws = _workspace()
    code = make_code(ws)

    def silent_scan():
        record_scans(Scan(code, T0), publish=False)

    async def check_soon(watcher):
        settings_env.setattr(live, "_SAFETY_CHECK_SECONDS", 0.0)
        return await watcher.wait(QUICK)

    # Between safety checks an unannounced scan waits for the next one...
    results = _watch(ws, [_wait(), _do(silent_scan), _wait(), check_soon, _wait()])
    # ...and then it is found, once.
    assert results == [False, None, False, True, False]


@contextmanager
def _own_redis(tmp_path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A Redis of this test's own, so stopping it disturbs no other test."""
    port = free_port()
    proc = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(tmp_path)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:

        def answers() -> bool:
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        eventually(answers, 10, message="redis-server did not start")
        yield url, proc
    finally:
        client.close()
        proc.kill()
        proc.wait(10)


def test_redis_down_at_start_falls_back_to_polling(settings_env, caplog):
    ws = _workspace()
    code = make_code(ws)
    _use_redis(settings_env, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens
    caplog.set_level(logging.WARNING, logger=live.__name__)
    results = _watch(
        ws,
        [
            _wait(),
            _do(lambda: record_scans(Scan(code, T0), publish=False)),
            _wait(),
        ],
    )
    assert results == [False, None, True]
    assert "Redis unavailable, polling instead" in caplog.text


def test_losing_redis_while_waiting_falls_back_to_polling(settings_env, caplog, tmp_path):
    ws = _workspace()
    code = make_code(ws)
    caplog.set_level(logging.WARNING, logger=live.__name__)
    with _own_redis(tmp_path) as (url, server):
        _use_redis(settings_env, url)

        def stop_redis():
            server.kill()
            server.wait(10)  # its sockets are closed: the watcher reads the end at once

        def scan():
            record_scans(Scan(code, T0), publish=False)

        async def redis_is_gone(watcher):
            await asyncio.to_thread(stop_redis)
            return await watcher.wait(QUICK)

        results = _watch(ws, [_wait(), redis_is_gone, _do(scan), _wait(), _wait()])
    # Lost: the marker decides (unchanged); then polling finds the scan, once.
    assert results == [False, False, None, True, False]
    assert "lost Redis, polling instead" in caplog.text


def test_close_twice_is_harmless_and_a_closed_watcher_polls(mode):
    ws = _workspace()
    code = make_code(ws)

    async def run():
        watcher = ScanWatcher(ws)
        await watcher.start()
        await watcher.close()
        await watcher.close()
        before = await watcher.wait(QUICK)
        await asyncio.to_thread(record_scans, Scan(code, T0), publish=False)
        return before, await watcher.wait(QUICK), watcher.last == live.marker(ws)

    assert asyncio.run(run()) == (False, True, True)
