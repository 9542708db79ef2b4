"""The per-request key check, kept cheap: each API process keeps the key rows it looked up
for a second or two (keyed by the key's public lookup), so a request costs a dictionary
read and one SHA-256, not a transaction.

Revocation and rotation still take effect at once on every process: they bump a
generation that every request observes.
- With Redis: the counter GENERATION_KEY, read by the rate limiter's Lua script in the
  same round trip that counts the request (qrapp.api.v1.ratelimit), so it costs nothing
  extra; a process that sees a new value drops its cache and reads the key again.
- Without Redis (the embedded default, one machine): a marker file beside the SQLite
  database gets a new mtime (as the edge's code changes do, qrapp.cachebus); every check
  stats it (about a microsecond).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import os
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from qrapp.cachebus import _marker_path, _redis, _touch, marker_mtime
from qrapp.core.api_scopes import Scope, permissions_of
from qrapp.db import read_session
from qrapp.models import ApiKey
from qrapp.models.types import utcnow
from qrapp.services.authz import Actor
from qrapp.services.billing.entitlements import plan_for
from qrapp.settings import get_settings

GENERATION_KEY = "qrapp:apikeys:gen"

PREFIX = "qrk_"
LOOKUP_LEN = 12
SECRET_LEN = 32


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """(lookup, secret) of a well-formed key, else None."""
    if not token.startswith(PREFIX):
        return None
    lookup, sep, secret = token[len(PREFIX) :].partition("_")
    if not sep or len(lookup) != LOOKUP_LEN or len(secret) != SECRET_LEN:
        return None
    return lookup, secret


@dataclass(frozen=True)
class KeyCheck:
    actor: Actor
    scopes: frozenset[Scope]
    per_minute: int  # the workspace plan's API limit

    @property
    def key_id(self) -> uuid.UUID:
        assert self.actor.api_key_id is not None
        return self.actor.api_key_id

    @functools.cached_property
    def limit_key(self) -> str:
        """The key's id as the rate limiter's key (made once per cached row, not per
        request)."""
        return str(self.key_id)


@dataclass(frozen=True)
class _Row:
    """What a check needs of a key row (a snapshot; never the ORM object)."""

    secret_hash: str
    previous_secret_hash: str
    previous_valid_until: dt.datetime | None
    expires_at: dt.datetime | None
    revoked: bool
    check: KeyCheck


def key_actor(key: ApiKey) -> Actor:
    scopes = frozenset(Scope(s) for s in key.scopes)
    return Actor(
        user_id=key.created_by or key.id,
        email="",
        name=f"API key {key.name}",
        email_verified=True,
        session_id=key.id,
        workspace_id=key.workspace_id,
        role=None,
        api_key_id=key.id,
        key_permissions=permissions_of(scopes),
    )


def _per_minute(plan_limit: int | None) -> int:
    return plan_limit or get_settings().api_unlimited_per_minute


def _load(lookup: str) -> _Row | None:
    with read_session() as session:
        key = session.exec(select(ApiKey).where(ApiKey.lookup == lookup)).first()
        if key is None:
            return None
        limit = _per_minute(plan_for(session, key.workspace_id).api_per_minute)
        return _Row(
            secret_hash=key.secret_hash,
            previous_secret_hash=key.previous_secret_hash,
            previous_valid_until=key.previous_valid_until,
            expires_at=key.expires_at,
            revoked=key.revoked_at is not None,
            check=KeyCheck(
                actor=key_actor(key),
                scopes=frozenset(Scope(s) for s in key.scopes),
                per_minute=limit,
            ),
        )


def secret_matches(
    presented_hash: str,
    secret_hash: str,
    previous_hash: str,
    previous_valid_until: dt.datetime | None,
    now: dt.datetime,
) -> bool:
    if hmac.compare_digest(presented_hash, secret_hash):
        return True
    return bool(
        previous_hash
        and previous_valid_until is not None
        and now < previous_valid_until
        and hmac.compare_digest(presented_hash, previous_hash)
    )


def marker_path() -> Path | None:
    """The embedded default's key-change marker (None when Redis carries the changes)."""
    return _marker_path(".apikey-changes", "apikey-changes")


class NotCached(Exception):
    """The key's row is not in the cache (or no longer fresh): checking needs a read."""


class KeyCache:
    """Key rows by lookup, for `ttl` seconds, dropped whenever the generation moves."""

    def __init__(self, ttl: float | None = None) -> None:
        self.ttl = get_settings().api_key_cache_seconds if ttl is None else ttl
        self._rows: dict[str, tuple[float, _Row | None]] = {}
        self._lock = threading.Lock()
        marker = marker_path()
        # A str: os.stat of a Path converts it on every request (bench/api.py).
        self._marker = None if marker is None else os.fspath(marker)
        self._marker_mtime = marker_mtime(self._marker)
        self._generation: object = None

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()

    def observe(self, generation: object) -> bool:
        """Note the key generation a request saw (Redis); True when it moved, in which
        case the cache was emptied and the caller should check the key again."""
        if generation is None or generation == self._generation:
            return False
        # The first value a process sees counts as a move too: a row it cached just
        # before may predate a revocation (one more read, once per process).
        self._generation = generation
        self.clear()
        return True

    def _check_marker(self) -> None:
        if self._marker is not None:
            mtime = marker_mtime(self._marker)
            if mtime != self._marker_mtime:
                self._marker_mtime = mtime
                self.clear()

    def _row(self, lookup: str, *, cached_only: bool = False) -> _Row | None:
        self._check_marker()
        now = time.monotonic()
        hit = self._rows.get(lookup)
        if hit is not None and hit[0] > now:
            return hit[1]
        if cached_only:
            raise NotCached
        row = _load(lookup)
        with self._lock:
            if len(self._rows) > 10_000:  # bogus lookups must not grow it without bound
                self._rows.clear()
            self._rows[lookup] = (now + self.ttl, row)
        return row

    def check(
        self, token: str | None, *, now: dt.datetime | None = None, cached_only: bool = False
    ) -> KeyCheck | None:
        """The acting key for a presented token, or None when it is malformed, unknown,
        revoked, expired or its secret does not match (all the same to the caller: 401).
        With `cached_only` (the event loop) it raises NotCached rather than read the
        database."""
        parts = split_token(token or "")
        if parts is None:
            return None
        lookup, secret = parts
        row = self._row(lookup, cached_only=cached_only)
        if row is None or row.revoked:
            return None
        now = now or utcnow()
        if row.expires_at is not None and row.expires_at <= now:
            return None
        if not secret_matches(
            hash_secret(secret),
            row.secret_hash,
            row.previous_secret_hash,
            row.previous_valid_until,
            now,
        ):
            return None
        return row.check


_CACHE: KeyCache | None = None
_CACHE_SETTINGS: object = None


def cache() -> KeyCache:
    global _CACHE, _CACHE_SETTINGS
    settings = get_settings()
    # New settings (tests switching databases): the marker and the rows belong to the old.
    if _CACHE is None or settings is not _CACHE_SETTINGS:
        _CACHE, _CACHE_SETTINGS = KeyCache(), settings
    return _CACHE


def reset() -> None:
    """Forget the process's cache (tests that switch databases)."""
    global _CACHE
    _CACHE = None


def announce_keys_changed() -> None:
    """Call after the commit that revoked, rotated or re-dated a key: every API process
    drops its cached keys before it answers its next request."""
    if _CACHE is not None:
        _CACHE.clear()
    settings = get_settings()
    if settings.redis_url:
        _redis(settings.redis_url).incr(GENERATION_KEY)
        return
    marker = marker_path()
    if marker is not None:
        _touch(marker)
