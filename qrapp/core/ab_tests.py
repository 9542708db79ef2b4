"""Page A/B tests, the pure part: which variant a visitor gets, and what the counts say.

`pick_variant` is what the edge calls on every view of a page under test: a hash of the
page and the visitor, so the same visitor gets the same variant on every edge without any
shared state (the edge's cookie keeps it across the daily rotation of the visitor hash).

The statistics read per-variant counts (visitors who saw it, visitors who converted) and
give a two-sided two-proportion z-test against the first variant (the page as it was),
the probability that each variant has the best true rate (Beta(1+c, 1+n-c) posteriors:
exact for two variants, a seeded Monte Carlo for more), and a verdict in plain words.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

KEYS = ("A", "B", "C", "D")
MAX_WEIGHT = 100
# Below these a verdict would mostly be noise: keep the test running.
MIN_VIEWS_PER_VARIANT = 100
MIN_CONVERSIONS = 10
CONFIDENT = 0.95  # probability of being best that makes a winner
_DRAWS = 20_000
_SEED = 20261130


def pick_variant(weights: Sequence[tuple[str, int]], salt: str, visitor: str) -> str:
    """The variant key for this visitor: stable for the same (salt, visitor), and spread
    over the keys in proportion to their weights. "" when no weight is positive."""
    total = sum(w for _, w in weights if w > 0)
    if total <= 0:
        return ""
    digest = hashlib.blake2b(f"{salt}\n{visitor}".encode(), digest_size=8).digest()
    point = int.from_bytes(digest, "big") % total
    for key, weight in weights:
        if weight <= 0:
            continue
        if point < weight:
            return key
        point -= weight
    return ""  # unreachable: point < total


def check_weights(weights: Sequence[int]) -> str:
    """ "" when the weights can split traffic, else what is wrong, in words."""
    if len(weights) < 2:
        return "A test needs at least two variants."
    if any(w < 0 or w > MAX_WEIGHT for w in weights):
        return f"Each weight is a share between 0 and {MAX_WEIGHT}."
    if sum(1 for w in weights if w > 0) < 2:
        return "Give at least two variants some traffic."
    return ""


@dataclass(frozen=True)
class VariantCounts:
    key: str
    views: int  # visitors who saw the variant
    conversions: int  # of those, visitors who reached the goal


@dataclass(frozen=True)
class VariantResult:
    key: str
    views: int
    conversions: int
    rate: float  # conversions / views (0 when nobody saw it)
    lift: float | None  # relative to the first variant's rate; None for it or when it is 0
    p_value: float | None  # two-sided, against the first variant; None for the first
    probability_best: float


@dataclass(frozen=True)
class AbResult:
    variants: tuple[VariantResult, ...]
    winner: str  # the key, when the data names one; ""
    enough_data: bool
    verdict: str


def rate(views: int, conversions: int) -> float:
    return conversions / views if views > 0 else 0.0


def two_proportion_p_value(views_a: int, conv_a: int, views_b: int, conv_b: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (1.0 when undefined)."""
    if views_a <= 0 or views_b <= 0:
        return 1.0
    pooled = (conv_a + conv_b) / (views_a + views_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / views_a + 1 / views_b))
    if se == 0:
        return 1.0
    z = (conv_b / views_b - conv_a / views_a) / se
    return math.erfc(abs(z) / math.sqrt(2))


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def probability_b_beats_a(views_a: int, conv_a: int, views_b: int, conv_b: int) -> float:
    """P(p_B > p_A) under uniform priors, exactly (Evan Miller's closed form):
    sum over i < alpha_B of B(alpha_A + i, beta_A + beta_B) / ((beta_B + i) B(1 + i, beta_B)
    B(alpha_A, beta_A))."""
    alpha_a, beta_a = conv_a + 1, views_a - conv_a + 1
    alpha_b, beta_b = conv_b + 1, views_b - conv_b + 1
    total = 0.0
    for i in range(alpha_b):
        total += math.exp(
            _log_beta(alpha_a + i, beta_a + beta_b)
            - math.log(beta_b + i)
            - _log_beta(1 + i, beta_b)
            - _log_beta(alpha_a, beta_a)
        )
    return min(1.0, max(0.0, total))


def probability_best(counts: Sequence[VariantCounts], *, draws: int = _DRAWS) -> list[float]:
    """For each variant, the probability its true rate is the highest."""
    if not counts:
        return []
    if len(counts) == 2:
        a, b = counts
        p_b = probability_b_beats_a(a.views, a.conversions, b.views, b.conversions)
        return [1.0 - p_b, p_b]
    # Seeded: the same counts always read the same. Not a secret (S311).
    rng = random.Random(_SEED)  # noqa: S311
    wins = [0] * len(counts)
    params = [(c.conversions + 1, max(0, c.views - c.conversions) + 1) for c in counts]
    for _ in range(draws):
        samples = [rng.betavariate(a, b) for a, b in params]
        wins[samples.index(max(samples))] += 1
    return [w / draws for w in wins]


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _likely(probability: float) -> str:
    # Rounded down: 94.9% must not read "95% likely" beside "no clear winner".
    return f"{math.floor(probability * 100)}%"


def analyse(counts: Sequence[VariantCounts]) -> AbResult:
    """Rates, p-values against the first variant, probabilities and the verdict."""
    if not counts:
        return AbResult((), "", False, "No variants.")
    control = counts[0]
    control_rate = rate(control.views, control.conversions)
    best = probability_best(counts)
    results = []
    for i, c in enumerate(counts):
        r = rate(c.views, c.conversions)
        results.append(
            VariantResult(
                key=c.key,
                views=c.views,
                conversions=c.conversions,
                rate=r,
                lift=None if i == 0 or control_rate == 0 else r / control_rate - 1,
                p_value=None
                if i == 0
                else two_proportion_p_value(
                    control.views, control.conversions, c.views, c.conversions
                ),
                probability_best=best[i],
            )
        )
    enough = all(c.views >= MIN_VIEWS_PER_VARIANT for c in counts) and (
        sum(c.conversions for c in counts) >= MIN_CONVERSIONS
    )
    if not enough:
        return AbResult(tuple(results), "", False, "Not enough data yet: keep the test running.")
    leader = max(results, key=lambda v: v.probability_best)
    likely = _likely(leader.probability_best)
    if leader.probability_best < CONFIDENT:
        return AbResult(
            tuple(results),
            "",
            True,
            f"No clear winner yet: {leader.key} leads and is {likely} likely to be best. "
            "Keep the test running.",
        )
    if leader.key == control.key:
        others = ", ".join(v.key for v in results[1:])
        text = f"{leader.key} (the page as it was) converts best; {likely} likely to be best."
        if others:
            text += f" {others} did not beat it."
    elif leader.lift is None:
        text = f"{leader.key} converts better than {control.key}; {likely} likely to be best."
    else:
        text = (
            f"{leader.key} converts {_percent(leader.lift)} better than {control.key}; "
            f"{likely} likely to be best."
        )
    return AbResult(tuple(results), leader.key, True, text)
