"""The edge's scan path decides with qrapp.core.scan_decision, the same steps as the code
page's "Simulate a scan": for the same code and visitor the edge answers what `decide`
says (qrapp.edge.responses.for_outcome), so the two cannot drift. And an edge worker
starts without the renderer and the scannability check."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys

import pytest

from qrapp.core import hosts, scan_decision
from qrapp.core.destinations import sendable
from qrapp.core.rules import Visitor
from qrapp.edge import responses, scan
from qrapp.edge.geo import Place
from qrapp.edge.links import link_from_snapshot
from qrapp.services.codes import code_access

IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile"
PAST = dt.datetime(2001, 1, 1, tzinfo=dt.UTC).timestamp()
FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp()


class StubEdge:
    """The per-process pieces prepare() asks for."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.capture = self

    def add(self, event: str) -> None:
        self.events.append(event)

    def client_ip(self, peer: str, xff: str) -> str:
        return peer

    def place(self, ip: str) -> tuple[Place, str]:
        return Place("SE", "Stockholm", "Stockholm"), (
            '"country":"SE","region":"Stockholm","city":"Stockholm"'
        )

    def visitor_key(self, now: float) -> bytes:
        return b"k" * 32


def snapshot(**changes) -> dict:
    snap = {
        "id": "0196a0e0-0000-7000-8000-000000000001",
        "workspace_id": "0196a0e0-0000-7000-8000-000000000002",
        "short_code": "abc",
        "name": "Menu",
        "destination": "https://example.com/",
        "status": "active",
        "utm": {"utm_medium": "qr"},
        "rules": [],
    }
    return snap | changes


SE_RULE = {
    "id": "r-se",
    "label": "Sweden",
    "conditions": [{"field": "country", "op": "in", "value": ["se"]}],
    "destination": "https://se.example/",
}
DK_RULE = SE_RULE | {
    "id": "r-dk",
    "conditions": [{"field": "country", "op": "in", "value": ["dk"]}],
}
SPLIT = {
    "id": "r-split",
    "label": "",
    "conditions": [],
    "destination": "",
    "variants": [
        {"label": "A", "destination": "https://a.example/", "weight": 0},
        {"label": "B", "destination": "https://b.example/", "weight": 100},
    ],
}
HEADERS = {b"user-agent": IPHONE.encode(), b"accept-language": b"sv-SE,sv;q=0.9"}


@pytest.mark.parametrize(
    "snap",
    [
        snapshot(),
        snapshot(rules=[SE_RULE]),
        snapshot(rules=[DK_RULE]),
        snapshot(rules=[DK_RULE, SPLIT]),
        snapshot(status="paused"),
        snapshot(status="paused", fallback_url="https://example.com/closed"),
        snapshot(status="archived"),
        snapshot(starts_at=FUTURE),
        snapshot(ends_at=PAST, fallback_url="https://example.com/over"),
        snapshot(schedule={"timezone": "UTC", "days": {}}),
        snapshot(password_hash="$argon2id$x"),
        # Not what the save-time checks make of it: never sent as a Location.
        snapshot(destination="javascript:alert(1)"),
        snapshot(rules=[SE_RULE | {"destination": "https://se.example"}]),
    ],
)
def test_the_edge_answers_what_the_simulator_decides(snap):
    link = link_from_snapshot(snap)
    edge = StubEdge()
    who = scan.prepare(edge, link, HEADERS, False, "198.51.100.7")
    if isinstance(who, scan.Scan):
        answer, event = scan.finish(link, who, b"", HEADERS)
        now = dt.datetime.fromtimestamp(who.now, dt.UTC)
        sticky = who.vhash
    else:
        answer, event = who, None
        now, sticky = dt.datetime.now(dt.UTC), ""
    visitor = Visitor(
        now=now,
        user_agent=IPHONE,
        accept_language="sv-SE,sv;q=0.9",
        country="SE",
        region="Stockholm",
        city="Stockholm",
        ip="198.51.100.7",
        sticky_key=sticky,
    )
    expected = scan_decision.decide(link, visitor, is_safe=link.is_safe)
    assert answer == responses.for_outcome(link, expected)
    # Only a scan sent on to a destination is recorded (refusals are not scans).
    if expected.page or expected.step not in (scan_decision.RULE, scan_decision.DEFAULT):
        assert event is None
    else:
        recorded = json.loads(event)
        assert (recorded["rule"], recorded["variant"], recorded["dest"]) == (
            expected.rule_id,
            expected.variant,
            expected.destination,
        )


def test_each_answer_is_the_one_people_see():
    """The Outcome -> response mapping, spelled out."""
    link = link_from_snapshot(snapshot(fallback_url="https://example.com/closed"))
    paused = scan_decision.Outcome(step="validity", page="paused")
    assert responses.for_outcome(link, paused)[0] == 403
    status, headers, _ = responses.for_outcome(
        link, scan_decision.Outcome(step="validity", page="paused", location="https://x.example/")
    )
    assert (status, dict(headers)[b"location"]) == (302, b"https://x.example/")
    status, _, body = responses.for_outcome(
        link, scan_decision.Outcome(step="password", page="password")
    )
    assert status == 200
    assert b'type="password"' in body
    status, _, body = responses.for_outcome(
        link, scan_decision.Outcome(step="preview", page="preview")
    )
    assert status == 200
    assert b"Open this code on your phone" in body


def _limited(monkeypatch, snap, *, first=True, slot=True):
    calls = []

    def grant_visitor_once(code_id, key):
        calls.append("once")
        return first

    def take_scan_slot(code_id):
        calls.append("slot")
        return slot

    monkeypatch.setattr(code_access, "grant_visitor_once", grant_visitor_once)
    monkeypatch.setattr(code_access, "take_scan_slot", take_scan_slot)
    link = link_from_snapshot(snap)
    edge = StubEdge()
    return link, edge, calls


@pytest.mark.parametrize(
    ("snap", "first", "slot", "ua", "status", "calls"),
    [
        (snapshot(max_scans=5), True, True, IPHONE, None, ["slot"]),
        (snapshot(max_scans=5), True, False, IPHONE, 410, ["slot"]),
        (snapshot(one_scan_per_visitor=True, max_scans=5), False, True, IPHONE, 410, ["once"]),
        (
            snapshot(one_scan_per_visitor=True, max_scans=5),
            True,
            True,
            IPHONE,
            None,
            ["once", "slot"],
        ),
        # A chat app's preview: a neutral page, no scan used up, its event kept as a bot's.
        (snapshot(max_scans=5), True, True, "Slackbot-LinkExpanding 1.0", 200, []),
        (
            snapshot(max_scans=5, fallback_url="https://example.com/gone"),
            True,
            False,
            IPHONE,
            302,
            ["slot"],
        ),
    ],
)
def test_a_limited_code_takes_storage_as_limits_decides(
    monkeypatch, snap, first, slot, ua, status, calls
):
    link, edge, taken = _limited(monkeypatch, snap, first=first, slot=slot)
    headers = {b"user-agent": ua.encode()}
    who = scan.prepare(edge, link, headers, False, "198.51.100.7")
    refusal = asyncio.run(scan.take_limit(edge, link, who, headers))
    assert taken == calls
    expected = scan_decision.limits(
        link,
        is_bot=not calls,
        already_scanned=not first,
        slot_left=slot,
        is_safe=link.is_safe,
    )
    if status is None:
        assert refusal is None
        assert expected is None
        return
    assert refusal == responses.for_outcome(link, expected)
    assert refusal[0] == status
    if expected.step == scan_decision.PREVIEW:
        assert [json.loads(e)["bot"] for e in edge.events] == [True]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"status": "paused"},
        {"starts_at": dt.datetime(2100, 1, 1, tzinfo=dt.UTC)},
        {"ends_at": dt.datetime(2001, 1, 1, tzinfo=dt.UTC)},
        {"schedule": {"timezone": "UTC", "days": {}}},
        {"password_hash": "h"},
    ],
)
def test_always_admitted_only_when_admission_cannot_refuse(changes):
    facts = scan_decision.Code(destination="https://example.com/", **changes)
    never_refused = all(
        scan_decision.admission(facts, now, password_granted=False) is None
        for now in (
            dt.datetime(2001, 1, 1, tzinfo=dt.UTC),
            dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC),
            dt.datetime(2100, 1, 2, tzinfo=dt.UTC),
        )
    )
    assert scan_decision.always_admitted(facts) is (not changes)
    assert never_refused is (not changes)


def test_fixed_route_is_the_route_of_any_visitor():
    facts = scan_decision.Code(destination="https://example.com/", utm={"utm_source": "qr"})
    visitor = Visitor(now=dt.datetime(2026, 11, 25, tzinfo=dt.UTC), country="SE", sticky_key="v")
    assert scan_decision.fixed_route(facts) == scan_decision.route(facts, visitor)
    with pytest.raises(ValueError, match="rules"):
        scan_decision.fixed_route(link_from_snapshot(snapshot(rules=[SE_RULE])))


def test_short_urls():
    assert hosts.short_url("https://qr.example.com/", "", "abc") == "https://qr.example.com/abc"
    assert (
        hosts.short_url("https://qr.example.com", "go.shop.se", "abc") == "https://go.shop.se/abc"
    )


def test_an_edge_worker_starts_without_the_renderer_or_the_scannability_check():
    heavy = ["numpy", "zxingcpp", "PIL", "segno", "fontTools", "qrapp.services.codes.qrcodes"]
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, qrapp.edge.app, qrapp.edge.fast_http;"
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == ""


def test_only_stored_destinations_as_saved_are_sent():
    """The edge's cache fill and the simulator ask the same question of a stored URL."""
    assert sendable("https://example.com/menu")
    assert not sendable("")
    assert not sendable("example.com/menu")  # saving would have made it https://...
    assert not sendable("javascript:alert(1)")
    assert not sendable("http://127.0.0.1:8080/x", own_hosts=frozenset({"127.0.0.1"}))
