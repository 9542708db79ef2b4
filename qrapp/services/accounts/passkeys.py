"""Passkeys (WebAuthn): register and remove them in Settings -> Security, use one as the
second step of a password login, or log in with one alone.

Challenges live server-side (SHA-256 only), five minutes, single use, bound to the
browser's binding cookie and, except for the password-less login, to the account. The
browser's answer names its challenge in clientDataJSON: it is looked up and used up
before the signature is checked, so a replayed answer finds nothing. The relying party
is the app itself: its id is the host of APP_URL and the origin APP_URL's origin.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import webauthn
from sqlalchemy import update
from sqlmodel import Session, col, select
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from qrapp.db import read_session, transaction
from qrapp.models import Passkey, User, WebauthnChallenge
from qrapp.models.types import utcnow
from qrapp.services import audit, throttle
from qrapp.services.accounts import email_tokens, second_factor
from qrapp.services.accounts.tokens import token_hash
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor
from qrapp.services.errors import NotFound, NotSignedIn, ServiceError
from qrapp.settings import get_settings

CHALLENGE_TTL = dt.timedelta(minutes=5)
MAX_PASSKEYS = 20
NOT_ACCEPTED = "That passkey was not accepted. Try again, or use another way to log in."
RP_NAME = "qrapp"


@dataclass(frozen=True)
class PasskeyView:
    id: uuid.UUID
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


def relying_party() -> tuple[str, str]:
    """(rp id, origin) from APP_URL: the browser checks the page is on that host."""
    parts = urlsplit(get_settings().app_url)
    return parts.hostname or "localhost", f"{parts.scheme}://{parts.netloc}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _store_challenge(
    session: Session, challenge: bytes, *, purpose: str, user_id: uuid.UUID | None, binding: str
) -> None:
    session.add(
        WebauthnChallenge(
            challenge_hash=token_hash(_b64(challenge)),
            purpose=purpose,
            user_id=user_id,
            binding_hash=email_tokens.binding_hash(binding),
            expires_at=utcnow() + CHALLENGE_TTL,
        )
    )


def _parse(credential_json: str) -> dict[str, Any]:
    """The browser's answer as a dict, or ServiceError (it is client input)."""
    try:
        data = json.loads((credential_json or "")[:20000])
        client = json.loads(_unb64(data["response"]["clientDataJSON"]))
        if not isinstance(data.get("id"), str) or not isinstance(client.get("challenge"), str):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise ServiceError(NOT_ACCEPTED) from None
    data["_challenge"] = client["challenge"]
    return data


def _use_challenge(
    session: Session, data: dict[str, Any], *, purpose: str, binding: str, user_id: uuid.UUID | None
) -> bytes:
    """Use up the challenge the answer names (once); its bytes, or ServiceError."""
    bound = email_tokens.binding_hash(binding)
    conditions = [
        col(WebauthnChallenge.challenge_hash) == token_hash(data["_challenge"]),
        col(WebauthnChallenge.purpose) == purpose,
        col(WebauthnChallenge.used_at).is_(None),
        col(WebauthnChallenge.expires_at) > utcnow(),
        col(WebauthnChallenge.binding_hash) == bound,
    ]
    if user_id is not None:
        conditions.append(col(WebauthnChallenge.user_id) == user_id)
    result = session.exec(update(WebauthnChallenge).where(*conditions).values(used_at=utcnow()))
    if not bound or result.rowcount != 1:
        raise ServiceError(NOT_ACCEPTED)
    return _unb64(data["_challenge"])


# --- Settings -> Security -------------------------------------------------------------------


def list_passkeys(*, actor: Actor) -> list[PasskeyView]:
    with read_session() as s:
        rows = s.exec(
            select(Passkey)
            .where(Passkey.user_id == actor.user_id)
            .order_by(col(Passkey.created_at))
        ).all()
    return [PasskeyView(r.id, r.name, r.created_at, r.last_used_at) for r in rows]


def _registration_options(session: Session, *, user: User, binding: str) -> str:
    rp_id, _origin = relying_party()
    existing = session.exec(select(Passkey.credential_id).where(Passkey.user_id == user.id)).all()
    if len(existing) >= MAX_PASSKEYS:
        raise ServiceError(f"An account can have at most {MAX_PASSKEYS} passkeys.")
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_id=user.id.bytes,
        user_name=user.email,
        user_display_name=user.name or user.email,
        # A discoverable credential, so the same passkey also logs in without a password.
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=_unb64(c)) for c in existing],
    )
    _store_challenge(
        session, options.challenge, purpose="register", user_id=user.id, binding=binding
    )
    return webauthn.options_to_json(options)


def registration_options(*, actor: Actor, binding: str) -> str:
    """The options for navigator.credentials.create(), as JSON."""
    with transaction() as tx:
        user = tx.session.get(User, actor.user_id)
        if user is None:
            raise NotSignedIn()
        return _registration_options(tx.session, user=user, binding=binding)


def _register(*, user_id: uuid.UUID, name: str, credential_json: str, binding: str, ip: str):
    name = " ".join((name or "").split())[:60]
    if not name:
        raise ServiceError("Give the passkey a name, like “Work laptop”.", field="name")
    data = _parse(credential_json)
    rp_id, origin = relying_party()
    with transaction() as tx:
        challenge = _use_challenge(
            tx.session, data, purpose="register", binding=binding, user_id=user_id
        )
    try:
        verified = webauthn.verify_registration_response(
            credential=credential_json,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            require_user_verification=True,
        )
    except Exception:  # the library raises several kinds for bad input
        raise ServiceError(NOT_ACCEPTED) from None
    credential_id = _b64(verified.credential_id)
    with transaction() as tx:
        if tx.session.exec(
            select(Passkey.id).where(Passkey.credential_id == credential_id)
        ).first():
            raise ServiceError("That passkey is already registered.")
        passkey = Passkey(
            user_id=user_id,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            name=name,
        )
        tx.session.add(passkey)
        audit.record(
            tx.session,
            action=AuditAction.PASSKEY_ADDED,
            actor_user_id=user_id,
            target_type="passkey",
            target_id=str(passkey.id),
            ip=ip,
            details={"name": name},
        )


def register(*, actor: Actor, name: str, credential_json: str, binding: str, ip: str = "") -> None:
    _register(
        user_id=actor.user_id, name=name, credential_json=credential_json, binding=binding, ip=ip
    )


# --- proving it is still you (Settings -> Security: new recovery codes) -------------------


def reauth_options(*, actor: Actor, binding: str) -> str:
    """Options for navigator.credentials.get() offering only the actor's own passkeys."""
    rp_id, _origin = relying_party()
    with transaction() as tx:
        allow = [
            PublicKeyCredentialDescriptor(id=_unb64(c))
            for c in tx.session.exec(
                select(Passkey.credential_id).where(Passkey.user_id == actor.user_id)
            )
        ]
        if not allow:
            raise ServiceError("You have no passkey yet: use a code from your app.")
        options = webauthn.generate_authentication_options(
            rp_id=rp_id,
            allow_credentials=allow,
            user_verification=UserVerificationRequirement.REQUIRED,
        )
        _store_challenge(
            tx.session, options.challenge, purpose="reauth", user_id=actor.user_id, binding=binding
        )
    return webauthn.options_to_json(options)


def verify_reauth(*, actor: Actor, credential_json: str, binding: str) -> bool:
    """Whether the browser's answer is a fresh assertion of one of the actor's passkeys
    (its challenge is used up either way)."""
    try:
        data = _parse(credential_json)
    except ServiceError:
        return False
    with transaction() as tx:
        try:
            challenge = _use_challenge(
                tx.session, data, purpose="reauth", binding=binding, user_id=actor.user_id
            )
        except ServiceError:
            return False
        passkey = _verify_assertion(tx.session, data, credential_json, challenge)
        return passkey is not None and passkey.user_id == actor.user_id


# --- the walk-through at login (a workspace requires two-factor login) ------------------
# The person is not signed in yet: their pending second-step token (bound to this browser)
# names the account, as it does for the TOTP set-up beside it.


def registration_options_at_login(*, pending: str, binding: str) -> str:
    with transaction() as tx:
        user = second_factor.pending_user(tx.session, pending=pending, binding=binding)
        return _registration_options(tx.session, user=user, binding=binding)


def register_at_login(
    *, pending: str, binding: str, name: str, credential_json: str, ip: str = ""
) -> second_factor.Completed:
    """Add the passkey, then finish the login (the account now has a second factor)."""
    with read_session() as s:
        user_id = second_factor.pending_user(s, pending=pending, binding=binding).id
    _register(user_id=user_id, name=name, credential_json=credential_json, binding=binding, ip=ip)
    return second_factor.finish_enrolment_at_login(pending=pending, binding=binding)


def remove(*, actor: Actor, passkey_id: uuid.UUID, ip: str = "") -> None:
    with transaction() as tx:
        row = tx.session.get(Passkey, passkey_id)
        if row is None or row.user_id != actor.user_id:
            raise NotFound("passkey")
        tx.session.delete(row)
        audit.record(
            tx.session,
            action=AuditAction.PASSKEY_REMOVED,
            actor_user_id=actor.user_id,
            target_type="passkey",
            target_id=str(passkey_id),
            ip=ip,
            details={"name": row.name},
        )


# --- logging in -----------------------------------------------------------------------------


def login_options(*, binding: str, pending: str = "") -> str:
    """Options for navigator.credentials.get(): any passkey of this site (password-less),
    or, with a pending second step, only that account's passkeys."""
    rp_id, _origin = relying_party()
    with transaction() as tx:
        user_id = None
        allow: list[PublicKeyCredentialDescriptor] = []
        if pending:
            user = second_factor.pending_user(tx.session, pending=pending, binding=binding)
            user_id = user.id
            allow = [
                PublicKeyCredentialDescriptor(id=_unb64(c))
                for c in tx.session.exec(
                    select(Passkey.credential_id).where(Passkey.user_id == user.id)
                )
            ]
        if not email_tokens.binding_hash(binding):
            raise ServiceError("Please reload the page and try again.")
        options = webauthn.generate_authentication_options(
            rp_id=rp_id,
            allow_credentials=allow,
            user_verification=UserVerificationRequirement.REQUIRED,
        )
        _store_challenge(
            tx.session,
            options.challenge,
            purpose="second" if pending else "login",
            user_id=user_id,
            binding=binding,
        )
    return webauthn.options_to_json(options)


def _verify_assertion(
    session: Session, data: dict[str, Any], credential_json: str, challenge: bytes
) -> Passkey | None:
    rp_id, origin = relying_party()
    passkey = session.exec(select(Passkey).where(Passkey.credential_id == data["id"])).first()
    if passkey is None:
        return None
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential_json,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except Exception:  # the library raises several kinds for bad input
        return None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    session.add(passkey)
    return passkey


def log_in_with_passkey(
    *,
    credential_json: str,
    binding: str,
    pending: str = "",
    trust_device: bool = False,
    ip: str = "",
) -> second_factor.Completed:
    """Check the browser's answer; the login hand-off (as accounts.log_in gives) when the
    passkey is right. With `pending`, it is the second step of that password login."""
    data = _parse(credential_json)
    keys = throttle.login_keys("passkey", ip, prefix="passkey")[1:]  # per IP: no account yet
    if keys:
        with transaction() as tx:
            throttle.reserve(tx.session, keys)
    with transaction() as tx:
        user = (
            second_factor.pending_user(tx.session, pending=pending, binding=binding)
            if pending
            else None
        )
        challenge = _use_challenge(
            tx.session,
            data,
            purpose="second" if pending else "login",
            binding=binding,
            user_id=user.id if user else None,
        )
        passkey = _verify_assertion(tx.session, data, credential_json, challenge)
        account = tx.session.get(User, passkey.user_id) if passkey else None
        if (
            passkey is None
            or account is None
            or not account.is_active
            or (user is not None and account.id != user.id)
        ):
            done = None
        else:
            if keys:
                throttle.release(tx.session, keys)
            if user is not None:
                done = second_factor.finish(
                    tx.session, user=user, pending=pending, binding=binding, trust=trust_device
                )
            else:
                handoff = email_tokens.issue_login_handoff(
                    tx.session, user=account, binding=binding
                )
                done = second_factor.Completed(handoff=handoff)
        if done is None and user is not None:
            audit.record(
                tx.session,
                action=AuditAction.TWO_FACTOR_LOGIN_FAILED,
                actor_user_id=user.id,
                ip=ip,
                details={"method": "passkey"},
            )
    if done is None:
        raise ServiceError(NOT_ACCEPTED)
    return done
