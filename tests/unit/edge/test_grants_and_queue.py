"""The password grant cookie, the local queue (claims, reclaim, dead-letter), and the
ingest's parsing of stream messages (poison, bots)."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from qrapp.edge import grants
from qrapp.scanstream.local import LocalQueue
from qrapp.services.scans.ingest import PoisonEvent, parse_event

CODE = "0192f000-0000-7000-8000-000000000001"


def test_grant_valid_only_for_its_code_password_and_time():
    now = time.time()
    g = grants.make_grant(CODE, "$argon2id$hash-1", now)
    assert grants.grant_valid(g, CODE, "$argon2id$hash-1", now)
    assert not grants.grant_valid(g, CODE, "$argon2id$hash-2", now)  # password changed
    assert not grants.grant_valid(g, CODE.replace("1", "2"), "$argon2id$hash-1", now)
    assert not grants.grant_valid(g, CODE, "$argon2id$hash-1", now + 24 * 3600)
    expiry, sig = g.split(".")
    assert not grants.grant_valid(f"{int(expiry) + 9999}.{sig}", CODE, "$argon2id$hash-1", now)
    assert not grants.grant_valid("", CODE, "$argon2id$hash-1", now)
    assert not grants.grant_valid("garbage", CODE, "$argon2id$hash-1", now)


def test_local_queue_claims_are_exclusive_and_acked_messages_go(tmp_path):
    q = LocalQueue(tmp_path / "q.sqlite")
    q.append([f"m{i}" for i in range(10)])
    a = q.read("a", 6)
    b = LocalQueue(tmp_path / "q.sqlite").read("b", 6)
    assert len(a) == 6
    assert len(b) == 4
    assert not {d.id for d in a} & {d.id for d in b}
    q.ack([d.id for d in a])
    assert q.pending() == 4


def test_local_queue_reclaims_after_idle_and_counts_deliveries(tmp_path):
    q = LocalQueue(tmp_path / "q.sqlite")
    q.append(["x"])
    first = q.read("dead-consumer", 10)
    assert q.reclaim("other", min_idle_ms=60_000, count=10) == []
    time.sleep(0.05)  # lets the delivery age past min_idle_ms=10: time must pass
    again = q.reclaim("other", min_idle_ms=10, count=10)
    assert [d.raw for d in again] == ["x"]
    assert again[0].deliveries == first[0].deliveries + 1
    q.dead_letter([d.raw for d in again], "poison")
    q.ack([d.id for d in again])
    assert q.pending() == 0
    assert q.dead() == [("x", "poison")]


def _event(**kw):
    base = {
        "id": str(uuid.uuid4()),
        "code": CODE,
        "ws": CODE,
        "t": time.time(),
        "ua": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148",
        "vh": "abc",
        "country": "se",
    }
    base.update(kw)
    return json.dumps(base)


def test_parse_event_fills_agent_facts():
    row = parse_event(_event())
    assert (row["device_type"], row["os"], row["is_bot"], row["country"]) == (
        "mobile",
        "iOS",
        False,
        "SE",
    )
    assert parse_event(_event(ua="WhatsApp/2.23"))["is_bot"]
    assert parse_event(_event(bot=True))["device_type"] == "bot"  # HEAD at the edge


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        _event(id="nope"),
        _event(code=None),
        _event(t="yesterday"),
        json.dumps({"id": str(uuid.uuid4())}),
    ],
)
def test_poison_events_recognised(raw):
    with pytest.raises(PoisonEvent):
        parse_event(raw)
