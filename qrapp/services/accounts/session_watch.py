"""Signed-in tabs learn within seconds that their session ended elsewhere ("Sign out" of
another browser, "Sign out everywhere else", a password change, the idle timeout), even
when they sit idle and send no event that would find out.

One checker per process: every CHECK_SECONDS it asks the database which of the watched
sessions are gone, in one indexed query for all of them (a query per tab and interval
would be 333 queries/s for 1,000 open tabs), and the tabs' waits see the answer in
memory. It reads only, so a watched tab does not keep its session alive past the idle
timeout (last_seen moves with the person's own events, not with this check).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable

from sqlmodel import col, select

from qrapp.db import read_session
from qrapp.models import UserSession
from qrapp.models.types import utcnow
from qrapp.services.accounts.tokens import token_hash
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

CHECK_SECONDS = 2.0
_CHUNK = 500  # hashes per IN (...) list

_watched: Counter[str] = Counter()  # session token hash -> tabs of this process waiting
_ended: set[str] = set()
_checker: asyncio.Task | None = None
rounds = 0  # checks done by this process (a test waits for one to pass)


def ended_among(hashes: Iterable[str]) -> set[str]:
    """Which of these session token hashes have no live session (deleted or expired)."""
    wanted = list(dict.fromkeys(hashes))
    now = utcnow()
    idle = dt.timedelta(minutes=get_settings().session_idle_timeout_minutes)
    live: set[str] = set()
    with read_session() as s:
        for start in range(0, len(wanted), _CHUNK):
            rows = s.exec(
                select(
                    UserSession.token_hash, UserSession.expires_at, UserSession.last_seen_at
                ).where(col(UserSession.token_hash).in_(wanted[start : start + _CHUNK]))
            ).all()
            live |= {h for h, expires, seen in rows if expires > now and seen + idle > now}
    return set(wanted) - live


async def _check_loop() -> None:
    global _checker, rounds
    try:
        while _watched:
            await asyncio.sleep(CHECK_SECONDS)
            try:
                _ended.update(await asyncio.to_thread(ended_among, list(_watched)))
            except Exception:  # the database away for a moment: try again next round
                log.warning("session check failed", exc_info=True)
            rounds += 1
    finally:
        _checker = None


def _ensure_checker() -> None:
    global _checker
    if _checker is None or _checker.done():
        _checker = asyncio.get_running_loop().create_task(_check_loop())


async def wait_until_ended(token: str, still_wanted: Callable[[], bool]) -> bool:
    """Wait while `still_wanted()` (the tab is connected): True once the session of
    `token` has ended, False when the tab went away first."""
    hashed = token_hash(token)
    _watched[hashed] += 1
    _ensure_checker()
    try:
        while still_wanted():
            if hashed in _ended:
                return True
            await asyncio.sleep(CHECK_SECONDS / 4)
        return False
    finally:
        _watched[hashed] -= 1
        if _watched[hashed] <= 0:
            del _watched[hashed]
            _ended.discard(hashed)
