"""Sign-up, e-mail verification, login, logout and passwords.

Login is two steps because the session cookie must be HttpOnly: the websocket handler
checks the password and gets a one-minute hand-off token; the browser then visits the
plain HTTP route /auth/session, which trades it for a fresh session token in the cookie.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import update
from sqlmodel import Session, select

from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import EmailToken, Membership, User, Workspace
from qrapp.models.types import utcnow
from qrapp.services import audit, passwords, sessions, throttle
from qrapp.services.authz import Actor
from qrapp.services.errors import ServiceError
from qrapp.services.mail import app_link, queue_mail
from qrapp.services.memberships import first_membership
from qrapp.services.tokens import new_token, token_hash
from qrapp.settings import get_settings

PURPOSE_VERIFY = "verify_email"
PURPOSE_RESET = "reset_password"
PURPOSE_LOGIN = "login"

_VERIFY_TTL = dt.timedelta(days=7)
_LOGIN_HANDOFF_TTL = dt.timedelta(seconds=60)

LOGIN_FAILED = "That e-mail and password do not match an account."


def normalise_email(raw: str, *, field: str = "email") -> str:
    raw = (raw or "").strip()
    if not raw:
        raise ServiceError("Enter your e-mail address.", field=field)
    if len(raw) > 254:
        raise ServiceError("That e-mail address is too long.", field=field)
    try:
        info = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ServiceError(f"That is not a valid e-mail address: {exc}", field=field) from None
    return info.normalized.lower()


def _issue_token(session: Session, *, user: User, purpose: str, ttl: dt.timedelta) -> str:
    token, hashed = new_token()
    session.add(
        EmailToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hashed,
            email=user.email,
            expires_at=utcnow() + ttl,
        )
    )
    return token


def _consume_token(session: Session, *, token: str, purpose: str) -> EmailToken | None:
    """Mark a token used, atomically, and return it; None if unknown, used or expired."""
    if not token or len(token) > 200:
        return None
    now = utcnow()
    hashed = token_hash(token)
    # The UPDATE ... WHERE used_at IS NULL makes two simultaneous uses count once.
    result = session.exec(
        update(EmailToken)
        .where(
            EmailToken.token_hash == hashed,
            EmailToken.purpose == purpose,
            EmailToken.used_at.is_(None),
            EmailToken.expires_at > now,
        )
        .values(used_at=now)
    )
    if result.rowcount != 1:
        return None
    return session.exec(select(EmailToken).where(EmailToken.token_hash == hashed)).one()


def _send_verification(tx, user: User) -> None:
    token = _issue_token(tx.session, user=user, purpose=PURPOSE_VERIFY, ttl=_VERIFY_TTL)
    queue_mail(
        tx,
        to=user.email,
        subject="Confirm your e-mail for qrapp",
        text=(
            f"Hello {user.name or user.email},\n\n"
            "Please confirm your e-mail address by opening this link:\n\n"
            f"{app_link('/verify-email?token=' + token)}\n\n"
            "The link works for 7 days. If you did not sign up for qrapp, ignore this mail."
        ),
    )


@dataclass(frozen=True)
class SignUpResult:
    """`handoff` is set when a new account was created and may log in right away."""

    handoff: str | None


def sign_up(*, email: str, password: str, name: str = "", ip: str = "") -> SignUpResult:
    email = normalise_email(email)
    name = (name or "").strip()[:120]
    passwords.check_policy(password)
    password_hash = passwords.hash_password(password)
    with transaction() as tx:
        s = tx.session
        existing = s.exec(select(User).where(User.email == email)).first()
        if existing is not None:
            # Tell the owner of the address, not the person at the keyboard.
            queue_mail(
                tx,
                to=existing.email,
                subject="Someone tried to sign up with your e-mail",
                text=(
                    "Someone (maybe you) tried to create a qrapp account with this address, "
                    "but you already have one.\n\nLog in: "
                    f"{app_link('/login')}\nForgot your password? "
                    f"{app_link('/forgot-password')}\n"
                ),
            )
            return SignUpResult(handoff=None)
        user = User(email=email, name=name, password_hash=password_hash)
        workspace = Workspace(name=f"{name or email.split('@')[0]}'s workspace", is_personal=True)
        s.add(user)
        s.add(workspace)
        s.flush()
        s.add(Membership(workspace_id=workspace.id, user_id=user.id, role=Role.OWNER.value))
        audit.record(
            s, action="user.signed_up", actor_user_id=user.id, workspace_id=workspace.id, ip=ip
        )
        _send_verification(tx, user)
        handoff = _issue_token(s, user=user, purpose=PURPOSE_LOGIN, ttl=_LOGIN_HANDOFF_TTL)
    return SignUpResult(handoff=handoff)


def verify_email(*, token: str) -> bool:
    with transaction() as tx:
        used = _consume_token(tx.session, token=token, purpose=PURPOSE_VERIFY)
        if used is None:
            return False
        user = tx.session.get(User, used.user_id)
        if user is None or user.email != used.email:
            return False
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()
            tx.session.add(user)
            audit.record(tx.session, action="user.email_verified", actor_user_id=user.id)
    return True


def resend_verification(*, actor: Actor) -> None:
    with transaction() as tx:
        user = tx.session.get(User, actor.user_id)
        if user is None or user.email_verified_at is not None:
            return
        _send_verification(tx, user)


def log_in(*, email: str, password: str, ip: str = "") -> str:
    """Check the password; return a one-minute hand-off token for /auth/session.

    Known and unknown e-mails get the same error and take the same time: the password
    is always run through argon2 (against a dummy hash when there is no such user).
    """
    key_email = (email or "").strip().lower()[:254]
    if not key_email or not password:
        raise ServiceError(LOGIN_FAILED)
    with transaction() as tx:
        throttle.check(tx.session, email=key_email, ip=ip)
    with read_session() as s:
        user = s.exec(select(User).where(User.email == key_email)).first()
    ok = passwords.verify_password(user.password_hash if user else None, password[:4096])
    with transaction() as tx:
        if not ok or user is None or not user.is_active:
            throttle.record_failure(tx.session, email=key_email, ip=ip)
            audit.record(
                tx.session,
                action="user.login_failed",
                actor_user_id=user.id if user else None,
                ip=ip,
            )
            failed = True
        else:
            failed = False
            throttle.record_success(tx.session, email=key_email)
            if passwords.needs_rehash(user.password_hash):
                user.password_hash = passwords.hash_password(password)
                tx.session.add(user)
            handoff = _issue_token(
                tx.session, user=user, purpose=PURPOSE_LOGIN, ttl=_LOGIN_HANDOFF_TTL
            )
    if failed:
        raise ServiceError(LOGIN_FAILED)
    return handoff


def start_session(*, handoff: str, ip: str = "", user_agent: str = "") -> str | None:
    """Trade a hand-off token for a brand-new session token (None if it is not valid)."""
    with transaction() as tx:
        used = _consume_token(tx.session, token=handoff, purpose=PURPOSE_LOGIN)
        if used is None:
            return None
        user = tx.session.get(User, used.user_id)
        if user is None or not user.is_active:
            return None
        membership = first_membership(tx.session, user.id)
        token = sessions.create(
            tx.session,
            user_id=user.id,
            workspace_id=membership.workspace_id if membership else None,
            ip=ip,
            user_agent=user_agent,
        )
        audit.record(tx.session, action="user.logged_in", actor_user_id=user.id, ip=ip)
    return token


def log_out(*, session_token: str | None, ip: str = "") -> None:
    with transaction() as tx:
        user_id = sessions.end(tx.session, session_token)
        if user_id is not None:
            audit.record(tx.session, action="user.logged_out", actor_user_id=user_id, ip=ip)


def request_password_reset(*, email: str, ip: str = "") -> None:
    """Always the same answer to the caller; a mail goes out only to a real account."""
    key_email = (email or "").strip().lower()[:254]
    with transaction() as tx:
        # Reset requests share the login throttle per IP, so they cannot be used to
        # flood someone's inbox from one address.
        throttle.check(tx.session, email=f"reset:{key_email}", ip=ip)
        throttle.record_failure(tx.session, email=f"reset:{key_email}", ip="")
        user = tx.session.exec(select(User).where(User.email == key_email)).first()
        if user is None or not user.is_active:
            return
        token = _issue_token(
            tx.session,
            user=user,
            purpose=PURPOSE_RESET,
            ttl=dt.timedelta(minutes=get_settings().email_token_ttl_minutes),
        )
        queue_mail(
            tx,
            to=user.email,
            subject="Reset your qrapp password",
            text=(
                "Someone asked to reset the password of your qrapp account.\n\n"
                f"Choose a new password here:\n\n{app_link('/reset-password?token=' + token)}\n\n"
                f"The link works once, for {get_settings().email_token_ttl_minutes} minutes. "
                "If you did not ask for it, ignore this mail: your password stays the same."
            ),
        )


def reset_password(*, token: str, new_password: str, ip: str = "") -> None:
    passwords.check_policy(new_password)
    new_hash = passwords.hash_password(new_password)
    with transaction() as tx:
        used = _consume_token(tx.session, token=token, purpose=PURPOSE_RESET)
        user = tx.session.get(User, used.user_id) if used else None
        if used is None or user is None or user.email != used.email:
            raise ServiceError(
                "This reset link is invalid, used or expired. Ask for a new one.", field="token"
            )
        _set_password(tx, user, new_hash, ip=ip, action="user.password_reset")
        # Opening the link proves the address, too.
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()


def change_password(*, actor: Actor, current: str, new: str, ip: str = "") -> str:
    """Change the password, end every session, and hand this browser a fresh one."""
    with read_session() as s:
        user = s.get(User, actor.user_id)
    if user is None or not passwords.verify_password(user.password_hash, current):
        raise ServiceError("Your current password is not right.", field="current")
    if current == new:
        raise ServiceError("Choose a password different from the current one.", field="new")
    passwords.check_policy(new, field="new")
    new_hash = passwords.hash_password(new)
    with transaction() as tx:
        user = tx.session.get(User, actor.user_id)
        _set_password(tx, user, new_hash, ip=ip, action="user.password_changed")
        handoff = _issue_token(tx.session, user=user, purpose=PURPOSE_LOGIN, ttl=_LOGIN_HANDOFF_TTL)
    return handoff


def _set_password(tx, user: User, new_hash: str, *, ip: str, action: str) -> None:
    user.password_hash = new_hash
    user.password_changed_at = utcnow()
    tx.session.add(user)
    sessions.end_all_for_user(tx.session, user.id)
    audit.record(tx.session, action=action, actor_user_id=user.id, ip=ip)
    queue_mail(
        tx,
        to=user.email,
        subject="Your qrapp password was changed",
        text=(
            "The password of your qrapp account was just changed and every signed-in "
            "device was logged out.\n\nIf this was not you, reset it now: "
            f"{app_link('/forgot-password')}\n"
        ),
    )


def create_user_cli(*, email: str, password: str, name: str = "") -> uuid.UUID:
    """Operator path (qrapp user create): a verified user with a personal workspace."""
    result = sign_up(email=email, password=password, name=name)
    if result.handoff is None:
        raise ServiceError("A user with that e-mail already exists.", field="email")
    with transaction() as tx:
        user = tx.session.exec(select(User).where(User.email == normalise_email(email))).one()
        user.email_verified_at = utcnow()
        tx.session.add(user)
        return user.id
