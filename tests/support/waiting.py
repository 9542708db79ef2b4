"""Wait for something to become true instead of sleeping a fixed time: on a busy machine a
fixed sleep is either too short (a flaky failure) or too long (a slow suite)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    condition: Callable[[], T],
    timeout: float = 10,
    interval: float = 0.05,
    message: str | Callable[[], str] = "",
) -> T:
    """Call `condition` until it returns something truthy and return that; an AssertionError
    raised by it counts as "not yet". Fails with `message` (and the last assertion, if any)
    when `timeout` seconds pass first. The condition is always tried once more at the end,
    so a slow last step is not reported as a failure."""
    deadline = time.monotonic() + timeout
    last_error: AssertionError | None = None
    while True:
        out_of_time = time.monotonic() >= deadline
        try:
            result = condition()
        except AssertionError as exc:
            last_error, result = exc, None
        else:
            last_error = None
        if result:
            return result
        if out_of_time:
            text = message() if callable(message) else message
            detail = f": {last_error}" if last_error else ""
            raise AssertionError(f"not true within {timeout}s{detail} {text}".rstrip())
        time.sleep(interval)
