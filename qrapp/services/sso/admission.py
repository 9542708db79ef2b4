"""Who a single sign-on admits, and the login it then gives.

`admit` is called by every protocol once the identity provider has vouched for a person
(OIDC ID token, SAML assertion, LDAP bind): the e-mail's domain must be one the
connection's workspace has proved it owns (DNS TXT), then the person is found or made
just in time and joins the workspace with the connection's default role (or the role
their groups map to). `finish_login` gives the same one-minute, browser-bound hand-off
the password login gives; the browser trades it at /auth/session. SSO logins skip our
second factor: the identity provider did its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, select

from qrapp.core.permissions import Role
from qrapp.core.plans import Resource
from qrapp.db import transaction
from qrapp.models import Membership, User
from qrapp.models.audit import AuditAction
from qrapp.models.sso import SsoConnection
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.accounts import email_tokens
from qrapp.services.accounts.signup import normalise_email
from qrapp.services.billing import entitlements
from qrapp.services.errors import ServiceError
from qrapp.services.sso import connections, domains

__all__ = ["SsoRefused", "admit", "finish_login", "role_for_groups"]

_ROLE_ORDER = [Role.VIEWER.value, Role.EDITOR.value, Role.ADMIN.value]


class SsoRefused(ServiceError):
    """The identity provider answered, but we do not let this person in. The message is
    for a person; `reason` is "domain" for an e-mail outside the verified domains."""

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


def outside_domain_message(email: str) -> str:
    return (
        f"Single sign-on cannot admit {email}: its domain is not one this workspace has "
        "verified for single sign-on. Use your work e-mail, or ask your workspace admin."
    )


def role_for_groups(config: Mapping[str, Any], groups: Sequence[str], default: str) -> str:
    """The highest role any of the person's groups maps to (config "group_roles":
    {group: role}), else the connection's default role. Never owner."""
    mapping = config.get("group_roles") or {}
    wanted = {mapping[g] for g in groups if g in mapping and mapping[g] in _ROLE_ORDER}
    if not wanted:
        return default
    return max(wanted, key=_ROLE_ORDER.index)


def _check_connection(s: Session, connection: SsoConnection) -> SsoConnection:
    try:
        return connections.connection_for_login(s, connection.id)
    except ServiceError:
        raise SsoRefused(
            "This single sign-on connection is switched off. Ask your workspace admin."
        ) from None


def admit(
    connection: SsoConnection,
    email: str,
    name: str = "",
    groups: Sequence[str] = (),
    *,
    ip: str = "",
) -> uuid.UUID:
    """The id of the user the identity provider vouched for, a member of the connection's
    workspace afterwards; SsoRefused with a message for a person otherwise."""
    try:
        email = normalise_email(email)
    except ServiceError:
        raise SsoRefused(
            "Your identity provider did not give a valid e-mail address, so single sign-on "
            "cannot admit you. Ask your workspace admin."
        ) from None
    domain = email.rsplit("@", 1)[1]
    name = " ".join((name or "").split())[:120]
    with transaction() as tx:
        s = tx.session
        conn = _check_connection(s, connection)
        if not domains.is_verified(s, conn.workspace_id, domain):
            audit.record(
                s,
                action=AuditAction.SSO_LOGIN_FAILED,
                actor_user_id=None,
                workspace_id=conn.workspace_id,
                target_type="sso_connection",
                target_id=str(conn.id),
                ip=ip,
                details={"email": email, "reason": "domain"},
            )
            refused = True
        else:
            refused = False
            user = s.exec(select(User).where(User.email == email)).first()
            if user is not None and not user.is_active:
                raise SsoRefused("This account is switched off. Ask your workspace admin.")
            if user is None:
                # No password and no personal workspace: this person signs in through their
                # workspace's identity provider (a password can be set by a reset later,
                # unless the domain is SSO only).
                user = User(email=email, name=name, password_hash="", email_verified_at=utcnow())
                s.add(user)
                s.flush()
            elif user.email_verified_at is None:
                user.email_verified_at = utcnow()  # the identity provider vouched for it
                s.add(user)
            _join(s, conn, user, role_for_groups(conn.config or {}, groups, conn.default_role), ip)
            user_id = user.id
    if refused:
        raise SsoRefused(outside_domain_message(email), reason="domain")
    return user_id


def _join(s: Session, conn: SsoConnection, user: User, role: str, ip: str) -> None:
    member = s.exec(
        select(Membership).where(
            Membership.workspace_id == conn.workspace_id, Membership.user_id == user.id
        )
    ).first()
    if member is not None:
        return  # an existing member keeps the role an admin gave them
    try:
        entitlements.reserve(s, conn.workspace_id, Resource.SEATS)
    except entitlements.PlanLimitReached:
        raise SsoRefused(
            "Every seat of this workspace's plan is taken, so single sign-on cannot add you. "
            "Ask your workspace admin to free a seat or upgrade."
        ) from None
    s.add(Membership(workspace_id=conn.workspace_id, user_id=user.id, role=role))
    audit.record(
        s,
        action=AuditAction.SSO_MEMBER_JOINED,
        actor_user_id=user.id,
        workspace_id=conn.workspace_id,
        target_type="sso_connection",
        target_id=str(conn.id),
        ip=ip,
        details={"role": role},
    )


def finish_login(
    *, connection: SsoConnection, user_id: uuid.UUID, binding: str, ip: str = ""
) -> str:
    """The hand-off token for /auth/session?h=..., usable only by the browser whose binding
    cookie is `binding` (the one that started the sign-in)."""
    if not email_tokens.binding_hash(binding):
        raise SsoRefused("Please reload the login page and try again.")
    with transaction() as tx:
        user = tx.session.get(User, user_id)
        if user is None or not user.is_active:
            raise SsoRefused("This account is switched off. Ask your workspace admin.")
        audit.record(
            tx.session,
            action=AuditAction.SSO_LOGIN,
            actor_user_id=user.id,
            workspace_id=connection.workspace_id,
            target_type="sso_connection",
            target_id=str(connection.id),
            ip=ip,
            details={"protocol": connection.protocol},
        )
        return email_tokens.issue_login_handoff(
            tx.session, user=user, binding=binding, workspace_id=connection.workspace_id
        )
