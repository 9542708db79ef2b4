"""The second step of a password login: TOTP codes, recovery codes, trusted devices.

After a correct password, an account with a second factor (or one that a workspace
requires to have one) gets a pending second-step token instead of the login hand-off
(`SecondStepRequired`). The pending token is bound to the browser that asked, lives ten
minutes, and is traded for the hand-off once a code (or a passkey, see `passkeys`) is
right. Every attempt is counted before the check, like passwords. SSO logins do not come
here: the identity provider did its own second factor.

A trusted device skips the step for 30 days. Its cookie is derived from the hand-off
that the successful second step issued (an HMAC under the app's secret key), so the
plain HTTP route that sets the session cookie can set it too without the token ever
travelling in a URL; the table keeps only its SHA-256.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from qrapp.core import otp
from qrapp.db import read_session, transaction
from qrapp.models import (
    EmailToken,
    Membership,
    Passkey,
    RecoveryCode,
    TotpFactor,
    TrustedDevice,
    User,
    Workspace,
)
from qrapp.models.types import utcnow
from qrapp.services import audit, throttle
from qrapp.services.accounts import email_tokens, totp_secrets
from qrapp.services.accounts.tokens import new_token, token_hash
from qrapp.services.audit import AuditAction
from qrapp.services.errors import ServiceError
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

PURPOSE_SECOND_STEP = "second_step"
PENDING_TTL = dt.timedelta(minutes=10)
TRUSTED_DEVICE_TTL = dt.timedelta(days=30)
TRUSTED_DEVICE_COOKIE = "qrapp_trusted_device"
ISSUER = "qrapp"

CODE_WRONG = "That code is not right. Check your authenticator app and try again."
STEP_EXPIRED = "This sign-in has expired. Please log in again."


class SecondStepRequired(Exception):
    """The password was right; the login goes on at the second step with `token`.

    `enrol` is True when the account has no second factor but a workspace requires one:
    the login page walks the person through setting up an authenticator app first."""

    def __init__(self, token: str, *, enrol: bool, passkeys: bool) -> None:
        super().__init__("second step required")
        self.token = token
        self.enrol = enrol
        self.passkeys = passkeys


@dataclass(frozen=True)
class Completed:
    handoff: str
    trusted_device: bool = False


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment screen shows: the QR code (our own engine's SVG, as a data
    URI) and the secret as text for typing it in."""

    secret: str
    uri: str
    qr_data_uri: str


# --- what an account has ----------------------------------------------------------------


def _has_totp(session: Session, user_id: uuid.UUID) -> bool:
    factor = session.get(TotpFactor, user_id)
    return factor is not None and factor.confirmed_at is not None


def has_passkey(session: Session, user_id: uuid.UUID) -> bool:
    return session.exec(select(Passkey.id).where(Passkey.user_id == user_id)).first() is not None


def _required_by_a_workspace(session: Session, user_id: uuid.UUID) -> bool:
    return (
        session.exec(
            select(Workspace.id)
            .join(Membership, col(Membership.workspace_id) == Workspace.id)
            .where(Membership.user_id == user_id, col(Workspace.require_two_factor).is_(True))
        ).first()
        is not None
    )


def has_second_factor(session: Session, user_id: uuid.UUID) -> bool:
    return _has_totp(session, user_id) or has_passkey(session, user_id)


def needs_second_factor(user_id: uuid.UUID) -> bool:
    """Whether a password login of this account goes through the second step: it has a
    second factor, or a workspace of its requires one (then the step is enrolment)."""
    with read_session() as s:
        return has_second_factor(s, user_id) or _required_by_a_workspace(s, user_id)


# --- the hook in accounts.log_in ----------------------------------------------------------


def _device_token_for(handoff: str) -> str:
    key = hashlib.sha256(b"trusted-device:" + get_settings().secret_key.encode()).digest()
    mac = hmac.new(key, handoff.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def _trusted(session: Session, user_id: uuid.UUID, device: str) -> bool:
    if not device or len(device) > 100:
        return False
    row = session.exec(
        select(TrustedDevice).where(
            TrustedDevice.token_hash == token_hash(device),
            TrustedDevice.user_id == user_id,
            col(TrustedDevice.expires_at) > utcnow(),
        )
    ).first()
    return row is not None


def login_step(
    session: Session, *, user: User, binding: str, device: str = ""
) -> SecondStepRequired | None:
    """Called by accounts.log_in after a correct password, inside its transaction: the
    SecondStepRequired (with a new pending token) for it to raise once that transaction
    has committed, or None when the hand-off can go out now."""
    has_factor = has_second_factor(session, user.id)
    if has_factor and _trusted(session, user.id, device):
        return None
    if not has_factor and not _required_by_a_workspace(session, user.id):
        return None
    token, hashed = new_token()
    session.add(
        EmailToken(
            user_id=user.id,
            purpose=PURPOSE_SECOND_STEP,
            token_hash=hashed,
            email=user.email,
            expires_at=utcnow() + PENDING_TTL,
            binding_hash=email_tokens.binding_hash(binding),
        )
    )
    return SecondStepRequired(token, enrol=not has_factor, passkeys=has_passkey(session, user.id))


def pending_user(session: Session, *, pending: str, binding: str) -> User:
    """The account of a live pending token asked for by this browser, or ServiceError."""
    bound = email_tokens.binding_hash(binding)
    if not pending or len(pending) > 200 or not bound:
        raise ServiceError(STEP_EXPIRED)
    row = session.exec(
        select(EmailToken).where(
            EmailToken.token_hash == token_hash(pending),
            EmailToken.purpose == PURPOSE_SECOND_STEP,
            col(EmailToken.used_at).is_(None),
            col(EmailToken.expires_at) > utcnow(),
            EmailToken.binding_hash == bound,
        )
    ).first()
    user = session.get(User, row.user_id) if row else None
    if user is None or not user.is_active:
        raise ServiceError(STEP_EXPIRED)
    return user


def finish(session: Session, *, user: User, pending: str, binding: str, trust: bool) -> Completed:
    """Use up the pending token (once, even when two tabs race) and issue the hand-off."""
    used = email_tokens.consume(
        session, token=pending, purpose=PURPOSE_SECOND_STEP, binding=binding
    )
    if used is None or used.user_id != user.id:
        raise ServiceError(STEP_EXPIRED)
    handoff = email_tokens.issue_login_handoff(session, user=user, binding=binding)
    if trust:
        session.add(
            TrustedDevice(
                user_id=user.id,
                token_hash=token_hash(_device_token_for(handoff)),
                expires_at=utcnow() + TRUSTED_DEVICE_TTL,
            )
        )
    return Completed(handoff=handoff, trusted_device=trust)


def throttle_keys(user_id: uuid.UUID, ip: str) -> list[throttle.Key]:
    """Second-step attempts count like password attempts, per account and per IP."""
    return throttle.login_keys(str(user_id), ip, prefix="2fa")


# --- checking a code ------------------------------------------------------------------


def _store_secret(factor: TotpFactor, secret: str) -> None:
    factor.secret_sealed = totp_secrets.seal(secret, factor.user_id)
    factor.secret = ""  # never in clear once sealed


def _secret_of(session: Session, factor: TotpFactor) -> str | None:
    """The factor's secret; a row from before sealing is sealed now (its first use). None
    when the sealed secret does not open (SECRET_KEY changed): no code can match then."""
    if factor.secret_sealed:
        try:
            return totp_secrets.unseal(factor.secret_sealed, factor.user_id)
        except totp_secrets.Unreadable:
            log.error("TOTP secret of %s does not open: was SECRET_KEY changed?", factor.user_id)
            return None
    if not factor.secret:
        return None
    secret = factor.secret
    _store_secret(factor, secret)
    session.add(factor)
    session.flush()
    return secret


def use_totp(session: Session, *, user_id: uuid.UUID, code: str, confirmed: bool = True) -> bool:
    """Whether `code` is the account's current code; records its step so it never works
    again (an UPDATE ... WHERE last_used_step < step, so two racing uses count once)."""
    factor = session.get(TotpFactor, user_id)
    if factor is None or (factor.confirmed_at is None) == confirmed:
        return False
    secret = _secret_of(session, factor)
    if secret is None:
        return False
    step = otp.matching_step(secret, code, now=time.time(), last_used_step=factor.last_used_step)
    if step is None:
        return False
    result = session.exec(
        update(TotpFactor)
        .where(col(TotpFactor.user_id) == user_id, col(TotpFactor.last_used_step) < step)
        .values(last_used_step=step)
    )
    session.expire(factor)
    return result.rowcount == 1


def _use_recovery_code(session: Session, *, user_id: uuid.UUID, code: str) -> bool:
    result = session.exec(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user_id,
            col(RecoveryCode.code_hash) == otp.recovery_code_hash(code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )
    return result.rowcount == 1


def complete_with_code(
    *, pending: str, binding: str, code: str, trust_device: bool = False, ip: str = ""
) -> Completed:
    """The second step with a 6-digit code or a recovery code."""
    with read_session() as s:
        user_id = pending_user(s, pending=pending, binding=binding).id
    keys = throttle_keys(user_id, ip)
    with transaction() as tx:
        throttle.reserve(tx.session, keys)
    with transaction() as tx:
        user = pending_user(tx.session, pending=pending, binding=binding)
        recovery = otp.looks_like_recovery_code(code)
        if recovery:
            ok = _use_recovery_code(tx.session, user_id=user.id, code=code)
        else:
            ok = use_totp(tx.session, user_id=user.id, code=code)
        if not ok:
            audit.record(
                tx.session,
                action=AuditAction.TWO_FACTOR_LOGIN_FAILED,
                actor_user_id=user.id,
                ip=ip,
                details={"method": "recovery_code" if recovery else "totp"},
            )
            done = None
        else:
            throttle.release(tx.session, keys)
            if recovery:
                audit.record(
                    tx.session, action=AuditAction.RECOVERY_CODE_USED, actor_user_id=user.id, ip=ip
                )
            done = finish(
                tx.session, user=user, pending=pending, binding=binding, trust=trust_device
            )
    if done is None:
        raise ServiceError(CODE_WRONG, field="code")
    return done


def device_cookie_for(handoff: str) -> str | None:
    """The trusted-device cookie that goes with this hand-off, when its second step
    asked to trust the browser (the /auth/session route sets it with the session)."""
    if not handoff or len(handoff) > 200:
        return None
    device = _device_token_for(handoff)
    with read_session() as s:
        row = s.exec(
            select(TrustedDevice.id).where(TrustedDevice.token_hash == token_hash(device))
        ).first()
    return device if row is not None else None


# --- enrolment (shared by Settings -> Security and the walk-through at login) ---------------


def qr_data_uri(uri: str) -> str:
    from qrapp.core.render import render

    svg = render(uri, None, "svg")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def start_enrolment(session: Session, user: User) -> Enrolment:
    """A new, unconfirmed secret (replacing an earlier unconfirmed one)."""
    factor = session.get(TotpFactor, user.id)
    if factor is not None and factor.confirmed_at is not None:
        raise ServiceError("Two-factor login is already on.")
    secret = otp.new_secret()
    if factor is None:
        factor = TotpFactor(user_id=user.id)
    _store_secret(factor, secret)
    factor.last_used_step, factor.created_at = 0, utcnow()
    session.add(factor)
    uri = otp.provisioning_uri(secret, account=user.email, issuer=ISSUER)
    return Enrolment(secret=secret, uri=uri, qr_data_uri=qr_data_uri(uri))


def new_recovery_codes(session: Session, user_id: uuid.UUID) -> list[str]:
    """Ten fresh codes; the old ones stop working."""
    for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user_id)):
        session.delete(old)
    codes = otp.new_recovery_codes()
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=otp.recovery_code_hash(code)))
    return codes


def confirm_enrolment(session: Session, *, user: User, code: str, ip: str) -> list[str] | None:
    """Turn the factor on with its first code; the ten recovery codes, or None when the
    code is wrong (the caller records nothing more and says so)."""
    factor = session.get(TotpFactor, user.id)
    if factor is None or factor.confirmed_at is not None:
        raise ServiceError("Start the set-up again: scan the new QR code.")
    if not use_totp(session, user_id=user.id, code=code, confirmed=False):
        return None
    factor = session.get_one(TotpFactor, user.id)
    factor.confirmed_at = utcnow()
    session.add(factor)
    audit.record(session, action=AuditAction.TWO_FACTOR_ENABLED, actor_user_id=user.id, ip=ip)
    return new_recovery_codes(session, user.id)


def start_enrolment_at_login(*, pending: str, binding: str) -> Enrolment:
    """The walk-through for a member of a workspace that requires two-factor login."""
    with transaction() as tx:
        user = pending_user(tx.session, pending=pending, binding=binding)
        return start_enrolment(tx.session, user)


def confirm_enrolment_at_login(*, pending: str, binding: str, code: str, ip: str = "") -> list[str]:
    with read_session() as s:
        user_id = pending_user(s, pending=pending, binding=binding).id
    keys = throttle_keys(user_id, ip)
    with transaction() as tx:
        throttle.reserve(tx.session, keys)
    with transaction() as tx:
        user = pending_user(tx.session, pending=pending, binding=binding)
        codes = confirm_enrolment(tx.session, user=user, code=code, ip=ip)
        if codes is not None:
            throttle.release(tx.session, keys)
    if codes is None:
        raise ServiceError(CODE_WRONG, field="code")
    return codes


def finish_enrolment_at_login(*, pending: str, binding: str) -> Completed:
    """After the recovery codes were shown: on to the dashboard (only once enrolled)."""
    with transaction() as tx:
        user = pending_user(tx.session, pending=pending, binding=binding)
        if not has_second_factor(tx.session, user.id):
            raise ServiceError("Set up two-factor login first.")
        return finish(tx.session, user=user, pending=pending, binding=binding, trust=False)
