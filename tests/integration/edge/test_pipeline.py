"""Scan events from the edge through the stream into the database: facts, anonymity,
rollups, uniques, bots, dedup, dead-letter, the live notification, and a consumer killed
with SIGKILL in the middle of its work.

Over 400 lines: the stages share one running pipeline fixture (edge, stream, ingest).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import select

from qrapp.core.ids import uuid7
from qrapp.core.scan_dimensions import DIMENSIONS
from qrapp.db import engine, read_session
from qrapp.models import QRCode, ScanDimensionDaily, ScanEvent, ScanHourly
from qrapp.scanstream import consumer_backend
from qrapp.scanstream.local import LocalQueue
from qrapp.scanstream.redis_stream import GROUP
from qrapp.services.scans import ingest
from qrapp.settings import get_settings, reset_settings_cache
from tests.integration.edge.conftest import DESKTOP, IPHONE, drain, scan_count
from tests.support.processes import start
from tests.support.redis_server import OwnRedis
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def producer():
    s = get_settings()
    if s.redis_url:
        from qrapp.scanstream.redis_stream import RedisStream

        return RedisStream.from_settings()
    return LocalQueue(s.scan_queue_path)


def event(qr: QRCode, **kw) -> dict:
    e = {
        "id": str(uuid7()),
        "code": str(qr.id),
        "ws": str(qr.workspace_id),
        "t": time.time(),
        "ua": IPHONE,
        "vh": uuid.uuid4().hex,
        "country": "SE",
    }
    e.update(kw)
    return e


def test_scans_become_events_with_facts_and_rollups(edge, make_code):
    code = make_code()
    s = f"/{code.short_code}"
    edge.get(
        s,
        headers={
            "x-forwarded-for": "81.2.69.142",
            "accept-language": "sv-SE,sv;q=0.9",
            "referer": "https://news.example.org/story",
        },
    )
    edge.get(s, headers={"x-forwarded-for": "81.2.69.142"})  # same visitor again
    edge.get(s, ua=DESKTOP, headers={"x-forwarded-for": "2a00:1450:4001:82a::200e"})
    edge.get(s, ua="WhatsApp/2.23.20.0 A")  # a link preview
    edge.client.head(s, headers={"user-agent": IPHONE})  # HEAD: a fetcher, never a person
    assert drain(5) == 5

    with read_session() as db:
        events = db.exec(select(ScanEvent).order_by(ScanEvent.occurred_at)).all()
        first = events[0]
        assert (first.country, first.device_type, first.os, first.language) == (
            "GB",
            "mobile",
            "iOS",
            "sv",
        )
        assert first.referrer_host == "news.example.org"
        assert first.source == "link"
        assert events[1].source == "qr"
        assert first.is_unique
        assert not events[1].is_unique
        assert first.visitor_hash == events[1].visitor_hash
        assert len(first.visitor_hash) == 32
        assert events[2].device_type == "desktop"
        assert events[2].country == "DE"
        assert [e.is_bot for e in events] == [False, False, False, True, True]
        # No IP anywhere in what we stored.
        for e in events:
            assert "81.2.69" not in json.dumps(e.model_dump(mode="json"))

        hourly = db.exec(select(ScanHourly).where(ScanHourly.qrcode_id == code.id)).all()
        assert sum(h.scans for h in hourly) == 3
        assert sum(h.uniques for h in hourly) == 2
        assert sum(h.bots for h in hourly) == 2
        dims = {
            (d.dimension, d.value): d
            for d in db.exec(
                select(ScanDimensionDaily).where(ScanDimensionDaily.qrcode_id == code.id)
            ).all()
        }
        assert dims[("country", "GB")].scans == 2
        assert dims[("country", "GB")].uniques == 1
        assert dims[("device", "bot")].bots == 2
        assert dims[("device", "bot")].scans == 0
        assert dims[("referrer", "news.example.org")].scans == 1
        assert {d for d, _v in dims} == set(DIMENSIONS)
        fresh = db.get(QRCode, code.id)
        assert fresh.total_scans == 3
        assert fresh.last_scan_at is not None


def test_redelivered_events_count_once(edge_env, make_code):
    code = make_code()
    events = [json.dumps(event(code)) for _ in range(30)]
    stream = producer()
    stream.append(events)
    stream.append(events[:10])  # a spool replay after a crash: the same ids again
    result = ingest.run_once()
    assert (result.inserted, result.duplicates) == (30, 10)
    stream.append(events[5:15])
    assert ingest.run_once().inserted == 0
    with read_session() as db:
        assert db.get(QRCode, code.id).total_scans == 30
        assert sum(h.scans for h in db.exec(select(ScanHourly)).all()) == 30


def test_poison_events_go_to_dead_letter_and_the_rest_is_stored(edge_env, make_code):
    code = make_code()
    stream = producer()
    good = [json.dumps(event(code)) for _ in range(5)]
    stream.append(
        [
            *good[:2],
            "{not json",
            json.dumps({"id": "x"}),
            json.dumps(event(code, code="not-a-uuid")),
            *good[2:],
        ]
    )
    result = ingest.run_once()
    assert (result.inserted, result.dead) == (5, 3)
    assert consumer_backend().pending() == 0
    if get_settings().redis_url:
        import redis

        r = redis.Redis.from_url(get_settings().redis_url)
        dead = r.xrange(get_settings().scan_stream_key + ":dead")
        assert len(dead) == 3
        assert {d[1][b"e"] for d in dead} >= {b"{not json"}
    else:
        assert len(LocalQueue(get_settings().scan_queue_path).dead()) == 3


def test_events_of_deleted_codes_are_dropped_not_stuck(edge_env, make_code, owner):
    from qrapp.services.codes import qrcodes

    code = make_code()
    producer().append([json.dumps(event(code))])
    qrcodes.delete(actor=owner, code_id=code.id)
    result = ingest.run_once()
    assert (result.dropped, result.inserted) == (1, 0)
    assert consumer_backend().pending() == 0


@pytest.mark.production  # the embedded default has no Redis: its dashboards poll
def test_scans_updated_is_published_per_workspace(edge_env, make_code):
    assert get_settings().redis_url
    import redis

    code = make_code()
    client = redis.Redis.from_url(get_settings().redis_url)
    pubsub = client.pubsub()
    pubsub.subscribe(f"qrapp:scans-updated:{code.workspace_id}")
    pubsub.get_message(timeout=2)  # the subscribe confirmation
    producer().append(
        [json.dumps(event(code)) for _ in range(3)] + [json.dumps(event(code, ua="Googlebot/2.1"))]
    )
    ingest.run_once()
    msg = pubsub.get_message(timeout=5)
    assert msg
    assert msg["type"] == "message"
    body = json.loads(msg["data"])
    assert body["workspace_id"] == str(code.workspace_id)
    assert body["count"] == 3
    assert body["last_event_at"].startswith(time.strftime("%Y-", time.gmtime()))
    pubsub.close()


def test_consumer_killed_mid_batch_loses_nothing_and_counts_once(edge_env, make_code, tmp_path):
    code = make_code()
    total, humans_per_visitor = 4000, 4
    visitors = [uuid.uuid4().hex for _ in range(total // humans_per_visitor)]
    events = [
        event(
            code,
            vh=visitors[i // humans_per_visitor],
            ua="Googlebot/2.1" if i % 10 == 0 else IPHONE,
        )
        for i in range(total)
    ]
    producer().append([json.dumps(e) for e in events])

    env = {**os.environ, "INGEST_BATCH_SIZE": "20"}
    log = tmp_path / "consumer.log"
    proc = start([sys.executable, "-m", "qrapp", "scans", "ingest"], env, log)
    at_kill = eventually(
        lambda: (n := scan_count()) >= total // 10 and n,
        60,
        interval=0.01,
        message=lambda: log.read_text()[-2000:],
    )
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert 0 < at_kill < total, log.read_text()[-2000:]

    time.sleep(1.1)  # past INGEST_CLAIM_IDLE_MS: the dead consumer's batch is reclaimable
    assert drain(total, timeout=120) == total
    bots = sum(1 for e in events if e["ua"].startswith("Googlebot"))
    with read_session() as db:
        hourly = db.exec(select(ScanHourly).where(ScanHourly.qrcode_id == code.id)).all()
        assert sum(h.scans for h in hourly) == total - bots
        assert sum(h.bots for h in hourly) == bots
        human_visitors = {e["vh"] for e in events if not e["ua"].startswith("Googlebot")}
        assert sum(h.uniques for h in hourly) == len(human_visitors)
        assert db.get(QRCode, code.id).total_scans == total - bots
    with engine().connect() as conn:
        assert (
            conn.execute(sa.text("SELECT count(DISTINCT event_id) FROM scan_event")).scalar()
            == total
        )
    assert consumer_backend().pending() == 0


def _children(pid: int) -> list[int]:
    """Live child processes of pid (from /proc)."""
    out = []
    for stat in os.listdir("/proc"):
        if stat.isdigit():
            try:
                with open(f"/proc/{stat}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(stat))
    return out


def test_a_consumer_group_shares_the_stream_and_stops_together(edge_env, make_code, tmp_path):
    code = make_code()
    total = 3000
    events = [event(code, vh=uuid.uuid4().hex) for _ in range(total)]
    producer().append([json.dumps(e) for e in events])
    env = {**os.environ, "INGEST_CONSUMERS": "2", "INGEST_BATCH_SIZE": "2"}
    log = tmp_path / "consumers.log"
    proc = start([sys.executable, "-m", "qrapp", "scans", "ingest"], env, log)
    try:
        # 1,500 two-message transactions: about 10 s alone, past 60 s on a loaded two-core
        # machine (SQLite serialises the two consumers' writes). A bound, not a speed goal.
        eventually(lambda: scan_count() >= total, 240, interval=0.1)
        assert scan_count() == total, log.read_text()[-2000:]
        assert len(_children(proc.pid)) >= 1  # the second consumer (spawn may add a helper)
        with read_session() as db:
            assert db.get(QRCode, code.id).total_scans == total
        if get_settings().redis_url:  # both joined the Redis consumer group
            r = producer()
            eventually(
                lambda: len({c["name"] for c in r.client.xinfo_consumers(r.key, GROUP)}) == 2,
                30,
                interval=0.2,
            )
        kids = _children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        eventually(  # (multiprocessing's helper exits just after)
            lambda: not any(os.path.exists(f"/proc/{k}") and not _zombie(k) for k in kids),
            10,
            interval=0.1,
            message=str(kids),
        )
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def test_a_dead_consumer_of_the_group_is_replaced(edge_env, make_code, tmp_path):
    env = {**os.environ, "INGEST_CONSUMERS": "2"}
    log = tmp_path / "consumers.log"
    proc = start([sys.executable, "-m", "qrapp", "scans", "ingest"], env, log)
    try:
        (first,) = eventually(lambda: _consumer_children(proc.pid), 60, interval=0.2)
        os.kill(first, signal.SIGKILL)
        eventually(
            lambda: [c for c in _consumer_children(proc.pid) if c != first],
            30,
            interval=0.2,
            message=lambda: log.read_text()[-2000:],
        )
        assert "exited (-9); restarting" in log.read_text()
        # The replacement consumes: an event put in now is stored.
        code = make_code()
        producer().append([json.dumps(event(code))])
        eventually(lambda: scan_count() >= 1, 30, interval=0.2)
        assert scan_count() == 1
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _consumer_children(pid: int) -> list[int]:
    """The group's consumer processes (not multiprocessing's resource tracker)."""
    out = []
    for child in _children(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if b"resource_tracker" not in cmdline:
            out.append(child)
    return out


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _wait(condition, timeout: float, what) -> None:
    eventually(condition, timeout, interval=0.1, message=what)


@pytest.mark.production  # the embedded default has no Redis
def test_ingest_recovers_when_redis_comes_back_empty(start_edge, make_code, tmp_path):
    """Redis killed with SIGKILL and started again without its data (no persistence, or a
    failover to an empty replica): stream and consumer group are gone. The running ingest
    recreates them and stores the scans the edge goes on appending."""
    own = OwnRedis(tmp_path / "redis", persist=False)
    own.start()
    production = {
        "REDIS_URL": own.url,
        "QRAPP_ENV": "production",  # runs the start-up persistence check
        "SECRET_KEY": "ingest-test-secret-" + "y" * 32,
        "APP_URL": "https://app.qrapp.test",
    }
    log = tmp_path / "ingest.log"
    proc = start([sys.executable, "-m", "qrapp", "scans", "ingest"], production, log)
    try:
        edge = start_edge(REDIS_URL=own.url)
        code = make_code()

        def scan(n: int) -> None:
            for _ in range(n):
                assert edge.get(f"/{code.short_code}").status_code == 302

        scan(20)
        _wait(lambda: scan_count() == 20, 60, lambda: log.read_text()[-3000:])
        assert "without appendonly yes" in log.read_text()

        own.client().set("qrapp:test:before-the-crash", "1")
        own.kill()
        scan(10)  # Redis down: the edge spools these and replays them later
        own.start()  # same port, nothing kept
        assert not own.client().exists("qrapp:test:before-the-crash")
        scan(10)  # appended by the edge into a stream that has no consumer group

        _wait(lambda: scan_count() == 40, 90, lambda: log.read_text()[-3000:])
        assert "lost its consumer group" in log.read_text()
        time.sleep(0.5)  # time for a duplicate to show up, if the ingest stored one twice
        assert scan_count() == 40  # nothing twice
        with read_session() as db:
            assert db.get(QRCode, code.id).total_scans == 40
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        own.stop()


@pytest.mark.parametrize(
    ("persist", "extra", "warning"),
    [
        (True, (), None),
        (False, (), "without appendonly yes"),
        (True, ("--rename-command", "CONFIG", ""), "refuses CONFIG GET appendonly"),
    ],
)
def test_production_start_up_checks_the_stream_redis_persists(
    monkeypatch, tmp_path, caplog, persist, extra, warning
):
    own = OwnRedis(tmp_path, persist=persist, extra=extra)
    own.start()
    try:
        monkeypatch.setenv("REDIS_URL", own.url)
        monkeypatch.setenv("QRAPP_ENV", "production")
        monkeypatch.setenv("SECRET_KEY", "durability-test-secret-" + "z" * 32)
        monkeypatch.setenv("APP_URL", "https://app.qrapp.test")
        reset_settings_cache()
        with caplog.at_level("WARNING", logger="qrapp.services.scans.ingest"):
            message = ingest.check_stream_durability()
        if warning is None:
            assert message is None
            assert not caplog.text
        else:
            assert warning in message
            assert warning in caplog.text
        own.stop()  # Redis unreachable at start-up: a warning, and the ingest goes on
        assert "could not check" in ingest.check_stream_durability()
        monkeypatch.setenv("QRAPP_ENV", "test")
        reset_settings_cache()
        assert ingest.check_stream_durability() is None  # only production is checked
    finally:
        own.stop()
        reset_settings_cache()
