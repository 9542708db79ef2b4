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
    window = dt.timedelta(minutes=get_settings().login_throttle_window_minutes)
    for key, limit in _keys(email, ip):
        count_failure(session, key, limit=limit, window=window)


def count_failure(session: Session, key: str, *, limit: int, window: dt.timedelta) -> None:
    """One more failure under `key`: `limit` failures within `window` lock it for a window,
    and each lock after the first doubles, up to a day, for a persistent guesser.

    The row is created with INSERT ... ON CONFLICT DO NOTHING and then locked, so two
    first failures at the same moment both count instead of one failing on the key."""
    now = utcnow()
    table = AuthThrottle.__table__
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(
        insert(table)
        .values(key=key, failures=0, window_started_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.get(AuthThrottle, key, with_for_update=True, populate_existing=True)
    if now - row.window_started_at > window:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + min(window * (2 ** (row.failures - limit)), dt.timedelta(days=1))
    session.add(row)


def record_success(session: Session, *, email: str) -> None:
    row = session.get(AuthThrottle, f"acct:{email}")
    if row is not None:
        session.delete(row)
