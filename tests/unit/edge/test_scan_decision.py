"""The whole scan decision (qrapp.core.scan_decision): each step decides in its turn, in
the edge's order, and says so in words."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from qrapp.core import scan_decision, validity
from qrapp.core.rules import Rule, Visitor
from qrapp.core.scan_decision import Code, decide, explain

WED_NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # 13:00 in Stockholm
DAY = dt.timedelta(days=1)
IPHONE_RULE = Rule(
    "r-iphone",
    [{"field": "os", "op": "in", "value": ["ios"]}],
    "https://m.example/",
    label="iPhone users",
)
SE_RULE = Rule("r-se", [{"field": "country", "op": "in", "value": ["se"]}], "https://se.example/")
SPLIT = Rule(
    "r-split",
    [],
    variants=[
        {"label": "A", "destination": "https://a.example/", "weight": 0},
        {"label": "B", "destination": "https://b.example/", "weight": 100},
    ],
)
BASE = Code(
    destination="https://example.com/",
    rules=(SE_RULE, IPHONE_RULE),
    utm={"utm_medium": "qr"},
)


def who(**kw) -> Visitor:
    kw.setdefault("now", WED_NOON)
    kw.setdefault("device", "mobile")
    kw.setdefault("os", "ios")
    kw.setdefault("browser", "")
    return Visitor(**kw)


def code(**changes) -> Code:
    return dataclasses.replace(BASE, **changes)


@pytest.mark.parametrize(
    ("facts", "page", "words"),
    [
        (code(status="paused"), validity.PAUSED, "Paused: the visitor sees the paused page"),
        (code(status="archived"), validity.ARCHIVED, "Archived"),
        (code(starts_at=WED_NOON + DAY), validity.NOT_STARTED, "Not started yet"),
        (code(ends_at=WED_NOON - DAY), validity.EXPIRED, "Expired"),
        (
            # Open 09:00-12:00 in Stockholm: 13:00 there is outside, though 12:00 UTC.
            code(schedule={"timezone": "Europe/Stockholm", "days": {"wed": [["09:00", "12:00"]]}}),
            validity.OUTSIDE_SCHEDULE,
            "Outside the weekly schedule",
        ),
    ],
)
def test_validity_decides_first(facts, page, words):
    # Even with a password set and a matching rule, validity speaks first.
    out = decide(dataclasses.replace(facts, password_hash="x"), who())
    assert (out.step, out.page, out.location) == ("validity", page, "")
    assert words in explain(out)


def test_the_schedule_counts_in_its_own_time_zone():
    open_now = code(
        schedule={"timezone": "Europe/Stockholm", "days": {"wed": [["13:00", "14:00"]]}}
    )
    assert decide(open_now, who()).step == "rule"


def test_a_refusal_sends_to_the_fallback_url_when_there_is_one():
    out = decide(code(status="paused", fallback_url="https://example.com/later"), who())
    assert (out.step, out.page, out.location) == ("validity", "paused", "https://example.com/later")
    assert "fallback URL" in explain(out)
    # An unusable stored fallback is not sent: the page is shown instead.
    out = decide(
        code(status="paused", fallback_url="javascript:x"), who(), is_safe=lambda u: "://" in u
    )
    assert (out.page, out.location) == ("paused", "")


def test_password_decides_until_it_is_entered():
    protected = code(password_hash="argon2-hash")
    out = decide(protected, who())
    assert (out.step, out.page) == ("password", "password")
    assert explain(out) == "Password required: the visitor sees the password form"
    assert decide(protected, who(), password_granted=True).step == "rule"


def test_scan_limits_decide_after_the_password():
    limited = code(max_scans=42, one_scan_per_visitor=True, password_hash="h")
    assert decide(limited, who(), slot_left=False).step == "password"
    out = decide(limited, who(), password_granted=True, already_scanned=True)
    assert (out.step, out.page) == ("limit", validity.ALREADY_SCANNED)
    assert "one scan per visitor" in explain(out)
    out = decide(limited, who(), password_granted=True, slot_left=False)
    assert (out.step, out.page) == ("limit", validity.LIMIT_REACHED)
    assert explain(out).startswith("Maximum scans reached")
    # Bots and link previews of a limited code get a neutral page and use nothing up.
    out = decide(limited, who(), password_granted=True, is_bot=True)
    assert (out.step, out.page) == ("preview", "preview")
    # Without limits, none of that applies.
    assert decide(code(), who(), slot_left=False, already_scanned=True, is_bot=True).step == (
        "rule"
    )


def test_the_first_matching_rule_decides_by_number_and_name():
    out = decide(code(), who(country="DK"), trace=True)
    assert (out.step, out.rule_id, out.rule_number) == ("rule", "r-iphone", 2)
    assert out.location == "https://m.example/?utm_medium=qr"
    assert out.destination == "https://m.example/"
    assert explain(out) == "Rule 2 'iPhone users' matched → https://m.example/?utm_medium=qr"
    assert [t.matched for t in out.trace] == [False, True]
    assert explain(decide(code(), who(country="SE"))).startswith("Rule 1 matched →")


def test_an_ab_variant_decides():
    out = decide(code(rules=(SPLIT,)), who())
    assert (out.step, out.variant, out.location) == (
        "rule",
        "B",
        "https://b.example/?utm_medium=qr",
    )
    assert explain(out) == "Rule 1 matched, A/B variant B → https://b.example/?utm_medium=qr"


def test_no_rule_matched_means_the_codes_destination():
    out = decide(code(), who(os="android", country="DK"))
    assert (out.step, out.location) == ("default", "https://example.com/?utm_medium=qr")
    assert explain(out).startswith("No rule matched: the code's destination")


def test_an_unusable_destination_shows_the_cannot_open_page():
    out = decide(
        code(rules=(), destination="javascript:alert(1)"), who(), is_safe=lambda u: "://" in u
    )
    assert (out.page, out.location) == ("bad_destination", "")
    assert "cannot be opened" in explain(out)


def test_the_edge_steps_compose_to_decide():
    """The edge calls admission / limits / route one by one around its storage calls;
    together they are `decide`."""
    facts = code(max_scans=5, password_hash="h")
    visitor = who(country="DK")
    steps = (
        scan_decision.admission(facts, visitor.now, password_granted=True)
        or scan_decision.limits(facts, is_bot=False, already_scanned=False, slot_left=True)
        or scan_decision.route(facts, visitor)
    )
    assert steps == decide(facts, visitor, password_granted=True)


def test_the_edges_cached_link_is_code_facts():
    """The edge can hand its Link to these steps as it is (no copy per scan)."""
    from qrapp.edge.links import link_from_snapshot

    link = link_from_snapshot(
        {
            "id": "0196a0e0-0000-7000-8000-000000000001",
            "workspace_id": "w",
            "short_code": "abc",
            "destination": "https://example.com/",
            "status": "paused",
            "rules": [
                {
                    "id": "r1",
                    "conditions": [{"field": "os", "op": "in", "value": ["ios"]}],
                    "destination": "https://m.example/",
                }
            ],
        }
    )
    out = scan_decision.admission(link, WED_NOON, password_granted=False, is_safe=link.is_safe)
    assert (out.step, out.page) == ("validity", "paused")
    link.status = "active"
    out = scan_decision.route(link, who(), is_safe=link.is_safe)
    assert (out.rule_id, out.location) == ("r1", "https://m.example/")
