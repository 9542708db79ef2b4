"""Attempt throttling (logins, password changes, sign-ups, code passwords), in the database.

The counters live in a table so every web and edge process sees the same numbers. Keys
for accounts use the normalised e-mail whether or not such an account exists, so a
throttle answer says nothing about which accounts exist.

An attempt is counted BEFORE the secret is checked: `reserve` takes one attempt under
each key atomically (row locks) and refuses when a key is locked, so N concurrent
guesses run at most `limit` checks (counting afterwards let 25 concurrent logins run 10
checks against a limit of 5). A caller whose attempt succeeded may `release` it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from sqlmodel import Session

from qrapp.db import dialect_insert, table_of
from qrapp.models import AuthThrottle
from qrapp.models.types import utcnow
from qrapp.services.errors import Throttled
from qrapp.settings import get_settings


@dataclass(frozen=True)
class Key:
    """One counter: at `limit` attempts within `window` it locks (see `reserve`)."""

    name: str
    limit: int
    window: dt.timedelta


def ip_key(ip: str) -> str:
    """The unit an IP is counted in: the address for IPv4, its /64 for IPv6 (one
    subscriber gets a whole /64 and can rotate through it at will)."""
    try:
        addr = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return (ip or "")[:64]
    if addr.version == 6 and addr.ipv4_mapped is not None:
        return str(addr.ipv4_mapped)
    if addr.version == 6:
        return f"{ipaddress.ip_network(f'{addr}/64', strict=False).network_address}/64"
    return str(addr)


def login_keys(email: str, ip: str, *, prefix: str = "acct") -> list[Key]:
    s = get_settings()
    window = dt.timedelta(minutes=s.login_throttle_window_minutes)
    keys = [Key(f"{prefix}:{email}", s.login_max_failures_per_account, window)]
    if ip:
        keys.append(Key(f"ip:{ip_key(ip)}", s.login_max_failures_per_ip, window))
    return keys


def _insert_ignore(session: Session, name: str, now: dt.datetime) -> None:
    """Create the row if missing (INSERT ... ON CONFLICT DO NOTHING), so two first
    attempts at the same moment both count instead of one failing on the key. On SQLite
    this write also takes the database's write lock first, which serialises the rest."""
    session.execute(
        dialect_insert(session, table_of(AuthThrottle))
        .values(key=name, failures=0, window_started_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )


def _locked_rows(session: Session, keys: list[Key], now: dt.datetime) -> list[AuthThrottle]:
    # One order for every caller, so two transactions never wait on each other's rows.
    ordered = sorted(keys, key=lambda k: k.name)
    for key in ordered:
        _insert_ignore(session, key.name, now)
    by_name = {
        # get_one: the rows exist, inserted just above in this transaction.
        k.name: session.get_one(AuthThrottle, k.name, with_for_update=True, populate_existing=True)
        for k in ordered
    }
    return [by_name[k.name] for k in keys]


def reserve(session: Session, keys: list[Key]) -> None:
    """Count one attempt under every key, or raise Throttled (and count nothing) when a
    key is locked. The attempt that reaches a key's limit locks the key for its window."""
    now = utcnow()
    rows = _locked_rows(session, keys, now)
    wait = 0
    for key, row in zip(keys, rows, strict=True):
        if now - row.window_started_at > key.window:
            row.failures, row.window_started_at = 0, now
        if row.locked_until and row.locked_until > now:
            wait = max(wait, int((row.locked_until - now).total_seconds()) + 1)
    if wait:
        raise Throttled(wait)
    for key, row in zip(keys, rows, strict=True):
        row.failures += 1
        if row.failures >= key.limit:
            row.locked_until = now + key.window
        session.add(row)


def release(session: Session, keys: list[Key]) -> None:
    """Give back one attempt reserved under each key (it succeeded): an honest success
    neither uses up the limit nor keeps a lock that its own reservation set."""
    now = utcnow()
    for key, row in zip(keys, _locked_rows(session, keys, now), strict=True):
        row.failures = max(0, row.failures - 1)
        if row.failures < key.limit:
            row.locked_until = None
        session.add(row)


def take(session: Session, keys: list[Key]) -> bool:
    """`reserve` as a yes/no: False (nothing counted) when a key is locked."""
    try:
        reserve(session, keys)
    except Throttled:
        return False
    return True
