"""Tells every edge process that a code or a landing page changed, so its in-process
cache drops it.

With Redis: the code's version counter goes up, the Redis link-cache key is deleted and a
pub/sub message goes out on CHANNEL ("<domain>\\n<short_code>"); each edge drops that code
(and its whole cache after a lost subscription). An edge caches what it read from the
database only if the version did not move meanwhile (edge.links.Resolver).

Without Redis (the embedded default, one machine): a marker file beside the SQLite
database gets a new mtime; each edge stats it (at most every 50 ms) and empties its cache
when it moved. Either way the next scan after the
commit sees the change.

Landing pages work the same way on their own channel, keys and marker file (a publish must
not empty every edge's code cache): PAGE_CHANNEL carries "<domain>\\n<slug>\\n<page id>"
so an edge drops the page under its public slug and, for codes that answer with the page,
under its id. A change of a whole workspace (its brand) is one message on
WORKSPACE_CHANNEL: each edge drops every code and page of that workspace it holds.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from qrapp.settings import VAR_DIR, get_settings

log = logging.getLogger(__name__)

CHANNEL = "qrapp:code-changed"
PAGE_CHANNEL = "qrapp:page-changed"


def link_cache_key(domain: str, short_code: str) -> str:
    return f"qrapp:link:{domain}:{short_code}"


def link_version_key(domain: str, short_code: str) -> str:
    """A counter every change of the code increments: an edge that read the database
    before a change must not put what it read into Redis after it (see edge.links)."""
    return f"qrapp:linkver:{domain}:{short_code}"


VERSION_TTL_SECONDS = 86400  # far longer than any cache fill takes


def changes_marker_path() -> Path | None:
    """The embedded default's change marker (None when Redis carries the changes)."""
    return _marker_path(".code-changes", "code-changes")


def page_cache_key(domain: str, slug: str) -> str:
    return f"qrapp:page:{domain}:{slug}"


def page_version_key(domain: str, slug: str) -> str:
    """Like link_version_key: goes up on every publish, unpublish, slug change or delete
    of the page, so an edge never caches in Redis what it read before the change."""
    return f"qrapp:pagever:{domain}:{slug}"


def page_id_cache_key(page_id: str) -> str:
    """The published page by id (what a code pointing at the page serves)."""
    return f"qrapp:pageid:{page_id}"


def _marker_path(suffix: str, name: str) -> Path | None:
    settings = get_settings()
    if settings.redis_url:
        return None
    if settings.database_url.startswith("sqlite:///"):
        return Path(settings.database_url.removeprefix("sqlite:///") + suffix)
    return VAR_DIR / name


def marker_mtime(marker: str | os.PathLike[str] | None) -> int:
    """A change marker's mtime in ns, 0 when there is none (no marker yet, or Redis
    carries the changes). Every reader stats it per look-up: about a microsecond."""
    if marker is None:
        return 0
    try:
        return os.stat(marker).st_mtime_ns
    except OSError:
        return 0


def page_changes_marker_path() -> Path | None:
    """The embedded default's page-change marker (None when Redis carries the changes)."""
    return _marker_path(".page-changes", "page-changes")


def _touch(marker: Path) -> None:
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        now = time.time_ns()
        os.utime(marker, ns=(now, now))
    except OSError:
        log.exception("could not touch the change marker %s", marker)


def _redis_url_else_touch(*markers: Callable[[], Path | None]) -> str:
    """Redis's URL when Redis carries the changes; else (the embedded default) touch the
    given change markers and return ""."""
    url = get_settings().redis_url
    if not url:
        for marker_path in markers:
            marker = marker_path()
            if marker is not None:
                _touch(marker)
    return url


@functools.cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def announce_code_changed(domain: str, short_code: str | None) -> None:
    """Call after the commit that changed the code. A code on a custom domain is also
    answered on the default domain (its fallback), so that key is dropped too."""
    if not short_code:
        return
    if domain:
        _announce_code_key("", short_code)
    _announce_code_key(domain, short_code)


def _announce_code_key(domain: str, short_code: str) -> None:
    settings = get_settings()
    if not settings.redis_url:
        marker = changes_marker_path()
        if marker is not None:
            _touch(marker)
        return
    try:
        pipe = _redis(settings.redis_url).pipeline(transaction=True)
        pipe.incr(link_version_key(domain, short_code))
        pipe.expire(link_version_key(domain, short_code), VERSION_TTL_SECONDS)
        pipe.delete(link_cache_key(domain, short_code))
        pipe.publish(CHANNEL, f"{domain}\n{short_code}")
        pipe.execute()
    except Exception:  # the edge's short TTL still bounds staleness
        log.exception("could not announce a code change")


def announce_page_changed(domain: str, slug: str, page_id: str) -> None:
    """Call after the commit that published, unpublished, moved or deleted the page (for
    a slug change, once for the old slug and once for the new)."""
    settings = get_settings()
    if not settings.redis_url:
        marker = page_changes_marker_path()
        if marker is not None:
            _touch(marker)
        return
    try:
        pipe = _redis(settings.redis_url).pipeline(transaction=True)
        pipe.incr(page_version_key(domain, slug))
        pipe.expire(page_version_key(domain, slug), VERSION_TTL_SECONDS)
        pipe.delete(page_cache_key(domain, slug), page_id_cache_key(page_id))
        pipe.publish(PAGE_CHANNEL, f"{domain}\n{slug}\n{page_id}")
        pipe.execute()
    except Exception:  # the edge's short TTL still bounds staleness
        log.exception("could not announce a page change")


# --- a whole workspace (services.workspaces.brand: the look travels in every snapshot) ---
WORKSPACE_CHANNEL = "qrapp:workspace-changed"


def announce_workspace_changed(
    workspace_id: str,
    codes: Iterable[tuple[str, str | None]],
    pages: Iterable[tuple[str, str, str]],
) -> None:
    """Call after the commit that changed what every code and page of the workspace shows
    (its brand). One message, "<workspace id>", on WORKSPACE_CHANNEL: each edge drops the
    workspace's codes and pages from its memory at once. The shared Redis copies of the
    `codes` ((domain, short code)) and `pages` ((domain, slug, page id)) are dropped, and
    their version counters moved, in the same round trip (a save used to make a round
    trip and send a message per code and per page). The embedded default touches each
    change marker once."""
    url = _redis_url_else_touch(changes_marker_path, page_changes_marker_path)
    if not url:
        return
    try:
        # Not MULTI: a large workspace's keys must not hold Redis in one block. One
        # connection runs them in order, so the message still follows every delete.
        pipe = _redis(url).pipeline(transaction=False)
        for domain, short_code in codes:
            if not short_code:
                continue
            for key_domain in {"", domain}:  # a custom domain's code answers on ours too
                pipe.incr(link_version_key(key_domain, short_code))
                pipe.expire(link_version_key(key_domain, short_code), VERSION_TTL_SECONDS)
                pipe.delete(link_cache_key(key_domain, short_code))
        for domain, slug, page_id in pages:
            pipe.incr(page_version_key(domain, slug))
            pipe.expire(page_version_key(domain, slug), VERSION_TTL_SECONDS)
            pipe.delete(page_cache_key(domain, slug), page_id_cache_key(page_id))
        pipe.publish(WORKSPACE_CHANNEL, workspace_id)
        pipe.execute()
    except Exception:  # the edge's short TTL still bounds staleness
        log.exception("could not announce a workspace change")


# --- custom domains (services.domains; the edge's verified-host cache, edge.domains) -----
DOMAIN_CHANNEL = "qrapp:domain-changed"


def domain_cache_key(hostname: str) -> str:
    return f"qrapp:domain:{hostname}"


def domain_changes_marker_path() -> Path | None:
    """The embedded default's domain-change marker (None when Redis carries the changes)."""
    return _marker_path(".domain-changes", "domain-changes")


def announce_domain_changed(hostname: str) -> None:
    """Call after the commit that verified, lost, moved, removed or re-configured a custom
    domain: every edge drops what it knows about the host."""
    settings = get_settings()
    if not settings.redis_url:
        marker = domain_changes_marker_path()
        if marker is not None:
            _touch(marker)
        return
    try:
        pipe = _redis(settings.redis_url).pipeline(transaction=True)
        pipe.delete(domain_cache_key(hostname))
        pipe.publish(DOMAIN_CHANNEL, hostname)
        pipe.execute()
    except Exception:  # the edge's short TTL still bounds staleness
        log.exception("could not announce a domain change")


# --- IP allowlists (services.workspaces.ip_allowlist: each web and API process's cache) ---
ALLOWLIST_CHANNEL = "qrapp:allowlist-changed"


def allowlist_changes_marker_path() -> Path | None:
    """The embedded default's allowlist-change marker (None when Redis carries the changes)."""
    return _marker_path(".allowlist-changes", "allowlist-changes")


def announce_allowlist_changed(workspace_id: str) -> None:
    """Call after the commit that changed a workspace's IP allowlist: every web and API
    process drops its cached copy of that workspace's list."""
    url = _redis_url_else_touch(allowlist_changes_marker_path)
    if not url:
        return
    try:
        _redis(url).publish(ALLOWLIST_CHANNEL, workspace_id)
    except Exception:  # the cache's short TTL still bounds staleness
        log.exception("could not announce an allowlist change")


READY_WAIT_S = 1.0


def listen(
    channel: str, on_message: Callable[[str], None], on_gap: Callable[[], None]
) -> threading.Thread | None:
    """With Redis: a daemon thread of this process that calls `on_message(data)` for each
    message on `channel`, and `on_gap()` whenever it (re)subscribes, since messages sent
    while it was not listening are lost (the caller then drops everything it cached).
    None without Redis: the embedded default's marker files carry the changes.

    Returns once the first subscription stands (or after `READY_WAIT_S` without Redis):
    what the caller caches from then on is not dropped by that first `on_gap()`, so a
    process's first request fills the cache for the next ones."""
    url = get_settings().redis_url
    if not url:
        return None
    subscribed = threading.Event()

    def run() -> None:
        import redis

        while True:
            client = redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=30)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(channel)
                on_gap()
                subscribed.set()
                while True:
                    msg = pubsub.get_message(timeout=5)
                    if msg and msg.get("type") == "message":
                        data = msg["data"]
                        on_message(data.decode() if isinstance(data, bytes) else str(data))
            except Exception as exc:
                log.warning("cache-bus subscription to %s lost (%s); retrying", channel, exc)
                on_gap()
                time.sleep(1)
            finally:
                with contextlib.suppress(Exception):
                    pubsub.close()
                    client.close()

    thread = threading.Thread(target=run, name=f"cachebus {channel}", daemon=True)
    thread.start()
    subscribed.wait(READY_WAIT_S)
    return thread
