"""The in-process GCRA: exact allowance, spacing after a burst, and its headers."""

from __future__ import annotations

from qrapp.api.v1.ratelimit import _decide


def _run(times: list[float], limit: int, window: float = 60.0) -> list[bool]:
    tat = times[0]
    out = []
    for now in times:
        decision, tat = _decide(tat, now, limit, window)
        out.append(decision.allowed)
    return out


def test_a_burst_from_rest_passes_exactly_the_limit():
    assert _run([0.0] * 13, limit=10) == [True] * 10 + [False] * 3


def test_after_a_burst_one_more_passes_every_window_over_limit_seconds():
    # 10 per minute: one every 6 s once the burst is spent.
    times = [0.0] * 10 + [5.9, 6.0, 6.1, 11.9, 12.0]
    assert _run(times, limit=10) == [True] * 10 + [False, True, False, False, True]


def test_remaining_reset_and_retry_after_are_whole_seconds():
    tat = 0.0
    seen = []
    for _ in range(3):
        decision, tat = _decide(tat, 0.0, 3, 60.0)
        seen.append((decision.remaining, decision.reset_seconds))
    assert seen == [(2, 20), (1, 40), (0, 60)]
    refused, _ = _decide(tat, 0.0, 3, 60.0)
    assert not refused.allowed
    assert refused.retry_after == 20
    assert dict(refused.headers())[b"retry-after"] == b"20"
