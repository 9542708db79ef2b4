"""Sign-up: one answer for known and unknown addresses, throttled, finished by mail.

The form's handler checks the input, counts the attempt (per IP and per address), keeps
a pending sign-up and queues one task: the same work whatever the address, so neither
the answer nor its timing tells whether an account exists. The worker then looks the
address up. A new address gets the confirmation link: opening it creates the account
(verified) and, in the browser that signed up, logs in. A taken address gets, at most
once a day, a mail that someone tried to sign up with it.
"""

from __future__ import annotations

import datetime as dt
import hmac
import uuid
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from qrapp.core import routes
from qrapp.core.permissions import Role
from qrapp.core.safe_redirect import safe_next_path
from qrapp.db import transaction
from qrapp.models import Membership, PendingSignUp, User, Workspace
from qrapp.models.types import utcnow
from qrapp.queue import enqueue
from qrapp.services import audit, mail, throttle
from qrapp.services.accounts import email_tokens, passwords
from qrapp.services.accounts.tokens import new_token, token_hash
from qrapp.services.audit import AuditAction
from qrapp.services.errors import ServiceError
from qrapp.settings import get_settings

SIGN_UP_MAIL_TASK = "qrapp.accounts.sign_up_mail"
WELCOME_PATH = routes.DASHBOARD_WELCOME

_ATTEMPT_WINDOW = dt.timedelta(hours=1)
_NOTICE_EVERY = dt.timedelta(days=1)

OUTCOME_CONFIRM, OUTCOME_NOTICE, OUTCOME_QUIET = "confirm", "notice", "quiet"


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


def _attempt_keys(email: str, ip: str) -> list[throttle.Key]:
    s = get_settings()
    keys = [throttle.Key(f"signup:{email}", s.signup_max_per_email, _ATTEMPT_WINDOW)]
    if ip:
        ip_name = f"signup-ip:{throttle.ip_key(ip)}"
        keys.append(throttle.Key(ip_name, s.signup_max_per_ip, _ATTEMPT_WINDOW))
    return keys


def sign_up(
    *,
    email: str,
    password: str,
    name: str = "",
    ip: str = "",
    binding: str = "",
    next_path: str = "",
) -> None:
    """Accept a sign-up; the answer is always "check your inbox". `binding` is the
    browser's binding cookie: the mailed link logs in only that browser, and takes it
    to `next_path` (one of our own paths) or the dashboard."""
    email = normalise_email(email)
    name = (name or "").strip()[:120]
    passwords.check_policy(password)
    with transaction() as tx:
        throttle.reserve(tx.session, _attempt_keys(email, ip))
    password_hash = passwords.hash_password(password)
    token, hashed = new_token()
    with transaction() as tx:
        pending = PendingSignUp(
            email=email,
            name=name,
            password_hash=password_hash,
            token_hash=hashed,
            binding_hash=email_tokens.binding_hash(binding),
            next_path=safe_next_path(next_path, default=WELCOME_PATH)[:500],
            expires_at=utcnow() + email_tokens.VERIFY_TTL,
        )
        tx.session.add(pending)
        tx.session.flush()
        pending_id = str(pending.id)
        tx.after_commit(lambda: enqueue(SIGN_UP_MAIL_TASK, pending_id, token))


def send_sign_up_mail(*, pending_id: str, token: str) -> None:
    """The worker's half of a sign-up. The outcome is decided once and kept on the row,
    so a retry after an SMTP failure sends the same mail again and nothing else."""
    with transaction() as tx:
        pending = tx.session.get(PendingSignUp, uuid.UUID(pending_id))
        if pending is None:
            return
        if not pending.outcome:
            pending.outcome = _decide(tx.session, pending.email)
            if pending.outcome != OUTCOME_CONFIRM:
                pending.used_at = utcnow()  # a taken address never gets an account link
            tx.session.add(pending)
        outcome, email, name = pending.outcome, pending.email, pending.name
    if outcome == OUTCOME_CONFIRM:
        mail.send_now(_confirmation_mail(email, name, token))
    elif outcome == OUTCOME_NOTICE:
        mail.send_now(_notice_mail(email))


def _decide(session: Session, email: str) -> str:
    if session.exec(select(User.id).where(User.email == email)).first() is None:
        return OUTCOME_CONFIRM
    once_a_day = throttle.Key(f"signup-notice:{email}", 1, _NOTICE_EVERY)
    return OUTCOME_NOTICE if throttle.take(session, [once_a_day]) else OUTCOME_QUIET


def _confirmation_mail(email: str, name: str, token: str) -> dict[str, str]:
    return {
        "to": email,
        "subject": "Confirm your e-mail for qrapp",
        "text": (
            f"Hello {name or email},\n\n"
            "Confirm your e-mail address to finish creating your qrapp account:\n\n"
            f"{mail.app_link(routes.verify_email_link(token))}\n\n"
            "Opened in the browser you signed up with, the link also logs you in. It works "
            "for 7 days. If you did not sign up for qrapp, ignore this mail: no account is "
            "created."
        ),
    }


def _notice_mail(email: str) -> dict[str, str]:
    return {
        "to": email,
        "subject": "Someone tried to sign up with your e-mail",
        "text": (
            "Someone (maybe you) tried to create a qrapp account with this address, "
            "but you already have one.\n\nLog in: "
            f"{mail.app_link(routes.LOGIN)}\nForgot your password? "
            f"{mail.app_link(routes.FORGOT_PASSWORD)}\n\n"
            "We send this notice at most once a day."
        ),
    }


@dataclass(frozen=True)
class Confirmation:
    """`handoff` is set when the link was opened in the browser that signed up; it then
    goes on to `next_path`."""

    confirmed: bool
    handoff: str | None = None
    next_path: str = WELCOME_PATH


def confirm_email(*, token: str, binding: str = "") -> Confirmation:
    """Open a mailed link: a sign-up link creates the account, a verification link of an
    existing account confirms its address."""
    done = _finish_sign_up(token, binding)
    if done is not None:
        return done
    return Confirmation(confirmed=verify_email(token=token))


def _finish_sign_up(token: str, binding: str) -> Confirmation | None:
    if not token or len(token) > 200:
        return None
    now, hashed = utcnow(), token_hash(token)
    try:
        with transaction() as tx:
            s = tx.session
            used = s.exec(
                update(PendingSignUp)
                .where(
                    col(PendingSignUp.token_hash) == hashed,
                    col(PendingSignUp.outcome) == OUTCOME_CONFIRM,
                    col(PendingSignUp.used_at).is_(None),
                    col(PendingSignUp.expires_at) > now,
                )
                .values(used_at=now)
            )
            if used.rowcount != 1:
                return None
            pending = s.exec(select(PendingSignUp).where(PendingSignUp.token_hash == hashed)).one()
            if s.exec(select(User.id).where(User.email == pending.email)).first() is not None:
                return Confirmation(confirmed=True)  # another of its links came first
            user = create_account(
                s, email=pending.email, name=pending.name, password_hash=pending.password_hash
            )
            user.email_verified_at = now
            s.add(user)
            audit.record(s, action=AuditAction.USER_EMAIL_VERIFIED, actor_user_id=user.id)
            handoff = None
            mine = email_tokens.binding_hash(binding)
            if mine and hmac.compare_digest(mine, pending.binding_hash):
                handoff = email_tokens.issue_login_handoff(s, user=user, binding=binding)
            next_path = safe_next_path(pending.next_path, default=WELCOME_PATH)
    except IntegrityError:
        return Confirmation(confirmed=True)  # two links of one address at the same moment
    return Confirmation(confirmed=True, handoff=handoff, next_path=next_path)


def create_account(
    session: Session, *, email: str, name: str, password_hash: str, ip: str = ""
) -> User:
    """The user, their personal workspace and its owner membership."""
    user = User(email=email, name=name, password_hash=password_hash)
    workspace = Workspace(name=f"{name or email.split('@')[0]}'s workspace", is_personal=True)
    session.add(user)
    session.add(workspace)
    session.flush()
    session.add(Membership(workspace_id=workspace.id, user_id=user.id, role=Role.OWNER.value))
    audit.record(
        session,
        action=AuditAction.USER_SIGNED_UP,
        actor_user_id=user.id,
        workspace_id=workspace.id,
        ip=ip,
    )
    return user


def verify_email(*, token: str) -> bool:
    with transaction() as tx:
        used = email_tokens.consume(tx.session, token=token, purpose=email_tokens.PURPOSE_VERIFY)
        if used is None:
            return False
        user = tx.session.get(User, used.user_id)
        if user is None or user.email != used.email:
            return False
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()
            tx.session.add(user)
            audit.record(tx.session, action=AuditAction.USER_EMAIL_VERIFIED, actor_user_id=user.id)
    return True
