"""Set environment variables for a while, with the settings read again on the way in and
out: the settings object is cached, so a changed variable is seen only after a reset."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from qrapp.settings import reset_settings_cache


@contextmanager
def patched_env(
    values: Mapping[str, str], *, also_reset: Callable[[], object] | None = None
) -> Iterator[None]:
    """`values` in os.environ inside the block; before it, what was there (a variable that
    was not set is removed again). `also_reset` drops another cache built from the
    settings (e.g. the Celery app), each time the settings are reset."""

    def reset() -> None:
        reset_settings_cache()
        if also_reset is not None:
            also_reset()

    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    reset()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reset()
