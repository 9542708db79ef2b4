"""A workspace's SSO connections: list, read, add, change, delete. Owners and admins
(SSO_MANAGE) only, on a plan with single sign-on, always within the actor's workspace
(another workspace's connection is "not found").

`config` is protocol-specific. Each protocol module registers a checker with
`register_protocol` (it validates and normalises the config, raising FieldErrors) and
names its secret keys: secrets are write-only (a blank value on update keeps the stored
one) and shown back only as their last four characters.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from qrapp.core.permissions import Permission, Role
from qrapp.db import read_session, transaction
from qrapp.models import Workspace
from qrapp.models.audit import AuditAction
from qrapp.models.sso import PROTOCOLS, SsoConnection
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.errors import FieldErrors, NotFound, ServiceError

MAX_CONNECTIONS = 10
NAME_MAX = 80
# A connection may make people admins, never owners: ownership is given by a person.
DEFAULT_ROLES = (Role.VIEWER.value, Role.EDITOR.value, Role.ADMIN.value)
PLAN_MESSAGE = (
    "Single sign-on is part of the Business and Enterprise plans. Upgrade your plan to use it."
)

ConfigCheck = Callable[[Mapping[str, Any]], dict[str, Any]]
# (stored config, submitted config) -> the submitted config with blanks that mean "keep"
# filled from the stored one (beyond secrets, e.g. SAML's imported metadata).
ConfigKeep = Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Protocol:
    check: ConfigCheck
    secret_keys: frozenset[str] = frozenset()
    keep: ConfigKeep | None = None


_PROTOCOLS: dict[str, Protocol] = {}


def register_protocol(
    name: str,
    check: ConfigCheck,
    secret_keys: frozenset[str] = frozenset(),
    keep: ConfigKeep | None = None,
):
    """Called by each protocol module at import (oidc here, saml and ldap by their lane)."""
    if name not in PROTOCOLS:
        raise ValueError(f"unknown SSO protocol {name!r}")
    _PROTOCOLS[name] = Protocol(check=check, secret_keys=secret_keys, keep=keep)


def _protocol(name: str) -> Protocol:
    _load_protocols()
    found = _PROTOCOLS.get(name)
    if found is None:
        raise FieldErrors({"protocol": "Choose OpenID Connect, SAML or LDAP."})
    return found


def _load_protocols() -> None:
    # Imported here, not at the top: the protocol modules import this one to register.
    import importlib

    for module in ("oidc", "saml", "ldap"):
        try:
            importlib.import_module(f"qrapp.services.sso.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"qrapp.services.sso.{module}":
                raise


def mask(secret: str) -> str:
    """What the settings page shows of a stored secret."""
    if not secret:
        return ""
    return "••••" + secret[-4:] if len(secret) >= 12 else "••••"


@dataclass(frozen=True)
class ConnectionView:
    id: uuid.UUID
    protocol: str
    name: str
    enabled: bool
    default_role: str
    sso_only: bool
    # The config with every secret masked: safe to show.
    config: dict[str, Any] = field(default_factory=dict)
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


def _view(c: SsoConnection) -> ConnectionView:
    secrets = _protocol(c.protocol).secret_keys if c.protocol in _PROTOCOLS else frozenset()
    shown = {k: (mask(str(v)) if k in secrets else v) for k, v in (c.config or {}).items()}
    return ConnectionView(
        id=c.id,
        protocol=c.protocol,
        name=c.name,
        enabled=c.enabled,
        default_role=c.default_role,
        sso_only=c.sso_only,
        config=shown,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


PERSONAL_MESSAGE = (
    "Personal workspaces are just for you; set up single sign-on in a team workspace."
)


def require_sso_plan(session: Session, workspace_id: uuid.UUID) -> None:
    """Single sign-on needs a team workspace (it adds members) on a plan that has it."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None or workspace.is_personal:
        raise ServiceError(PERSONAL_MESSAGE)
    the_plan = entitlements.plan_for(session, workspace_id)
    if not the_plan.sso:
        raise entitlements.PlanLimitReached(None, the_plan, PLAN_MESSAGE)


def sso_allowed(session: Session, workspace_id: uuid.UUID) -> bool:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None or workspace.is_personal:
        return False
    return entitlements.plan_for(session, workspace_id).sso


def _connection_or_raise(
    session: Session, workspace_id: uuid.UUID, connection_id: uuid.UUID
) -> SsoConnection:
    c = session.get(SsoConnection, connection_id)
    if c is None or c.workspace_id != workspace_id:
        raise NotFound("SSO connection")
    return c


def _check_common(
    *, name: str | None, default_role: str | None, errors: dict[str, str]
) -> tuple[str | None, str | None]:
    if name is not None:
        name = " ".join(name.split())
        if not name:
            errors["name"] = "Give the connection a name, e.g. the name of your identity provider."
        elif len(name) > NAME_MAX:
            errors["name"] = f"Use at most {NAME_MAX} characters."
    if default_role is not None and default_role not in DEFAULT_ROLES:
        errors["default_role"] = "Choose viewer, editor or admin as the default role."
    return name, default_role


def _merged_config(
    protocol: Protocol, old: Mapping[str, Any], new: Mapping[str, Any]
) -> dict[str, Any]:
    """The new config, a blank secret keeping the stored one (secrets are write-only)."""
    merged = dict(new)
    for key in protocol.secret_keys:
        if not str(merged.get(key) or "").strip() and old.get(key):
            merged[key] = old[key]
    return protocol.keep(old, merged) if protocol.keep else merged


def _audit(session: Session, actor: Actor, c: SsoConnection, action: AuditAction, ip: str):
    audit.record(
        session,
        action=action,
        actor_user_id=actor.user_id,
        workspace_id=c.workspace_id,
        target_type="sso_connection",
        target_id=str(c.id),
        ip=ip,
        details={"protocol": c.protocol, "name": c.name},
    )


def list_connections(*, actor: Actor) -> list[ConnectionView]:
    workspace_id = require(actor, Permission.SSO_MANAGE)
    with read_session() as s:
        rows = s.exec(
            select(SsoConnection)
            .where(SsoConnection.workspace_id == workspace_id)
            .order_by(col(SsoConnection.created_at))
        ).all()
        return [_view(c) for c in rows]


def get_connection(*, actor: Actor, connection_id: uuid.UUID) -> ConnectionView:
    workspace_id = require(actor, Permission.SSO_MANAGE)
    with read_session() as s:
        return _view(_connection_or_raise(s, workspace_id, connection_id))


def create_connection(
    *,
    actor: Actor,
    protocol: str,
    name: str,
    config: Mapping[str, Any],
    default_role: str = Role.VIEWER.value,
    enabled: bool = True,
    sso_only: bool = False,
    ip: str = "",
) -> ConnectionView:
    workspace_id = require(actor, Permission.SSO_MANAGE)
    proto = _protocol(protocol)
    errors: dict[str, str] = {}
    clean_name, role = _check_common(name=name, default_role=default_role, errors=errors)
    try:
        clean_config = proto.check(config)
    except FieldErrors as exc:
        errors |= exc.errors
    if errors:
        raise FieldErrors(errors)
    with transaction() as tx:
        s = tx.session
        require_sso_plan(s, workspace_id)
        entitlements.lock_workspace(s, workspace_id)
        count = len(
            s.exec(select(SsoConnection.id).where(SsoConnection.workspace_id == workspace_id)).all()
        )
        if count >= MAX_CONNECTIONS:
            raise FieldErrors({"name": f"A workspace can have at most {MAX_CONNECTIONS}."})
        c = SsoConnection(
            workspace_id=workspace_id,
            protocol=protocol,
            name=clean_name or "",
            enabled=bool(enabled),
            default_role=role or Role.VIEWER.value,
            sso_only=bool(sso_only),
            config=clean_config,
        )
        s.add(c)
        s.flush()
        _audit(s, actor, c, AuditAction.SSO_CONNECTION_CREATED, ip)
        return _view(c)


def update_connection(
    *,
    actor: Actor,
    connection_id: uuid.UUID,
    name: str | None = None,
    config: Mapping[str, Any] | None = None,
    default_role: str | None = None,
    enabled: bool | None = None,
    sso_only: bool | None = None,
    ip: str = "",
) -> ConnectionView:
    workspace_id = require(actor, Permission.SSO_MANAGE)
    errors: dict[str, str] = {}
    clean_name, role = _check_common(name=name, default_role=default_role, errors=errors)
    with transaction() as tx:
        s = tx.session
        require_sso_plan(s, workspace_id)
        c = _connection_or_raise(s, workspace_id, connection_id)
        clean_config = None
        if config is not None:
            proto = _protocol(c.protocol)
            try:
                clean_config = proto.check(_merged_config(proto, c.config or {}, config))
            except FieldErrors as exc:
                errors |= exc.errors
        if errors:
            raise FieldErrors(errors)
        if clean_name is not None:
            c.name = clean_name
        if role is not None:
            c.default_role = role
        if enabled is not None:
            c.enabled = bool(enabled)
        if sso_only is not None:
            c.sso_only = bool(sso_only)
        if clean_config is not None:
            c.config = clean_config
        c.updated_at = utcnow()
        s.add(c)
        _audit(s, actor, c, AuditAction.SSO_CONNECTION_UPDATED, ip)
        return _view(c)


def save_connection(
    *,
    actor: Actor,
    connection_id: uuid.UUID | None,
    protocol: str,
    name: str,
    config: Mapping[str, Any],
    default_role: str,
    enabled: bool,
    sso_only: bool,
    ip: str = "",
) -> ConnectionView:
    """The Settings forms' one button: adds a connection of `protocol`, or, given the id
    of the one being edited, saves these values over it (the same checks and audit)."""
    common: dict[str, Any] = {
        "name": name,
        "config": config,
        "default_role": default_role,
        "enabled": enabled,
        "sso_only": sso_only,
        "ip": ip,
    }
    if connection_id is None:
        return create_connection(actor=actor, protocol=protocol, **common)
    return update_connection(actor=actor, connection_id=connection_id, **common)


def delete_connection(*, actor: Actor, connection_id: uuid.UUID, ip: str = "") -> None:
    workspace_id = require(actor, Permission.SSO_MANAGE)
    with transaction() as tx:
        c = _connection_or_raise(tx.session, workspace_id, connection_id)
        _audit(tx.session, actor, c, AuditAction.SSO_CONNECTION_DELETED, ip)
        tx.session.delete(c)


def connection_for_login(session: Session, connection_id: uuid.UUID | str) -> SsoConnection:
    """The connection a sign-in goes through: it must exist, be enabled, and its
    workspace's plan must include SSO. One message for every reason a person cannot use
    it (nothing to learn about other workspaces from the difference)."""
    try:
        cid = uuid.UUID(str(connection_id))
    except ValueError:
        raise NotFound("single sign-on connection") from None
    c = session.get(SsoConnection, cid)
    if c is None or not c.enabled or not sso_allowed(session, c.workspace_id):
        raise NotFound("single sign-on connection")
    return c
