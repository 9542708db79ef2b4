"""API keys: made by owners and admins, shown once, stored as a hash; and the one check
that turns a presented key into the `Actor` the services already understand.

A key looks like `qrk_<lookup>_<secret>`: `qrk_` makes a leaked key recognisable (secret
scanners), the lookup (12 characters, not secret) finds the row, and the secret (32
base62 characters, about 190 bits) is compared by its SHA-256 in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import string
import uuid
from dataclasses import dataclass

from sqlmodel import select

from qrapp.core.api_scopes import Scope, parse_scopes, permissions_of
from qrapp.core.permissions import Permission
from qrapp.db import transaction
from qrapp.models import ApiKey
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.errors import FieldErrors, NotFound

PREFIX = "qrk_"
_ALPHABET = string.ascii_letters + string.digits
_LOOKUP_LEN = 12
_SECRET_LEN = 32


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """(lookup, secret) of a well-formed key, else None."""
    if not token.startswith(PREFIX):
        return None
    lookup, sep, secret = token[len(PREFIX) :].partition("_")
    if not sep or len(lookup) != _LOOKUP_LEN or len(secret) != _SECRET_LEN:
        return None
    return lookup, secret


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    token: str  # shown once; never stored


def create_key(
    *,
    actor: Actor,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime | None = None,
    ip: str = "",
) -> NewKey:
    workspace_id = require(actor, Permission.API_KEYS_MANAGE)
    name = name.strip()
    if not name or len(name) > 80:
        raise FieldErrors({"name": "Give the key a name of 1 to 80 characters."})
    try:
        chosen = parse_scopes(scopes)
    except ValueError as exc:
        raise FieldErrors({"scopes": str(exc)}) from None
    if not chosen:
        raise FieldErrors({"scopes": "Choose at least one scope."})
    if expires_at is not None and expires_at <= utcnow():
        raise FieldErrors({"expires_at": "The expiry date must be in the future."})
    lookup, secret = _random(_LOOKUP_LEN), _random(_SECRET_LEN)
    with transaction() as tx:
        key = ApiKey(
            workspace_id=workspace_id,
            name=name,
            lookup=lookup,
            secret_hash=hash_secret(secret),
            scopes=sorted(s.value for s in chosen),
            created_by=actor.user_id,
            expires_at=expires_at,
        )
        tx.session.add(key)
        audit.record(
            tx.session,
            action=audit.AuditAction.API_KEY_CREATED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="api_key",
            target_id=str(key.id),
            ip=ip,
            details={"name": name, "scopes": key.scopes},
        )
    return NewKey(key=key, token=f"{PREFIX}{lookup}_{secret}")


def _secret_matches(key: ApiKey, secret: str, now: dt.datetime) -> bool:
    presented = hash_secret(secret)
    if hmac.compare_digest(presented, key.secret_hash):
        return True
    return bool(
        key.previous_secret_hash
        and key.previous_valid_until is not None
        and now < key.previous_valid_until
        and hmac.compare_digest(presented, key.previous_secret_hash)
    )


def key_actor(key: ApiKey) -> Actor:
    scopes = frozenset(Scope(s) for s in key.scopes)
    return Actor(
        user_id=key.created_by or key.id,
        email="",
        name=f"API key {key.name}",
        email_verified=True,
        session_id=key.id,
        workspace_id=key.workspace_id,
        role=None,
        api_key_id=key.id,
        key_permissions=permissions_of(scopes),
    )


@dataclass(frozen=True)
class KeyCheck:
    actor: Actor
    scopes: frozenset[Scope]


def authenticate(token: str | None, *, now: dt.datetime | None = None) -> KeyCheck | None:
    """The acting key for a presented token, or None when it is malformed, unknown,
    revoked, expired or its secret does not match (all the same to the caller: 401)."""
    parts = split_token(token or "")
    if parts is None:
        return None
    lookup, secret = parts
    now = now or utcnow()
    with transaction() as tx:
        key = tx.session.exec(select(ApiKey).where(ApiKey.lookup == lookup)).first()
        if key is None or key.revoked_at is not None:
            return None
        if key.expires_at is not None and key.expires_at <= now:
            return None
        if not _secret_matches(key, secret, now):
            return None
        return KeyCheck(actor=key_actor(key), scopes=frozenset(Scope(s) for s in key.scopes))


def key_in_workspace(workspace_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    with transaction() as tx:
        key = tx.session.get(ApiKey, key_id)
        if key is None or key.workspace_id != workspace_id:
            raise NotFound("API key")
        return key
