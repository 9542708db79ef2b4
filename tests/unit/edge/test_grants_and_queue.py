"""The password grant cookie and the ingest's parsing of stream messages (poison, bots).
The local queue, an SQLite file, is tested in tests/integration/test_local_scan_queue.py."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from qrapp.edge import grants
from qrapp.services.scans.scan_events import PoisonEvent, parse_event

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
