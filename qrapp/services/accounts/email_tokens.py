"""One-time tokens of accounts: e-mail verification, password reset, login hand-off.

The clear token travels in a link; the table keeps its SHA-256. A login hand-off is also
bound to the browser that asked for it (the hash of its binding cookie).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import update
from sqlmodel import Session, col, select

from qrapp.models import EmailToken, User
from qrapp.models.types import utcnow
from qrapp.services.accounts.tokens import new_token, token_hash

PURPOSE_VERIFY = "verify_email"
PURPOSE_RESET = "reset_password"
PURPOSE_LOGIN = "login"

VERIFY_TTL = dt.timedelta(days=7)
LOGIN_HANDOFF_TTL = dt.timedelta(seconds=60)


def binding_hash(binding: str | None) -> str:
    """'' for a missing or absurd cookie, which then matches nothing."""
    if not binding or len(binding) > 200:
        return ""
    return token_hash(binding)


def issue(
    session: Session,
    *,
    user: User,
    purpose: str,
    ttl: dt.timedelta,
    binding: str = "",
    workspace_id: uuid.UUID | None = None,
) -> str:
    token, hashed = new_token()
    session.add(
        EmailToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hashed,
            email=user.email,
            expires_at=utcnow() + ttl,
            binding_hash=binding_hash(binding),
            workspace_id=workspace_id,
        )
    )
    return token


def issue_login_handoff(
    session: Session, *, user: User, binding: str, workspace_id: uuid.UUID | None = None
) -> str:
    """`workspace_id`: where the session starts (single sign-on's workspace); None for the
    usual first membership."""
    return issue(
        session,
        user=user,
        purpose=PURPOSE_LOGIN,
        ttl=LOGIN_HANDOFF_TTL,
        binding=binding,
        workspace_id=workspace_id,
    )


def consume(
    session: Session, *, token: str, purpose: str, binding: str | None = None
) -> EmailToken | None:
    """Mark a token used, atomically, and return it; None if unknown, used, expired or
    (when `binding` is given) asked for by another browser."""
    if not token or len(token) > 200:
        return None
    now = utcnow()
    hashed = token_hash(token)
    conditions = [
        col(EmailToken.token_hash) == hashed,
        col(EmailToken.purpose) == purpose,
        col(EmailToken.used_at).is_(None),
        col(EmailToken.expires_at) > now,
    ]
    if binding is not None:
        bound = binding_hash(binding)
        if not bound:
            return None
        conditions.append(col(EmailToken.binding_hash) == bound)
    # The UPDATE ... WHERE used_at IS NULL makes two simultaneous uses count once.
    result = session.exec(update(EmailToken).where(*conditions).values(used_at=now))
    if result.rowcount != 1:
        return None
    return session.exec(select(EmailToken).where(EmailToken.token_hash == hashed)).one()
