"""Tells every edge process that a code changed, so its in-process cache drops it.

With Redis: the Redis link-cache key is deleted and a pub/sub message goes out on
CHANNEL ("<domain>\\n<short_code>"); each edge drops that code (and its whole cache after
a lost subscription). Without Redis (the embedded default, one machine): a marker file
beside the SQLite database gets a new mtime; each edge stats it per scan (about a
microsecond) and empties its cache when it moved. Either way the next scan after the
commit sees the change.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from pathlib import Path

from qrapp.settings import VAR_DIR, get_settings

log = logging.getLogger(__name__)

CHANNEL = "qrapp:code-changed"


def link_cache_key(domain: str, short_code: str) -> str:
    return f"qrapp:link:{domain}:{short_code}"


def changes_marker_path() -> Path | None:
    """The embedded default's change marker (None when Redis carries the changes)."""
    settings = get_settings()
    if settings.redis_url:
        return None
    if settings.database_url.startswith("sqlite:///"):
        return Path(settings.database_url.removeprefix("sqlite:///") + ".code-changes")
    return VAR_DIR / "code-changes"


@functools.cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def announce_code_changed(domain: str, short_code: str | None) -> None:
    """Call after the commit that changed the code."""
    if not short_code:
        return
    settings = get_settings()
    if not settings.redis_url:
        marker = changes_marker_path()
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
            now = time.time_ns()
            os.utime(marker, ns=(now, now))
        except OSError:
            log.exception("could not touch the code-change marker")
        return
    try:
        client = _redis(settings.redis_url)
        client.delete(link_cache_key(domain, short_code))
        client.publish(CHANNEL, f"{domain}\n{short_code}")
    except Exception:  # the edge's short TTL still bounds staleness
        log.exception("could not announce a code change")
