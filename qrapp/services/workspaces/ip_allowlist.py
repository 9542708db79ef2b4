"""IP allowlists per workspace (Enterprise): the dashboard and the REST API answer a
workspace's members and keys only from the networks on its list. The edge's public scans
never ask: a printed code works for everyone.

`allowed(workspace_id, ip)` runs on every dashboard event and API request, so each process
caches the parsed list for a few seconds (a busy API key costs one look-up per few
seconds). A save empties the saving process's entry at once and tells the others through
the cache bus (qrapp.cachebus.announce_allowlist_changed), which drop theirs as the
message arrives; _TTL_SECONDS stays as the safety net for a lost message.

An empty list means every address. A list outlives a downgrade (it keeps applying, so a
plan change never silently opens a workspace up); only Enterprise can save a non-empty one.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import threading
import time
import uuid
from dataclasses import dataclass

from sqlmodel import select

from qrapp import cachebus
from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models import Workspace
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing.entitlements import PlanLimitReached, plan_for
from qrapp.services.errors import NotFound, PermissionDenied, ServiceError
from qrapp.settings import get_settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_ENTRIES = 200
_TTL_SECONDS = 5.0

NOT_ALLOWED = (
    "Your network is not allowed for this workspace. Its admins allow sign-ins only from "
    "their own networks: switch to another workspace, or ask an admin to add your address."
)


class NetworkNotAllowed(PermissionDenied):
    """The actor's address is outside the workspace's allowlist."""

    def __init__(self) -> None:
        super().__init__(NOT_ALLOWED)


@dataclass(frozen=True)
class AllowlistView:
    entries: list[str]
    plan_allows: bool
    plan_name: str


# --- parsing ----------------------------------------------------------------------


def _address(ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        addr = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        return addr.ipv4_mapped
    return addr


def parse(text: str) -> list[str]:
    """The list as a person typed it (one network a line; commas and spaces too) ->
    normalised CIDRs. Raises ServiceError naming the first bad line."""
    out: list[str] = []
    items = [i for line in (text or "").splitlines() for i in line.replace(",", " ").split()]
    for n, item in enumerate(items, start=1):
        if item.startswith("#"):
            continue
        try:
            net = ipaddress.ip_network(item, strict=True)
        except ValueError:
            try:
                loose = ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ServiceError(
                    f"Entry {n} ({item[:60]}) is not an IPv4 or IPv6 address or network. "
                    "Write one per line, e.g. 203.0.113.0/24 or 2001:db8::/48.",
                    field="ip_allowlist",
                ) from None
            raise ServiceError(
                f"Entry {n} ({item[:60]}) has bits set after the prefix: did you mean {loose}?",
                field="ip_allowlist",
            ) from None
        if net.prefixlen == 0:
            raise ServiceError(
                f"Entry {n} ({item[:60]}) allows every address; leave the list empty for that.",
                field="ip_allowlist",
            )
        if str(net) not in out:
            out.append(str(net))
    if len(out) > MAX_ENTRIES:
        raise ServiceError(
            f"A list holds at most {MAX_ENTRIES} networks; this one has {len(out)}.",
            field="ip_allowlist",
        )
    return out


def _networks(stored: str) -> tuple[Network, ...]:
    nets: list[Network] = []
    for line in stored.splitlines():
        try:
            nets.append(ipaddress.ip_network(line.strip(), strict=False))
        except ValueError:
            continue  # saved through parse(): cannot happen; never fail open on it, though
    return tuple(nets)


def contains(networks: tuple[Network, ...], ip: str) -> bool:
    addr = _address(ip)
    return addr is not None and any(addr.version == net.version and addr in net for net in networks)


# --- the per-process cache ------------------------------------------------------------

_cache: dict[uuid.UUID, tuple[float, tuple[Network, ...]]] = {}
_lock = threading.Lock()
_generation = 0  # goes up on every drop: a read that straddles one is not kept
_listening: tuple[int, str] | None = None  # (process, Redis URL) the bus listener serves
_marker_seen: int | None = None  # the embedded default's marker mtime last seen
_marker_for: tuple[object, str | None] = (None, None)  # (settings, the marker's path)


def forget(workspace_id: uuid.UUID | None = None) -> None:
    """Drop one workspace's cached list (all, without an id)."""
    global _generation
    with _lock:
        _generation += 1
        if workspace_id is None:
            _cache.clear()
        else:
            _cache.pop(workspace_id, None)


def _forget_announced(workspace_id: str) -> None:
    try:
        forget(uuid.UUID(workspace_id))
    except ValueError:
        forget()  # not ours to parse: drop everything rather than keep a stale list


def _hear_changes() -> None:
    """Saves in other processes reach this one through the cache bus: with Redis a
    listener thread (started once per process, after any fork), else a marker file whose
    mtime this stats on every look-up (about a microsecond; the path is worked out once
    per settings, which cost more than the stat: bench/api.py)."""
    global _listening, _marker_seen, _marker_for
    settings = get_settings()
    if settings.redis_url:
        here = (os.getpid(), settings.redis_url)
        if _listening != here:
            with _lock:
                start, _listening = _listening != here, here
            if start:
                cachebus.listen(cachebus.ALLOWLIST_CHANNEL, _forget_announced, forget)
        return
    if _marker_for[0] is not settings:
        marker = cachebus.allowlist_changes_marker_path()
        _marker_for = (settings, None if marker is None else os.fspath(marker))
    path = _marker_for[1]
    if path is None:
        return
    mtime = cachebus.marker_mtime(path)
    if mtime != _marker_seen:
        _marker_seen = mtime
        forget()


def cached(workspace_id: uuid.UUID) -> tuple[Network, ...] | None:
    """The cached networks if still fresh, else None (no database: for the event loop)."""
    _hear_changes()
    hit = _cache.get(workspace_id)
    if hit is None or hit[0] <= time.monotonic():
        return None
    return hit[1]


def networks_of(workspace_id: uuid.UUID) -> tuple[Network, ...]:
    hit = cached(workspace_id)
    if hit is not None:
        return hit
    generation = _generation
    with read_session() as s:
        stored = s.exec(select(Workspace.ip_allowlist).where(Workspace.id == workspace_id)).first()
    nets = _networks(stored or "")
    with _lock:
        if generation == _generation:  # no change was announced while we read
            _cache[workspace_id] = (time.monotonic() + _TTL_SECONDS, nets)
    return nets


def allowed(workspace_id: uuid.UUID | None, ip: str) -> bool:
    """May a request from `ip` act in this workspace? (No workspace, no list: yes.)"""
    if workspace_id is None:
        return True
    nets = networks_of(workspace_id)
    return not nets or contains(nets, ip)


def check(actor: Actor, ip: str) -> None:
    """Raise NetworkNotAllowed when the actor's workspace does not allow `ip`."""
    if not allowed(actor.workspace_id, ip):
        raise NetworkNotAllowed()


# --- reading and saving (Settings -> Security) ------------------------------------------


def get(*, actor: Actor) -> AllowlistView:
    workspace_id = require(actor, Permission.WORKSPACE_RENAME)
    with read_session() as s:
        ws = s.get(Workspace, workspace_id)
        if ws is None:
            raise NotFound("workspace")
        the_plan = plan_for(s, workspace_id)
    entries = [line for line in ws.ip_allowlist.splitlines() if line.strip()]
    return AllowlistView(entries, the_plan.ip_allowlist, the_plan.name)


def save(*, actor: Actor, text: str, ip: str) -> list[str]:
    """Replace the list. Refused (nothing changes) when an entry is not a network, when the
    plan lacks the feature (emptying the list is always allowed), or when the admin's own
    current address is not on it: nobody locks themselves out by mistake."""
    workspace_id = require(actor, Permission.WORKSPACE_RENAME)
    entries = parse(text)
    if entries and not contains(_networks("\n".join(entries)), ip):
        raise ServiceError(
            f"Your own address ({ip or 'unknown'}) is not on the list, so saving it would "
            "lock you out. Add your address or its network first.",
            field="ip_allowlist",
        )
    with transaction() as tx:
        ws = tx.session.get(Workspace, workspace_id)
        if ws is None:
            raise NotFound("workspace")
        the_plan = plan_for(tx.session, workspace_id)
        if entries and not the_plan.ip_allowlist:
            raise PlanLimitReached(
                None,
                the_plan,
                f"IP allowlists come with the Enterprise plan; your plan is {the_plan.name}.",
            )
        before = [line for line in ws.ip_allowlist.splitlines() if line.strip()]
        if before == entries:
            return entries
        ws.ip_allowlist = "\n".join(entries)
        tx.session.add(ws)
        audit.record(
            tx.session,
            action=AuditAction.WORKSPACE_IP_ALLOWLIST_CHANGED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="workspace",
            target_id=str(workspace_id),
            ip=ip,
            details={"before": before, "after": entries},
        )
        tx.after_commit(functools.partial(cachebus.announce_allowlist_changed, str(workspace_id)))
    forget(workspace_id)
    return entries
