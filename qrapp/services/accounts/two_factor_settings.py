"""Settings -> Security, two-factor part: turn TOTP on and off, recovery codes, and the
workspace's "members must use two-factor" rule.

Everything acts on the actor's own account (no other account's factors are reachable);
the workspace rule needs MEMBERS_MANAGE (owners and admins) in the actor's workspace.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select

from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models import RecoveryCode, TotpFactor, TrustedDevice, User, Workspace
from qrapp.services import audit, throttle
from qrapp.services.accounts import passkeys, passwords, second_factor
from qrapp.services.accounts.second_factor import Enrolment
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.errors import NotSignedIn, ServiceError


@dataclass(frozen=True)
class Status:
    totp_on: bool
    recovery_codes_left: int
    workspace_requires: bool  # the actor's current workspace
    can_set_requirement: bool


def _user(session, actor: Actor) -> User:
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotSignedIn()
    return user


def status(*, actor: Actor) -> Status:
    with read_session() as s:
        factor = s.get(TotpFactor, actor.user_id)
        left = s.exec(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == actor.user_id, col(RecoveryCode.used_at).is_(None))
        ).one()
        ws = s.get(Workspace, actor.workspace_id) if actor.workspace_id else None
    return Status(
        totp_on=factor is not None and factor.confirmed_at is not None,
        recovery_codes_left=int(left),
        workspace_requires=bool(ws and ws.require_two_factor),
        can_set_requirement=actor.can(Permission.MEMBERS_MANAGE),
    )


def start_enrolment(*, actor: Actor) -> Enrolment:
    with transaction() as tx:
        return second_factor.start_enrolment(tx.session, _user(tx.session, actor))


def _reserve(actor: Actor, ip: str, prefix: str) -> list[throttle.Key]:
    keys = throttle.login_keys(str(actor.user_id), ip, prefix=prefix)
    with transaction() as tx:
        throttle.reserve(tx.session, keys)
    return keys


def confirm_enrolment(*, actor: Actor, code: str, ip: str = "") -> list[str]:
    """Turn two-factor login on with the app's first code: the ten recovery codes."""
    keys = _reserve(actor, ip, "2fa")
    with transaction() as tx:
        codes = second_factor.confirm_enrolment(
            tx.session, user=_user(tx.session, actor), code=code, ip=ip
        )
        if codes is not None:
            throttle.release(tx.session, keys)
    if codes is None:
        raise ServiceError(second_factor.CODE_WRONG, field="code")
    return codes


REGENERATE_ASK = "Enter a current code from your app, or use a passkey, to make new codes."
REGENERATE_WRONG = (
    "That code is not right. No new codes were made: your current recovery codes still work."
)

REGENERATE_PASSKEY_WRONG = (
    "That passkey was not accepted. No new codes were made: your current recovery codes still work."
)


def regenerate_recovery_codes(
    *, actor: Actor, code: str = "", passkey_credential: str = "", binding: str = "", ip: str = ""
) -> list[str]:
    """Ten new recovery codes, given a current code from the app or a passkey's fresh
    answer (an open session alone must not be enough to mint codes that bypass the app).
    Counted like the other two-factor checks; a wrong proof changes nothing."""
    code = (code or "").strip()[:60]
    if not code and not passkey_credential:
        raise ServiceError(REGENERATE_ASK, field="code")
    with read_session() as s:
        if not second_factor.has_second_factor(s, actor.user_id):
            raise ServiceError("Turn on two-factor login first.")
    keys = _reserve(actor, ip, "2fa")
    by_passkey = bool(passkey_credential) and passkeys.verify_reauth(
        actor=actor, credential_json=passkey_credential, binding=binding
    )
    with transaction() as tx:
        ok = by_passkey or (
            bool(code) and second_factor.use_totp(tx.session, user_id=actor.user_id, code=code)
        )
        if not ok:
            codes = None
        else:
            throttle.release(tx.session, keys)
            codes = second_factor.new_recovery_codes(tx.session, actor.user_id)
            audit.record(
                tx.session,
                action=AuditAction.RECOVERY_CODES_REGENERATED,
                actor_user_id=actor.user_id,
                ip=ip,
                details={"proof": "passkey" if by_passkey else "totp"},
            )
    if codes is None:
        raise ServiceError(
            REGENERATE_PASSKEY_WRONG if passkey_credential else REGENERATE_WRONG, field="code"
        )
    return codes


def disable(*, actor: Actor, proof: str, ip: str = "") -> None:
    """Turn TOTP off, given a current code or the password (a session left open on a
    shared computer must not be enough). Recovery codes and trusted devices go with it."""
    proof = (proof or "")[:4096]
    if not proof.strip():
        raise ServiceError("Enter a code from your app or your password.", field="proof")
    keys = _reserve(actor, ip, "2fa")
    with read_session() as s:
        user = _user(s, actor)
    by_password = passwords.verify_password(user.password_hash, proof)
    with transaction() as tx:
        factor = tx.session.get(TotpFactor, actor.user_id)
        if factor is None or factor.confirmed_at is None:
            raise ServiceError("Two-factor login is already off.")
        ok = by_password or second_factor.use_totp(tx.session, user_id=actor.user_id, code=proof)
        if ok:
            throttle.release(tx.session, keys)
            tx.session.delete(factor)
            for row in tx.session.exec(
                select(RecoveryCode).where(RecoveryCode.user_id == actor.user_id)
            ):
                tx.session.delete(row)
            if not second_factor.has_passkey(tx.session, actor.user_id):
                for device in tx.session.exec(
                    select(TrustedDevice).where(TrustedDevice.user_id == actor.user_id)
                ):
                    tx.session.delete(device)
            audit.record(
                tx.session,
                action=AuditAction.TWO_FACTOR_DISABLED,
                actor_user_id=actor.user_id,
                ip=ip,
            )
    if not ok:
        raise ServiceError("That code or password is not right.", field="proof")


def set_workspace_requirement(*, actor: Actor, required: bool, ip: str = "") -> None:
    """Owners and admins: members without a second factor enrol at their next login."""
    workspace_id = require(actor, Permission.MEMBERS_MANAGE)
    with transaction() as tx:
        ws = tx.session.get_one(Workspace, workspace_id)
        if ws.require_two_factor == bool(required):
            return
        ws.require_two_factor = bool(required)
        tx.session.add(ws)
        audit.record(
            tx.session,
            action=AuditAction.WORKSPACE_TWO_FACTOR_REQUIRED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            ip=ip,
            details={"required": bool(required)},
        )
