"""The eventually() helper the tests wait with."""

from __future__ import annotations

import itertools

import pytest

from tests.support.waiting import eventually


def test_returns_the_first_truthy_result():
    calls = itertools.count(1)
    assert eventually(lambda: (n := next(calls)) >= 3 and n, timeout=5, interval=0) == 3


def test_an_assertion_in_the_condition_means_not_yet():
    calls = itertools.count(1)

    def ready() -> bool:
        assert next(calls) >= 2, "first call"
        return True

    assert eventually(ready, timeout=5, interval=0) is True


def test_fails_with_the_message_and_the_last_assertion_when_time_runs_out():
    def never() -> None:
        raise AssertionError("still 0 scans")

    with pytest.raises(AssertionError, match=r"within 0\.05s: still 0 scans the ingest"):
        eventually(never, timeout=0.05, interval=0.01, message=lambda: "the ingest")
    with pytest.raises(AssertionError, match="nothing"):
        eventually(lambda: False, timeout=0, message="nothing")
