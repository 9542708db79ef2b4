"""The "billing" step of the scan decision (qrapp.core.scan_decision): a code paused
because its workspace's paid plan expired answers the owner's "temporarily unavailable"
page (or its fallback URL), says so in the simulator's words, and its scan is captured."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from qrapp.core import scan_decision
from qrapp.core.rules import Rule, Visitor
from qrapp.core.scan_decision import Code, decide, explain
from qrapp.edge import scan
from qrapp.edge.links import link_from_snapshot
from tests.unit.edge.test_edge_scan_path import HEADERS, StubEdge, snapshot

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
PAUSED = Code(destination="https://example.com/", billing_paused=True)


def _visitor() -> Visitor:
    return Visitor(now=NOW, device="mobile", os="ios")


def test_a_billing_paused_code_gets_the_unavailable_page():
    outcome = decide(PAUSED, _visitor())
    assert (outcome.step, outcome.page, outcome.location) == (
        scan_decision.BILLING,
        scan_decision.BILLING_PAGE,
        "",
    )
    assert explain(outcome) == (
        "Paused because the paid plan ended (the scan is still counted): "
        "the visitor sees your 'temporarily unavailable' page"
    )


def test_its_fallback_url_replaces_the_page():
    facts = dataclasses.replace(PAUSED, fallback_url="https://example.com/later")
    outcome = decide(facts, _visitor())
    assert (outcome.step, outcome.location) == (scan_decision.BILLING, "https://example.com/later")
    assert "sent to the fallback URL → https://example.com/later" in explain(outcome)
    # A fallback that fails the stored-URL checks is never sent: the page instead.
    unsafe = decide(facts, _visitor(), is_safe=lambda _url: False)
    assert (unsafe.page, unsafe.location) == (scan_decision.BILLING_PAGE, "")


@pytest.mark.parametrize(
    ("changes", "step"),
    [
        # The owner's own pause says more than the plan: validity decides first.
        ({"status": "paused"}, scan_decision.VALIDITY),
        # Nor does a paused code ask for its password or use up a limited scan.
        ({"password_hash": "h"}, scan_decision.BILLING),
        ({"max_scans": 1}, scan_decision.BILLING),
        ({"rules": (Rule("r", [], "https://rule.example/"),)}, scan_decision.BILLING),
    ],
)
def test_billing_comes_after_validity_and_before_everything_else(changes, step):
    outcome = decide(
        dataclasses.replace(PAUSED, **changes), _visitor(), slot_left=False, already_scanned=True
    )
    assert outcome.step == step


def test_a_billing_paused_code_is_never_always_admitted():
    assert scan_decision.always_admitted(Code(destination="https://example.com/"))
    assert not scan_decision.always_admitted(PAUSED)


@pytest.mark.parametrize("fallback", ["", "https://example.com/later"])
def test_the_edge_answers_and_counts_the_scan(fallback):
    link = link_from_snapshot(
        snapshot(billing_paused=True, brand="Café <Nord>", fallback_url=fallback)
    )
    edge = StubEdge()
    status, headers, body = scan.prepare(edge, link, HEADERS, False, "198.51.100.7")
    head = dict(headers)
    if fallback:
        assert (status, head[b"location"]) == (302, fallback.encode())
    else:
        assert status == 503
        assert head[b"retry-after"] == b"86400"
        assert head[b"x-robots-tag"] == b"noindex"
        text = body.decode()
        assert "Temporarily unavailable" in text
        assert "Café &lt;Nord&gt;" in text  # the workspace's name as the brand, escaped
        assert "<script" not in text
        assert '<meta name=robots content="noindex">' in text
    # The scan is captured as a normal one: the owner's analytics count it.
    [event] = [json.loads(e) for e in edge.events]
    assert (event["code"], event["bot"], event["rule"], event["dest"]) == (
        link.id_str,
        False,
        None,
        fallback,
    )


def test_an_active_code_is_untouched():
    link = link_from_snapshot(snapshot(billing_paused=False, brand=""))
    who = scan.prepare(StubEdge(), link, HEADERS, False, "198.51.100.7")
    assert isinstance(who, scan.Scan)
