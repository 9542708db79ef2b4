"""Server-side sessions: created at login, checked on every use, ended on logout.

The browser holds a 256-bit random token in an HttpOnly cookie; the table holds only its
SHA-256. A session ends when unused for the idle timeout or at its absolute expiry.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session, col, delete, select

from qrapp.models import UserSession
from qrapp.models.types import utcnow
from qrapp.services.accounts.tokens import new_token, token_hash
from qrapp.settings import get_settings

# Writing last_seen on every event would turn each click into a write; a minute is enough
# resolution for an idle timeout measured in hours.
_TOUCH_EVERY = dt.timedelta(minutes=1)


def create(
    session: Session,
    *,
    user_id: uuid.UUID,
    workspace_id: uuid.UUID | None,
    ip: str = "",
    user_agent: str = "",
) -> str:
    token, hashed = new_token()
    now = utcnow()
    session.add(
        UserSession(
            user_id=user_id,
            token_hash=hashed,
            workspace_id=workspace_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=get_settings().session_absolute_timeout_hours),
            ip=ip[:64],
            user_agent=user_agent[:300],
        )
    )
    return token


def find(session: Session, token: str | None) -> UserSession | None:
    if not token or len(token) > 200:
        return None
    row = session.exec(
        select(UserSession).where(UserSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    now = utcnow()
    idle = dt.timedelta(minutes=get_settings().session_idle_timeout_minutes)
    if row.expires_at <= now or row.last_seen_at + idle <= now:
        session.delete(row)
        return None
    return row


def touch(session: Session, token: str | None) -> UserSession | None:
    row = find(session, token)
    if row is not None and utcnow() - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = utcnow()
        session.add(row)
    return row


def end(session: Session, token: str | None) -> uuid.UUID | None:
    row = find(session, token)
    if row is None:
        return None
    session.delete(row)
    return row.user_id


def end_all_for_user(session: Session, user_id: uuid.UUID) -> None:
    session.exec(delete(UserSession).where(col(UserSession.user_id) == user_id))


def _live(row: UserSession, now: dt.datetime, idle: dt.timedelta) -> bool:
    return row.expires_at > now and row.last_seen_at + idle > now


def list_for_user(session: Session, user_id: uuid.UUID) -> list[UserSession]:
    """The account's live sessions, the most recently used first."""
    now = utcnow()
    idle = dt.timedelta(minutes=get_settings().session_idle_timeout_minutes)
    rows = session.exec(
        select(UserSession)
        .where(col(UserSession.user_id) == user_id)
        .order_by(col(UserSession.last_seen_at).desc())
    ).all()
    return [r for r in rows if _live(r, now, idle)]


def revoke(session: Session, user_id: uuid.UUID, session_id: uuid.UUID) -> UserSession | None:
    """End one of the account's sessions (None when it is not theirs or already gone).
    Deleting the row is enough: every use looks the token up (actor_for_session)."""
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user_id:
        return None
    session.delete(row)
    return row


def revoke_others(session: Session, user_id: uuid.UUID, keep_session_id: uuid.UUID) -> int:
    """End every session of the account but `keep_session_id`; how many ended."""
    result = session.exec(  # type: ignore[call-overload]
        delete(UserSession).where(
            col(UserSession.user_id) == user_id, col(UserSession.id) != keep_session_id
        )
    )
    return int(result.rowcount or 0)
