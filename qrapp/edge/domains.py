"""The edge per custom domain: which hosts are verified (in-process cache -> Redis ->
database, dropped on cachebus announcements), the neutral 404 every unknown or
unverified host gets, the root redirect, the 404 fallback, robots.txt, the HTTP proof's
challenge and Caddy's on-demand TLS `ask`."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs

from qrapp.cachebus import domain_cache_key, domain_changes_marker_path, marker_mtime
from qrapp.core.destinations import is_local
from qrapp.edge.responses import NO_STORE, Response, redirect, response
from qrapp.services.domains import domain_access
from qrapp.services.domains.domain_access import DomainSnapshot
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

ASK_PATH = "/_caddy/ask"
CHALLENGE_PREFIX = "/.well-known/qrapp-challenge/"
REDIS_TTL_SECONDS = 60
# One body for every unknown or unverified name (and the ask endpoint's refusals): nothing
# in the answer tells which names exist, are pending or belong to someone.
NEUTRAL_404: Response = response(
    404,
    [(b"content-type", b"text/plain; charset=utf-8"), NO_STORE],
    b"Not found\n",
)
_ROBOTS_ALLOW = b"User-agent: *\nAllow: /\n"
_ROBOTS_DENY = b"User-agent: *\nDisallow: /\n"


class DomainCache:
    """hostname -> DomainSnapshot | None for a few seconds (edge_cache_seconds), bounded."""

    def __init__(self, redis_client=None) -> None:
        settings = get_settings()
        self.ttl = settings.edge_cache_seconds
        self.size = 4096
        self.redis = redis_client
        self._entries: dict[str, tuple[float, DomainSnapshot | None]] = {}
        self._marker = domain_changes_marker_path()
        self._marker_mtime = self._mtime()
        self._marker_checked = 0.0

    def _mtime(self) -> int:
        return marker_mtime(self._marker)

    def _check_marker(self, now: float) -> None:
        if self._marker is None or now < self._marker_checked + 0.05:
            return
        self._marker_checked = now
        mtime = self._mtime()
        if mtime != self._marker_mtime:
            self._marker_mtime = mtime
            self._entries.clear()

    def cached(self, hostname: str) -> tuple[bool, DomainSnapshot | None]:
        now = time.monotonic()
        self._check_marker(now)
        entry = self._entries.get(hostname)
        if entry is None or entry[0] < now:
            return False, None
        return True, entry[1]

    async def resolve(self, hostname: str) -> DomainSnapshot | None:
        hit, snap = self.cached(hostname)
        if hit:
            return snap
        snap = await self._fill(hostname)
        if len(self._entries) >= self.size:
            self._entries.clear()  # a flood of made-up names only empties the cache
        self._entries[hostname] = (time.monotonic() + self.ttl, snap)
        return snap

    async def _fill(self, hostname: str) -> DomainSnapshot | None:
        key = domain_cache_key(hostname)
        if self.redis is not None:
            try:
                raw = await self.redis.get(key)
                if raw is not None:
                    return json.loads(raw) or None
            except Exception:
                log.warning("redis unavailable for domain lookups; using the database")
        snap = await asyncio.to_thread(domain_access.load_domain, hostname)
        if self.redis is not None:
            try:
                # Unknown names are cached too ("null"): a scan of a random Host costs one
                # database read per minute, not one per request.
                await self.redis.set(key, json.dumps(snap), ex=REDIS_TTL_SECONDS)
            except Exception:
                log.debug("could not cache the domain %s in redis", hostname)
        return snap

    def drop(self, hostname: str) -> None:
        self._entries.pop(hostname, None)

    def clear(self) -> None:
        self._entries.clear()


def robots(snap: DomainSnapshot) -> Response:
    body = _ROBOTS_DENY if snap.get("robots") == "deny" else _ROBOTS_ALLOW
    return response(200, [(b"content-type", b"text/plain; charset=utf-8")], body)


def root(snap: DomainSnapshot) -> Response:
    url = snap.get("root_redirect_url") or ""
    return redirect(url) if url else NEUTRAL_404


def missing(snap: DomainSnapshot) -> Response | None:
    """The domain's 404 fallback (a redirect), or None for the usual "unknown" page."""
    url = snap.get("not_found_url") or ""
    return redirect(url) if url else None


async def challenge(hostname: str, path: str) -> Response:
    token = await asyncio.to_thread(
        domain_access.challenge_token, hostname, path[len(CHALLENGE_PREFIX) :]
    )
    if token is None:
        return NEUTRAL_404
    return response(
        200, [(b"content-type", b"text/plain; charset=utf-8"), NO_STORE], token.encode()
    )


async def ask(scope, cache: DomainCache, own_hosts: frozenset[str]) -> Response:
    """Caddy's on-demand TLS question "may I get a certificate for ?domain=": yes (200)
    for our own hosts and verified domains. Only loopback peers are answered (Caddy runs
    beside the edge); anyone else gets the neutral 404, so the endpoint leaks nothing."""
    client = scope.get("client") or ("", 0)
    if not is_local(str(client[0])) or _forwarded(scope):
        return NEUTRAL_404
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    name = (query.get("domain") or [""])[0].strip().lower().rstrip(".")
    if not name:
        return NEUTRAL_404
    if name in own_hosts:
        return _YES
    return _YES if await cache.resolve(name) is not None else NEUTRAL_404


def _forwarded(scope) -> bool:
    """A request relayed by a proxy (Caddy's reverse_proxy adds X-Forwarded-For): its
    loopback peer is the proxy, not Caddy's own ask."""
    return any(k in (b"x-forwarded-for", b"forwarded") for k, _v in scope.get("headers", ()))


_YES: Response = response(200, [(b"content-type", b"text/plain; charset=utf-8"), NO_STORE], b"ok\n")
