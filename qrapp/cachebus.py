"""Tells every edge process that a code changed, so its in-process cache drops it.

With Redis: a pub/sub message on CHANNEL, and the Redis link-cache key is deleted. The
embedded default has one edge process on the same machine, which checks the code's
`updated_at` (see qrapp.edge) instead.
"""

from __future__ import annotations

import functools
import logging

from qrapp.settings import get_settings

log = logging.getLogger(__name__)

CHANNEL = "qrapp:code-changed"


def link_cache_key(domain: str, short_code: str) -> str:
    return f"qrapp:link:{domain}:{short_code}"


@functools.cache
def _redis():
    import redis

    return redis.Redis.from_url(get_settings().redis_url, socket_timeout=2)


def announce_code_changed(domain: str, short_code: str | None) -> None:
    """Call after the commit that changed the code."""
    if not short_code or not get_settings().redis_url:
        return
    try:
        client = _redis()
        client.delete(link_cache_key(domain, short_code))
        client.publish(CHANNEL, f"{domain}\n{short_code}")
    except Exception:  # the edge's short TTL still bounds staleness
        log.exception("could not announce a code change")
