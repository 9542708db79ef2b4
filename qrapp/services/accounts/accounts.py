"""Login, logout, e-mail verification and passwords (sign-up lives in `signup`).

Login is two steps because the session cookie must be HttpOnly: the websocket handler
checks the password and gets a one-minute hand-off token; the browser then visits the
plain HTTP route /auth/session, which trades it for a fresh session token in the cookie.
The hand-off is bound to the browser that asked for it (the hash of its binding cookie):
opened in another browser it logs in nobody, so a stranger cannot log a victim into the
stranger's account (login CSRF).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session, select

from qrapp.core import routes
from qrapp.db import read_session, transaction
from qrapp.models import Membership, User
from qrapp.models.types import utcnow
from qrapp.queue import enqueue
from qrapp.services import audit, mail, throttle
from qrapp.services.accounts import devices, email_tokens, passwords, second_factor, sessions
from qrapp.services.accounts.email_tokens import PURPOSE_LOGIN, PURPOSE_RESET, PURPOSE_VERIFY
from qrapp.services.accounts.signup import create_account, normalise_email, verify_email
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor
from qrapp.services.errors import ServiceError
from qrapp.services.mail import app_link, queue_mail
from qrapp.services.sso import domains as sso_domains
from qrapp.services.sso.domains import refuse_if_sso_only
from qrapp.services.workspaces.memberships import first_membership
from qrapp.settings import get_settings

__all__ = [
    "LOGIN_FAILED",
    "RESET_LINK_MAIL_TASK",
    "change_password",
    "create_user_cli",
    "log_in",
    "log_out",
    "normalise_email",
    "request_password_reset",
    "resend_verification",
    "reset_password",
    "send_password_reset_mail",
    "start_session",
    "verify_email",
]

RESET_LINK_MAIL_TASK = "qrapp.accounts.password_reset_mail"

LOGIN_FAILED = "That e-mail and password do not match an account."
RELOAD_PAGE = "Please reload the page and try again."


def _send_verification(tx, user: User) -> None:
    token = email_tokens.issue(
        tx.session, user=user, purpose=PURPOSE_VERIFY, ttl=email_tokens.VERIFY_TTL
    )
    queue_mail(
        tx,
        to=user.email,
        subject="Confirm your e-mail for qrapp",
        text=(
            f"Hello {user.name or user.email},\n\n"
            "Please confirm your e-mail address by opening this link:\n\n"
            f"{app_link(routes.verify_email_link(token))}\n\n"
            "The link works for 7 days. If you did not sign up for qrapp, ignore this mail."
        ),
    )


def resend_verification(*, actor: Actor) -> None:
    with transaction() as tx:
        user = tx.session.get(User, actor.user_id)
        if user is None or user.email_verified_at is not None:
            return
        _send_verification(tx, user)


def log_in(*, email: str, password: str, ip: str = "", binding: str, device: str = "") -> str:
    """Check the password; return a one-minute hand-off token for /auth/session, usable
    only by the browser whose binding cookie is `binding`. An account with a second
    factor raises second_factor.SecondStepRequired instead (unless `device` is its
    trusted-device cookie): the login goes on at the second step.

    Known and unknown e-mails get the same error and take the same time: the password
    is always run through argon2 (against a dummy hash when there is no such user). The
    attempt is counted before the check, so concurrent guesses cannot pass the limit.
    """
    key_email = (email or "").strip().lower()[:254]
    if not key_email or not password:
        raise ServiceError(LOGIN_FAILED)
    refuse_if_sso_only(key_email)  # the domain's workspace signs in through its IdP
    if not email_tokens.binding_hash(binding):
        raise ServiceError(RELOAD_PAGE)
    keys = throttle.login_keys(key_email, ip)
    with transaction() as tx:
        throttle.reserve(tx.session, keys)
    with read_session() as s:
        user = s.exec(select(User).where(User.email == key_email)).first()
    ok = passwords.verify_password(user.password_hash if user else None, password[:4096])
    with transaction() as tx:
        if not ok or user is None or not user.is_active:
            audit.record(
                tx.session,
                action=AuditAction.USER_LOGIN_FAILED,
                actor_user_id=user.id if user else None,
                ip=ip,
            )
            failed, second_step = True, None
        else:
            failed = False
            throttle.release(tx.session, keys)
            if passwords.needs_rehash(user.password_hash):
                user.password_hash = passwords.hash_password(password)
                tx.session.add(user)
            second_step = second_factor.login_step(
                tx.session, user=user, binding=binding, device=device
            )
            if second_step is None:
                handoff = email_tokens.issue_login_handoff(tx.session, user=user, binding=binding)
    if failed:
        raise ServiceError(LOGIN_FAILED)
    if second_step is not None:
        raise second_step
    return handoff


def start_session(*, handoff: str, binding: str, ip: str = "", user_agent: str = "") -> str | None:
    """Trade a hand-off token for a brand-new session token (None if it is not valid, or
    was asked for by another browser)."""
    with transaction() as tx:
        used = email_tokens.consume(
            tx.session, token=handoff, purpose=PURPOSE_LOGIN, binding=binding or ""
        )
        if used is None:
            return None
        user = tx.session.get(User, used.user_id)
        if user is None or not user.is_active:
            return None
        membership = _starting_membership(tx.session, user.id, used.workspace_id)
        token = sessions.create(
            tx.session,
            user_id=user.id,
            workspace_id=membership.workspace_id if membership else None,
            ip=ip,
            user_agent=user_agent,
        )
        audit.record(tx.session, action=AuditAction.USER_LOGGED_IN, actor_user_id=user.id, ip=ip)
        devices.note_login(tx, user, ip=ip, user_agent=user_agent)
    return token


def _starting_membership(
    session: Session, user_id: uuid.UUID, wanted: uuid.UUID | None
) -> Membership | None:
    """The hand-off's workspace (single sign-on signs in to one) while the person is still
    a member of it, else their first membership."""
    if wanted is not None:
        chosen = session.exec(
            select(Membership).where(
                Membership.user_id == user_id, Membership.workspace_id == wanted
            )
        ).first()
        if chosen is not None:
            return chosen
    return first_membership(session, user_id)


def log_out(*, session_token: str | None, ip: str = "") -> None:
    with transaction() as tx:
        user_id = sessions.end(tx.session, session_token)
        if user_id is not None:
            audit.record(
                tx.session, action=AuditAction.USER_LOGGED_OUT, actor_user_id=user_id, ip=ip
            )


def _reset_keys(key_email: str, ip: str) -> list[throttle.Key]:
    keys = throttle.login_keys(key_email, "", prefix="reset")
    if ip:
        s = get_settings()
        window = dt.timedelta(minutes=s.login_throttle_window_minutes)
        ip_name = f"reset-ip:{throttle.ip_key(ip)}"
        keys.append(throttle.Key(ip_name, s.login_max_failures_per_ip, window))
    return keys


def request_password_reset(*, email: str, ip: str = "") -> None:
    """Always the same answer and the same work: count the request (per address and per
    IP, so nobody floods an inbox) and queue one task. Whether the account exists is
    looked up by the worker, so the request takes as long for a known address as for an
    unknown one (it used to take 8 ms against 4)."""
    key_email = (email or "").strip().lower()[:254]
    refuse_if_sso_only(key_email)
    with transaction() as tx:
        throttle.reserve(tx.session, _reset_keys(key_email, ip))
        tx.after_commit(lambda: enqueue(RESET_LINK_MAIL_TASK, key_email))


def send_password_reset_mail(*, email: str) -> None:
    """The worker's half: a reset link for a real, active account; nothing otherwise."""
    ttl = get_settings().email_token_ttl_minutes
    with transaction() as tx:
        user = tx.session.exec(select(User).where(User.email == email)).first()
        if user is None or not user.is_active or sso_domains.is_sso_only(tx.session, email):
            return
        token = email_tokens.issue(
            tx.session, user=user, purpose=PURPOSE_RESET, ttl=dt.timedelta(minutes=ttl)
        )
    mail.send_now(
        {
            "to": user.email,
            "subject": "Reset your qrapp password",
            "text": (
                "Someone asked to reset the password of your qrapp account.\n\n"
                f"Choose a new password here:\n\n{app_link(routes.reset_password_link(token))}"
                f"\n\nThe link works once, for {ttl} minutes. If you did not ask for it, "
                "ignore this mail: your password stays the same."
            ),
        }
    )


def reset_password(*, token: str, new_password: str, ip: str = "") -> None:
    passwords.check_policy(new_password)
    new_hash = passwords.hash_password(new_password)
    with transaction() as tx:
        used = email_tokens.consume(tx.session, token=token, purpose=PURPOSE_RESET)
        user = tx.session.get(User, used.user_id) if used else None
        if used is None or user is None or user.email != used.email:
            raise ServiceError(
                "This reset link is invalid, used or expired. Ask for a new one.", field="token"
            )
        if sso_domains.is_sso_only(tx.session, user.email):  # a link mailed before SSO only
            raise ServiceError(sso_domains.SSO_ONLY_MESSAGE)
        _set_password(tx, user, new_hash, ip=ip, action=AuditAction.USER_PASSWORD_RESET)
        # Opening the link proves the address, too.
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()


def change_password(*, actor: Actor, current: str, new: str, ip: str = "", binding: str) -> str:
    """Change the password, end every session, and hand this browser a fresh one.

    Throttled like a login (per account and per IP), counted before the current
    password is checked: a stolen session must not become a password oracle."""
    if current == new:
        raise ServiceError("Choose a password different from the current one.", field="new")
    passwords.check_policy(new, field="new")
    keys = throttle.login_keys(str(actor.user_id), ip, prefix="pwchange")
    with transaction() as tx:
        throttle.reserve(tx.session, keys)
    with read_session() as s:
        user = s.get(User, actor.user_id)
    if user is None or not passwords.verify_password(user.password_hash, current[:4096]):
        raise ServiceError("Your current password is not right.", field="current")
    new_hash = passwords.hash_password(new)
    with transaction() as tx:
        throttle.release(tx.session, keys)
        user = tx.session.get(User, actor.user_id)
        if user is None:  # deleted between the check above and this transaction
            raise ServiceError("Your current password is not right.", field="current")
        _set_password(tx, user, new_hash, ip=ip, action=AuditAction.USER_PASSWORD_CHANGED)
        handoff = email_tokens.issue_login_handoff(tx.session, user=user, binding=binding)
    return handoff


def _set_password(tx, user: User, new_hash: str, *, ip: str, action: AuditAction) -> None:
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
            f"{app_link(routes.FORGOT_PASSWORD)}\n"
        ),
    )


def create_user_cli(*, email: str, password: str, name: str = "") -> uuid.UUID:
    """Operator path (qrapp user create): a verified user with a personal workspace."""
    email = normalise_email(email)
    passwords.check_policy(password)
    password_hash = passwords.hash_password(password)
    with transaction() as tx:
        if tx.session.exec(select(User.id).where(User.email == email)).first() is not None:
            raise ServiceError("A user with that e-mail already exists.", field="email")
        user = create_account(
            tx.session, email=email, name=(name or "").strip()[:120], password_hash=password_hash
        )
        user.email_verified_at = utcnow()
        tx.session.add(user)
        return user.id
