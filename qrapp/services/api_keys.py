"""API keys: made, listed, rotated and revoked by owners and admins (API_KEYS_MANAGE),
shown once, stored as a hash; and the check that turns a presented key into the `Actor`
the services already understand (cached per process: services.api_key_cache).

A key looks like `qrk_<lookup>_<secret>`: `qrk_` makes a leaked key recognisable (secret
scanners), the lookup (12 characters, not secret) finds the row, and the secret (32
base62 characters, about 190 bits) is compared by its SHA-256 in constant time.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
import uuid
from dataclasses import dataclass

from sqlmodel import col, select

from qrapp.core.api_scopes import parse_scopes
from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models import ApiKey
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.api_key_cache import (
    LOOKUP_LEN,
    PREFIX,
    SECRET_LEN,
    KeyCheck,
    announce_keys_changed,
    cache,
    hash_secret,
    key_actor,
    split_token,
)
from qrapp.services.authz import Actor, require
from qrapp.services.errors import FieldErrors, NotFound, ServiceError

__all__ = [
    "PREFIX",
    "KeyCheck",
    "KeyView",
    "NewKey",
    "authenticate",
    "create_key",
    "hash_secret",
    "key_actor",
    "list_keys",
    "revoke_key",
    "rotate_key",
    "split_token",
]

_ALPHABET = string.ascii_letters + string.digits
DEFAULT_OVERLAP = dt.timedelta(hours=24)
MAX_OVERLAP = dt.timedelta(days=7)


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _audit(  # type: ignore[no-untyped-def]
    tx, actor: Actor, key: ApiKey, action: audit.AuditAction, ip: str, details: dict
) -> None:
    audit.record(
        tx.session,
        action=action,
        actor_user_id=actor.user_id,
        workspace_id=key.workspace_id,
        target_type="api_key",
        target_id=str(key.id),
        ip=ip,
        details=details,
    )


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
    lookup, secret = _random(LOOKUP_LEN), _random(SECRET_LEN)
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
        _audit(
            tx,
            actor,
            key,
            audit.AuditAction.API_KEY_CREATED,
            ip,
            {"name": name, "scopes": key.scopes},
        )
    return NewKey(key=key, token=f"{PREFIX}{lookup}_{secret}")


def authenticate(token: str | None, *, now: dt.datetime | None = None) -> KeyCheck | None:
    """The acting key for a presented token, or None when it is malformed, unknown,
    revoked, expired or its secret does not match (all the same to the caller: 401)."""
    return cache().check(token, now=now)


@dataclass(frozen=True)
class KeyView:
    """A key as the settings page lists it: never its secret or hash."""

    id: uuid.UUID
    name: str
    prefix: str  # `qrk_<lookup>_…`: lets a person tell keys apart
    scopes: tuple[str, ...]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    previous_valid_until: dt.datetime | None

    def status(self, now: dt.datetime | None = None) -> str:
        now = now or utcnow()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def _view(key: ApiKey) -> KeyView:
    return KeyView(
        id=key.id,
        name=key.name,
        prefix=f"{PREFIX}{key.lookup}_",
        scopes=tuple(key.scopes),
        created_at=key.created_at,
        expires_at=key.expires_at,
        last_used_at=key.last_used_at,
        revoked_at=key.revoked_at,
        previous_valid_until=key.previous_valid_until,
    )


def list_keys(*, actor: Actor) -> list[KeyView]:
    """The workspace's keys, newest first (revoked ones too, marked so)."""
    workspace_id = require(actor, Permission.API_KEYS_MANAGE)
    with read_session() as s:
        keys = s.exec(
            select(ApiKey)
            .where(ApiKey.workspace_id == workspace_id)
            .order_by(col(ApiKey.created_at).desc())
        ).all()
    return [_view(k) for k in keys]


def _own_key(  # type: ignore[no-untyped-def]
    tx, workspace_id: uuid.UUID, key_id: uuid.UUID, *, for_update: bool = True
) -> ApiKey:
    key = tx.session.get(ApiKey, key_id, with_for_update=for_update)
    if key is None or key.workspace_id != workspace_id:
        raise NotFound("API key")
    return key


def rotate_key(
    *,
    actor: Actor,
    key_id: uuid.UUID,
    overlap: dt.timedelta = DEFAULT_OVERLAP,
    ip: str = "",
) -> NewKey:
    """A new secret for the key (the token shown once); the old secret keeps working for
    `overlap` so integrations can switch without downtime. Rotating again within the
    overlap ends the older secret at once (a key has one previous secret)."""
    workspace_id = require(actor, Permission.API_KEYS_MANAGE)
    if overlap < dt.timedelta(0) or overlap > MAX_OVERLAP:
        raise FieldErrors({"overlap": "The overlap must be between 0 and 7 days."})
    secret = _random(SECRET_LEN)
    now = utcnow()
    with transaction() as tx:
        key = _own_key(tx, workspace_id, key_id)
        if key.revoked_at is not None:
            raise ServiceError("A revoked key cannot be rotated; create a new one.")
        if key.expires_at is not None and key.expires_at <= now:
            raise ServiceError("An expired key cannot be rotated; create a new one.")
        key.previous_secret_hash = key.secret_hash
        key.previous_valid_until = now + overlap
        key.secret_hash = hash_secret(secret)
        tx.session.add(key)
        _audit(
            tx,
            actor,
            key,
            audit.AuditAction.API_KEY_ROTATED,
            ip,
            {"name": key.name, "old_secret_until": key.previous_valid_until.isoformat()},
        )
        tx.after_commit(announce_keys_changed)
    return NewKey(key=key, token=f"{PREFIX}{key.lookup}_{secret}")


def revoke_key(*, actor: Actor, key_id: uuid.UUID, ip: str = "") -> KeyView:
    """Revoked keys answer 401 from the next request on, on every API process."""
    workspace_id = require(actor, Permission.API_KEYS_MANAGE)
    with transaction() as tx:
        key = _own_key(tx, workspace_id, key_id)
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            tx.session.add(key)
            _audit(tx, actor, key, audit.AuditAction.API_KEY_REVOKED, ip, {"name": key.name})
            tx.after_commit(announce_keys_changed)
    return _view(key)


def usage(*, actor: Actor, key_id: uuid.UUID, days: int = 30):  # type: ignore[no-untyped-def]
    """Requests and errors per UTC day of one of the workspace's keys."""
    from qrapp.services import api_key_usage

    workspace_id = require(actor, Permission.API_KEYS_MANAGE)
    with transaction() as tx:
        _own_key(tx, workspace_id, key_id, for_update=False)
    return api_key_usage.daily(key_id, days)
