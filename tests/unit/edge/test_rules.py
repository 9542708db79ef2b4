"""Redirect rules: every condition type, first match wins, sticky A/B, validation,
simulate's explanations, UTM."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from qrapp.core import rule_fields
from qrapp.core.rules import (
    Rule,
    RuleError,
    Visitor,
    append_utm,
    condition_holds,
    describe,
    evaluate,
    normalise_rule,
    simulate,
)

NOON_UTC = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # a Wednesday
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1"
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"


def v(**kw) -> Visitor:
    kw.setdefault("now", NOON_UTC)
    return Visitor(**kw)


def c(field, op, value):
    return {"field": field, "op": op, "value": value}


@pytest.mark.parametrize(
    ("cond", "yes", "no"),
    [
        (c("device", "in", ["mobile"]), v(user_agent=IPHONE), v(user_agent=DESKTOP)),
        (c("device", "not_in", ["mobile"]), v(user_agent=DESKTOP), v(user_agent=IPHONE)),
        (c("os", "in", ["ios"]), v(user_agent=IPHONE), v(user_agent=DESKTOP)),
        (c("browser", "in", ["chrome"]), v(user_agent=DESKTOP), v(user_agent=IPHONE)),
        (
            c("language", "in", ["sv"]),
            v(accept_language="sv-SE,en;q=0.5"),
            v(accept_language="en-US,sv;q=0.5"),
        ),
        (c("language", "in", ["pt-br"]), v(accept_language="pt-BR"), v(accept_language="pt-PT")),
        (c("country", "in", ["se", "no"]), v(country="SE"), v(country="DK")),
        (c("country", "not_in", ["se"]), v(country="DK"), v(country="SE")),
        (c("region", "in", ["Stockholm"]), v(region="stockholm"), v(region="Skåne")),
        (c("city", "in", ["Lund"]), v(city="Lund"), v(city="Malmö")),
        (c("ip", "in", ["203.0.113.0/24"]), v(ip="203.0.113.9"), v(ip="198.51.100.1")),
        (c("ip", "not_in", ["2001:db8::/32"]), v(ip="203.0.113.9"), v(ip="2001:db8::1")),
        (
            c("query", "eq", {"name": "ref", "value": "tv"}),
            v(query={"ref": "tv"}),
            v(query={"ref": "radio"}),
        ),
        (c("query", "present", {"name": "x"}), v(query={"x": ""}), v(query={})),
        (c("query", "absent", {"name": "x"}), v(query={}), v(query={"x": "1"})),
        # 12:00 UTC is 13:00 in Stockholm in November.
        (
            c(
                "time",
                "between",
                {"from": "13:00", "to": "14:00", "timezone": "Europe/Stockholm", "days": ["wed"]},
            ),
            v(),
            v(now=NOON_UTC + dt.timedelta(hours=1)),
        ),
        (
            c(
                "time",
                "between",
                {"from": "13:00", "to": "14:00", "timezone": "Europe/Stockholm", "days": ["thu"]},
            ),
            v(now=NOON_UTC + dt.timedelta(days=1)),
            v(),
        ),
        (
            c("date", "between", {"from": "2026-11-01T00:00:00+00:00", "to": None}),
            v(),
            v(now=dt.datetime(2026, 10, 31, tzinfo=dt.UTC)),
        ),
    ],
)
def test_every_condition_type_matches_and_misses(cond, yes, no):
    clean, _dest, _variants = normalise_rule(
        conditions=[cond], destination="https://example.com", variants=None
    )
    assert condition_holds(clean[0], yes)
    assert not condition_holds(clean[0], no)


def test_first_matching_rule_wins_and_default_otherwise():
    rules = [
        Rule("r1", [c("country", "in", ["se"])], "https://se.example.com"),
        Rule("r2", [c("device", "in", ["mobile"])], "https://m.example.com"),
    ]
    assert evaluate(rules, v(country="SE", user_agent=IPHONE), "https://d.example").rule_id == "r1"
    d = evaluate(rules, v(country="DK", user_agent=IPHONE), "https://d.example")
    assert (d.rule_id, d.destination) == ("r2", "https://m.example.com")
    d = evaluate(rules, v(country="DK", user_agent=DESKTOP), "https://d.example")
    assert (d.rule_id, d.destination) == (None, "https://d.example")


def test_all_conditions_of_a_rule_must_hold():
    rule = Rule("r", [c("country", "in", ["se"]), c("device", "in", ["mobile"])], "https://x.se")
    assert (
        evaluate([rule], v(country="SE", user_agent=DESKTOP), "https://d.example").rule_id is None
    )


def test_malformed_stored_conditions_never_hold():
    for bad in [
        {},
        c("country", "in", None),
        c("ip", "in", ["nonsense"]),
        c("zodiac", "in", [1]),
        c("time", "between", {"from": "25:00", "to": "x"}),
        c("country", "maybe", ["se"]),
    ]:
        assert not condition_holds(bad, v(country="SE", ip="1.2.3.4"))


def test_unsafe_rule_destination_falls_through():
    rule = Rule("r", [c("country", "in", ["se"])], "javascript:alert(1)")
    d = evaluate(
        [rule], v(country="SE"), "https://d.example", is_safe=lambda u: u.startswith("https")
    )
    assert d.destination == "https://d.example"


def test_ab_split_is_sticky_and_follows_weights():
    variants = [
        {"label": "A", "destination": "https://a.example", "weight": 75},
        {"label": "B", "destination": "https://b.example", "weight": 25},
    ]
    rule = Rule("split", [c("country", "not_in", ["zz"])], "", variants)
    first = evaluate([rule], v(sticky_key="visitor-1"), "https://d.example")
    for _ in range(5):
        again = evaluate([rule], v(sticky_key="visitor-1"), "https://d.example")
        assert (again.variant, again.destination) == (first.variant, first.destination)
    counts = Counter(
        evaluate([rule], v(sticky_key=f"visitor-{i}"), "https://d.example").variant
        for i in range(4000)
    )
    assert 0.70 < counts["A"] / 4000 < 0.80
    assert counts["A"] + counts["B"] == 4000


def test_zero_weight_variant_never_chosen():
    variants = [
        {"label": "A", "destination": "https://a.example", "weight": 1},
        {"label": "B", "destination": "https://b.example", "weight": 0},
    ]
    rule = Rule("split", [c("country", "not_in", ["zz"])], "", variants)
    assert {evaluate([rule], v(sticky_key=str(i)), "https://d").variant for i in range(300)} == {
        "A"
    }


@pytest.mark.parametrize(
    ("conditions", "destination", "variants", "field"),
    [
        ([], "https://x.example", None, "conditions"),
        ([c("device", "in", ["fridge"])], "https://x.example", None, "conditions.0.value"),
        ([c("country", "in", ["Sweden"])], "https://x.example", None, "conditions.0.value"),
        ([c("ip", "in", ["300.1.1.1"])], "https://x.example", None, "conditions.0.value"),
        (
            [c("time", "between", {"from": "9", "to": "17:00"})],
            "https://x",
            None,
            "conditions.0.value",
        ),
        (
            [c("date", "between", {"from": "2027-01-01T00:00", "to": None})],
            "https://x.example",
            None,
            "conditions.0.value",
        ),
        ([c("country", "in", ["se"])], "javascript:alert(1)", None, "destination"),
        ([c("country", "in", ["se"])], " JaVaScRiPt:alert(1)", None, "destination"),
        ([c("country", "in", ["se"])], "https://app.qrapp.test/x", None, "destination"),
        (
            [c("country", "in", ["se"])],
            "",
            [{"label": "A", "destination": "https://a.example", "weight": 50}],
            "variants",
        ),
        (
            [c("country", "in", ["se"])],
            "",
            [
                {"label": "A", "destination": "data:text/html,x", "weight": 50},
                {"label": "B", "destination": "https://b.example", "weight": 50},
            ],
            "variants.0.destination",
        ),
        (
            [c("country", "in", ["se"])],
            "",
            [
                {"label": "A", "destination": "https://a.example", "weight": 0},
                {"label": "B", "destination": "https://b.example", "weight": 0},
            ],
            "variants",
        ),
    ],
)
def test_bad_rules_refused_with_a_field_message(conditions, destination, variants, field):
    with pytest.raises(RuleError) as err:
        normalise_rule(
            conditions=conditions,
            destination=destination,
            variants=variants,
            own_hosts=frozenset({"app.qrapp.test"}),
        )
    assert field in err.value.errors


def test_simulate_explains_every_rule_and_adds_utm():
    rules = [
        Rule("r1", [c("country", "in", ["se"])], "https://se.example.com", label="Sweden"),
        Rule(
            "r2",
            [c("device", "in", ["mobile"])],
            "https://m.example.com/?utm_source=own",
            label="Phones",
        ),
    ]
    d = simulate(
        rules,
        v(country="DK", device="mobile"),
        "https://d.example",
        {"utm_source": "poster", "utm_medium": "qr"},
    )
    assert d.rule_id == "r2"
    assert d.destination == "https://m.example.com/?utm_source=own&utm_medium=qr"
    assert [t.matched for t in d.trace] == [False, True]
    assert "Country is one of Sweden" in d.trace[0].why
    assert "Phones" in d.why


def test_append_utm_keeps_fragment_and_existing_query():
    assert (
        append_utm("https://x.example/p?a=1#top", {"utm_source": "qr code"})
        == "https://x.example/p?a=1&utm_source=qr+code#top"
    )
    assert append_utm("https://x.example/", {}) == "https://x.example/"


# --- values from the field's own list, and the words people read -----------------------


@pytest.mark.parametrize(
    ("cond", "named"),
    [
        # The bug: the field changed to OS but the device value stayed.
        (c("os", "in", ["mobile"]), "Operating system"),
        (c("device", "in", ["iphone"]), "Device"),
        (c("browser", "in", ["netscape navigator 4"]), "Browser"),
        (c("country", "in", ["zz"]), "Country"),
        (c("country", "in", ["Sweden"]), "Country"),
        (c("language", "in", ["klingon"]), "Language"),
        (c("language", "in", ["xx-yy"]), "Language"),
    ],
)
def test_a_value_outside_its_fields_list_is_refused_by_name(cond, named):
    with pytest.raises(RuleError) as err:
        normalise_rule(conditions=[cond], destination="https://x.example", variants=None)
    message = err.value.errors["conditions.0.value"]
    assert named in message
    assert "list" in message


@pytest.mark.parametrize(
    ("cond", "stored"),
    [
        (c("os", "in", ["iOS", "Android"]), ["ios", "android"]),
        (c("os", "not_in", ["Mac OS X"]), ["mac os x"]),
        (c("browser", "in", ["Samsung Internet"]), ["samsung internet"]),
        (c("device", "in", ["tablet"]), ["tablet"]),
        (c("country", "in", ["SE", "no"]), ["se", "no"]),
        (c("language", "in", ["sv", "pt-BR", "sv-FI"]), ["sv", "pt-br", "sv-fi"]),
        # Typed fields take what is typed.
        (c("region", "in", ["Västra Götaland"]), ["västra götaland"]),
        (c("city", "in", ["Lund"]), ["lund"]),
    ],
)
def test_values_from_the_list_are_accepted_in_any_case(cond, stored):
    clean, _d, _v = normalise_rule(
        conditions=[cond], destination="https://x.example", variants=None
    )
    assert clean[0]["value"] == stored


def test_every_listed_value_is_what_the_edge_sees_for_a_real_agent():
    # The lists name families as ua-parser reports them: a listed value really matches.
    from qrapp.core.visitor import parse_user_agent

    iphone, desktop = parse_user_agent(IPHONE), parse_user_agent(DESKTOP)
    assert {iphone.device_type, iphone.os.lower(), iphone.browser.lower()} <= {
        v
        for opts in (rule_fields.DEVICES, rule_fields.OPERATING_SYSTEMS, rule_fields.BROWSERS)
        for v, _ in opts
    }
    assert desktop.os.lower() in dict(rule_fields.OPERATING_SYSTEMS)
    assert desktop.browser.lower() in dict(rule_fields.BROWSERS)
    assert len(rule_fields.COUNTRY_OPTIONS) > 240


@pytest.mark.parametrize(
    ("cond", "words"),
    [
        (c("os", "in", ["ios", "mac os x"]), "Operating system is one of iOS, macOS"),
        (c("device", "not_in", ["mobile"]), "Device is not Mobile"),
        (c("country", "in", ["se", "no"]), "Country is one of Sweden, Norway"),
        (c("language", "in", ["sv", "pt-br"]), "Language is one of Swedish, Portuguese (Brazil)"),
        (c("browser", "in", ["mobile safari"]), "Browser is one of Safari on iPhone/iPad"),
        (c("city", "in", ["lund"]), "City is one of lund"),
        (c("ip", "not_in", ["203.0.113.0/24"]), "IP range is not 203.0.113.0/24"),
        (
            c("query", "eq", {"name": "src", "value": "tv"}),
            "Query parameter src equals 'tv'",
        ),
        (c("query", "absent", {"name": "src"}), "Query parameter src is absent"),
        (
            c(
                "time",
                "between",
                {"from": "09:00", "to": "17:00", "days": ["mon", "tue"], "timezone": "UTC"},
            ),
            "Time of day 09:00 to 17:00 on Mon, Tue (UTC)",
        ),
        (
            c("date", "between", {"from": "2026-12-01T00:00:00+00:00", "to": None}),
            "Date range from 2026-12-01 00:00 UTC",
        ),
    ],
)
def test_summaries_use_human_labels(cond, words):
    assert describe(cond) == words


def test_a_pure_ab_split_needs_no_condition_and_takes_every_scan():
    variants = [
        {"label": "A", "destination": "https://a.example", "weight": 50},
        {"label": "B", "destination": "https://b.example", "weight": 50},
    ]
    conditions, destination, clean = normalise_rule(
        conditions=[], destination="", variants=variants
    )
    assert (conditions, destination) == ([], "")
    split = Rule("split", conditions, "", clean)
    seen = {
        evaluate([split], v(sticky_key=f"visitor-{i}"), "https://d.example").variant
        for i in range(200)
    }
    assert seen == {"A", "B"}
    # A rule with one destination still needs a condition (it would be the destination).
    with pytest.raises(RuleError) as err:
        normalise_rule(conditions=[], destination="https://x.example", variants=None)
    assert "A/B split" in err.value.errors["conditions"]
    # A stored single-destination rule without conditions (a bad row) still never matches.
    bare = Rule("bare", [], "https://x.example")
    assert evaluate([bare], v(), "https://d.example").rule_id is None
