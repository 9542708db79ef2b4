"""Failed-login throttling per account and per IP, kept in the database.

The counters live in a table so every web process sees the same numbers. Keys for
accounts use the normalised e-mail whether or not such an account exists, so a throttle
answer says nothing about which accounts exist.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from qrapp.models import AuthThrottle
from qrapp.models.types import utcnow
from qrapp.services.errors import Throttled
from qrapp.settings import get_settings


def _keys(email: str, ip: str) -> list[tuple[str, int]]:
    s = get_settings()
    keys = [(f"acct:{email}", s.login_max_failures_per_account)]
    if ip:
        keys.append((f"ip:{ip}", s.login_max_failures_per_ip))
    return keys


def check(session: Session, *, email: str, ip: str) -> None:
    """Raise Throttled if the account or the IP is locked right now."""
    now = utcnow()
    for key, _limit in _keys(email, ip):
        row = session.get(AuthThrottle, key)
        if row and row.locked_until and row.locked_until > now:
            raise Throttled(int((row.locked_until - now).total_seconds()) + 1)


def record_failure(session: Session, *, email: str, ip: str) -> None:
    now = utcnow()
    window = dt.timedelta(minutes=get_settings().login_throttle_window_minutes)
    for key, limit in _keys(email, ip):
        row = session.get(AuthThrottle, key, with_for_update=True)
        if row is None:
            row = AuthThrottle(key=key, failures=0, window_started_at=now)
        if now - row.window_started_at > window:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= limit:
            # Each lock after the first doubles, up to a day, for a persistent guesser.
            over = row.failures - limit
            row.locked_until = now + min(window * (2**over), dt.timedelta(days=1))
        session.add(row)


def record_success(session: Session, *, email: str) -> None:
    row = session.get(AuthThrottle, f"acct:{email}")
    if row is not None:
        session.delete(row)
