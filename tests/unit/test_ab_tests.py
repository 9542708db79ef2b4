"""Page A/B tests, the pure part (qrapp.core.ab_tests) and the edge's choice of variant
(qrapp.edge.landing / page_variants), against known values."""

from __future__ import annotations

import math
import random
from collections import Counter
from statistics import NormalDist

import pytest

from qrapp.core.ab_tests import (
    VariantCounts,
    analyse,
    check_weights,
    pick_variant,
    probability_b_beats_a,
    probability_best,
    two_proportion_p_value,
)
from qrapp.edge import landing, page_answers, page_variants

# --- weighted, sticky choice -------------------------------------------------------------


def test_pick_variant_splits_by_weight_within_a_percent():
    picks = Counter(pick_variant([("A", 70), ("B", 30)], "page-1", f"v{i}") for i in range(20_000))
    assert abs(picks["B"] / 20_000 - 0.30) < 0.01
    three = Counter(
        pick_variant([("A", 50), ("B", 25), ("C", 25)], "page-1", f"v{i}") for i in range(20_000)
    )
    assert abs(three["C"] / 20_000 - 0.25) < 0.01


def test_pick_variant_is_sticky_and_differs_between_pages():
    weights = [("A", 50), ("B", 50)]
    assert {pick_variant(weights, "p", "visitor") for _ in range(10)} == {
        pick_variant(weights, "p", "visitor")
    }
    # Another page's test splits its visitors independently of this one's.
    same = sum(
        pick_variant(weights, "p1", f"v{i}") == pick_variant(weights, "p2", f"v{i}")
        for i in range(4000)
    )
    assert 1800 < same < 2200


def test_a_variant_without_weight_is_never_picked():
    assert {pick_variant([("A", 0), ("B", 5)], "p", f"v{i}") for i in range(500)} == {"B"}
    assert pick_variant([("A", 0), ("B", 0)], "p", "v") == ""


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([50, 50], ""),
        ([100, 1], ""),
        ([50], "A test needs at least two variants."),
        ([100, 0], "Give at least two variants some traffic."),
        ([101, 5], "Each weight is a share between 0 and 100."),
        ([-1, 5], "Each weight is a share between 0 and 100."),
    ],
)
def test_weights_are_checked_with_a_message(weights, message):
    assert check_weights(weights) == message


# --- statistics against known values ------------------------------------------------------


def test_two_proportion_z_test_matches_the_textbook_value():
    # 10/100 vs 20/100: pooled 0.15, z = 0.1 / sqrt(0.15 * 0.85 * 0.02) = 1.9803
    p = two_proportion_p_value(100, 10, 100, 20)
    z = 0.1 / math.sqrt(0.15 * 0.85 * 0.02)
    assert p == pytest.approx(2 * (1 - NormalDist().cdf(z)), rel=1e-9)
    assert p == pytest.approx(0.04767, abs=1e-5)
    assert two_proportion_p_value(100, 10, 100, 10) == pytest.approx(1.0)
    assert two_proportion_p_value(0, 0, 100, 10) == 1.0
    assert two_proportion_p_value(100, 0, 100, 0) == 1.0  # no conversions at all


def test_probability_b_beats_a_closed_form_agrees_with_simulation():
    exact = probability_b_beats_a(100, 10, 100, 20)
    assert exact == pytest.approx(0.97517, abs=1e-4)
    rng = random.Random(7)
    n = 100_000
    wins = sum(rng.betavariate(21, 81) > rng.betavariate(11, 91) for _ in range(n))
    assert exact == pytest.approx(wins / n, abs=0.005)
    assert probability_b_beats_a(50, 5, 50, 5) == pytest.approx(0.5, abs=1e-9)
    assert probability_b_beats_a(0, 0, 0, 0) == pytest.approx(0.5, abs=1e-9)


def test_probability_best_of_three_is_seeded_and_sums_to_one():
    counts = [VariantCounts("A", 100, 10), VariantCounts("B", 100, 20), VariantCounts("C", 100, 10)]
    first = probability_best(counts)
    assert first == probability_best(counts)  # the same counts always read the same
    assert sum(first) == pytest.approx(1.0)
    assert first[1] == pytest.approx(0.95, abs=0.01)
    assert first[0] == pytest.approx(first[2], abs=0.01)


def test_verdicts_in_plain_words():
    few = analyse([VariantCounts("A", 40, 4), VariantCounts("B", 40, 9)])
    assert (few.enough_data, few.winner) == (False, "")
    assert few.verdict == "Not enough data yet: keep the test running."

    clear = analyse([VariantCounts("A", 1000, 100), VariantCounts("B", 1000, 150)])
    assert clear.winner == "B"
    assert clear.verdict == "B converts 50% better than A; 99% likely to be best."
    a, b = clear.variants
    assert (a.rate, b.rate) == (0.1, 0.15)
    assert (a.lift, a.p_value) == (None, None)
    assert b.lift == pytest.approx(0.5)
    assert b.p_value == pytest.approx(two_proportion_p_value(1000, 100, 1000, 150))

    close = analyse([VariantCounts("A", 1000, 100), VariantCounts("B", 1000, 110)])
    assert close.winner == ""
    assert close.verdict == (
        "No clear winner yet: B leads and is 76% likely to be best. Keep the test running."
    )

    # 94.9% is not rounded up to the 95% a winner needs.
    edge = analyse([VariantCounts("A", 1000, 100), VariantCounts("B", 1000, 123)])
    assert edge.variants[1].probability_best == pytest.approx(0.9486, abs=1e-3)
    assert "95%" not in edge.verdict
    assert "94% likely" in edge.verdict

    original = analyse([VariantCounts("A", 1000, 150), VariantCounts("B", 1000, 100)])
    assert original.winner == "A"
    assert original.verdict == (
        "A (the page as it was) converts best; 99% likely to be best. B did not beat it."
    )


# --- the edge: variants prebuilt, chosen by cookie or visitor hash --------------------------

SNAP = {
    "page_id": "0196a0e0-0000-7000-8000-00000000000a",
    "workspace_id": "0196a0e0-0000-7000-8000-00000000000b",
    "domain": "",
    "slug": "offer",
    "version": 4,
    "html": "<p>Original</p>",
    "csp": "default-src 'none'",
    "etag": "a4",
    "clicks": {"buy": "https://shop.example/a"},
    "downloads": {},
    "variants": [
        {"key": "A", "weight": 70},
        {
            "key": "B",
            "weight": 30,
            "version": 2,
            "html": "<p>Challenger</p>",
            "csp": "default-src 'none'",
            "etag": "b2",
            "clicks": {"buy": "https://shop.example/b"},
            "downloads": {},
            "forms": {},
        },
    ],
}
COOKIE = page_variants.cookie_name(SNAP["page_id"])


def test_a_page_under_test_serves_each_visitor_one_variant_and_sets_its_cookie():
    page = page_answers.page_from_snapshot(SNAP)
    assert [v.variant for v in page.variants] == ["A", "B"]
    seen = Counter()
    for i in range(2000):
        chosen = page.for_visitor({}, f"hash{i}")
        assert chosen is page.for_visitor({}, f"hash{i}")
        seen[chosen.variant] += 1
        body = chosen.ok[2]
        assert (b"Challenger" in body) == (chosen.variant == "B")
        assert (b"set-cookie", f"{COOKIE}={chosen.variant}; Path=/; Max-Age=7776000; "
                "HttpOnly; SameSite=Lax".encode()) in chosen.ok[1]  # fmt: skip
    assert abs(seen["B"] / 2000 - 0.30) < 0.03
    b = page.variants[1]
    assert b.click_url("buy", "") == "https://shop.example/b"
    assert '"vr":"B"' in landing.event(b, _Who(), {}, "pv")


def test_the_cookie_keeps_the_variant_and_a_stale_one_is_ignored():
    page = page_answers.page_from_snapshot(SNAP)
    for key in ("A", "B"):
        jar = {b"cookie": f"other=1; {COOKIE}={key}; x{COOKIE}=Z".encode()}
        assert {page.for_visitor(jar, f"h{i}").variant for i in range(50)} == {key}
    stale = {b"cookie": f"{COOKIE}=Z".encode()}
    assert page.for_visitor(stale, "h1").variant == page.for_visitor({}, "h1").variant
    # A cookie whose name only ends like ours is someone else's.
    assert page_variants.cookie_value({b"cookie": f"x{COOKIE}=B".encode()}, COOKIE.encode()) == ""


def test_a_page_without_a_test_is_served_as_before():
    plain = {k: v for k, v in SNAP.items() if k != "variants"}
    page = page_answers.page_from_snapshot(plain)
    assert page.for_visitor({}, "h") is page
    assert not any(h[0] == b"set-cookie" for h in page.ok[1])
    assert '"vr"' not in landing.event(page, _Who(), {}, "pv")


class _Who:
    now = 1_700_000_000.0
    ua = "Mozilla/5.0"
    place_json = '"country":"SE"'
    vhash = "abc"
    is_bot = False
