"""Periodic clean-up run by beat."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, delete, or_

from qrapp.db import transaction
from qrapp.models import ApiIdempotency, AuthThrottle, EmailToken, PendingSignUp, UserSession
from qrapp.models.sso import SsoLoginState
from qrapp.models.types import utcnow
from qrapp.settings import get_settings


def purge_expired_auth_rows() -> int:
    """Delete ended sessions, spent or expired tokens and sign-ups, stale throttle
    counters, and API answers kept for an Idempotency-Key past their 24 hours."""
    now = utcnow()
    s = get_settings()
    idle_cutoff = now - dt.timedelta(minutes=s.session_idle_timeout_minutes)
    stale = now - dt.timedelta(days=1)
    with transaction() as tx:
        n = tx.session.exec(
            delete(UserSession).where(
                or_(
                    col(UserSession.expires_at) <= now, col(UserSession.last_seen_at) <= idle_cutoff
                )
            )
        ).rowcount
        n += tx.session.exec(
            delete(EmailToken).where(
                or_(col(EmailToken.expires_at) <= now, col(EmailToken.used_at) < stale)
            )
        ).rowcount
        n += tx.session.exec(
            delete(PendingSignUp).where(
                or_(col(PendingSignUp.expires_at) <= now, col(PendingSignUp.used_at) < stale)
            )
        ).rowcount
        n += tx.session.exec(
            delete(AuthThrottle).where(
                col(AuthThrottle.window_started_at) <= stale,
                or_(
                    col(AuthThrottle.locked_until).is_(None), col(AuthThrottle.locked_until) <= now
                ),
            )
        ).rowcount
        # Single sign-ons begun and never finished (ten minutes each), and finished ones.
        n += tx.session.exec(
            delete(SsoLoginState).where(
                or_(col(SsoLoginState.expires_at) <= now, col(SsoLoginState.used_at) < stale)
            )
        ).rowcount
        kept_since = now - dt.timedelta(hours=s.api_idempotency_hours)
        n += tx.session.exec(
            delete(ApiIdempotency).where(col(ApiIdempotency.created_at) <= kept_since)
        ).rowcount
    return n
