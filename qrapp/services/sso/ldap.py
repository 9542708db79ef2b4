"""LDAP sign-in (ldap3) for on-premise directories.

A person types their work e-mail and directory password on our directory login form.
The e-mail's domain decides the workspace (its verified SSO domain) and so the LDAP
connection: one workspace's directory never signs anyone into another. We bind with the
connection's service account over TLS (ldaps:// or StartTLS; the certificate checked
against the configured CA), search the person's DN with the user filter, bind as them
with their password, read their groups, then `admit` (group DN -> role) and
`finish_login`. Attempts are counted like password logins (same throttle keys), before
the directory is asked.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from typing import Any

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from sqlmodel import col, select

from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models.audit import AuditAction
from qrapp.models.sso import PROTOCOL_LDAP, SsoConnection, SsoDomain
from qrapp.services import audit, throttle
from qrapp.services.accounts import email_tokens
from qrapp.services.authz import Actor, require
from qrapp.services.errors import NotFound, ServiceError
from qrapp.services.sso import admission, connections
from qrapp.services.sso.ldap_config import SECRET_KEYS, check_config

log = logging.getLogger(__name__)

connections.register_protocol(PROTOCOL_LDAP, check_config, SECRET_KEYS)

LOGIN_FAILED = "That e-mail and password do not match your company directory."
UNREACHABLE = (
    "Your company directory could not be reached securely. Please try again later, or ask "
    "your workspace admin to check the directory settings."
)
TIMEOUT_SECONDS = 8


class DirectoryRefused(Exception):
    """The directory said no: no such person, or a wrong password."""


class DirectoryUnavailable(Exception):
    """The directory could not be asked: unreachable, TLS refused, service account refused."""


@dataclass(frozen=True)
class Person:
    dn: str
    email: str
    name: str
    groups: tuple[str, ...]


def _server(config: dict[str, Any]) -> ldap3.Server:
    tls = ldap3.Tls(
        validate=ssl.CERT_REQUIRED,
        version=ssl.PROTOCOL_TLS_CLIENT,
        ca_certs_data=config.get("ca_pem") or None,
    )
    url = str(config["url"])
    return ldap3.Server(
        url, use_ssl=url.startswith("ldaps://"), tls=tls, connect_timeout=TIMEOUT_SECONDS
    )


def _bound(
    server: ldap3.Server, config: dict[str, Any], dn: str, password: str
) -> ldap3.Connection | None:
    """A connection bound as `dn` over TLS; None if the directory refuses the password.
    DirectoryUnavailable if TLS or the network fails."""
    if not password:
        return None  # an empty password would be an anonymous bind, which "succeeds"
    conn = ldap3.Connection(
        server, user=dn, password=password, receive_timeout=TIMEOUT_SECONDS, read_only=True
    )
    try:
        conn.open()
        if config.get("starttls") and not conn.start_tls():
            raise DirectoryUnavailable("StartTLS refused")
        if not conn.bind():
            conn.unbind()
            return None
    except LDAPException as exc:
        raise DirectoryUnavailable(f"{type(exc).__name__}: {exc}") from None
    return conn


def _service(config: dict[str, Any]) -> ldap3.Connection:
    svc = _bound(_server(config), config, config["bind_dn"], config.get("bind_password", ""))
    if svc is None:
        raise DirectoryUnavailable("the service account's bind was refused")
    return svc


def _first(entry: Any, attribute: str) -> str:
    values = entry.entry_attributes_as_dict.get(attribute) or []
    return str(values[0]) if values else ""


def authenticate(config: dict[str, Any], login: str, password: str) -> Person:
    """Who the directory says `login` is, once their password bound; DirectoryRefused or
    DirectoryUnavailable otherwise."""
    svc = _service(config)
    try:
        email_attr, name_attr = config["email_attribute"], config["name_attribute"]
        query = config["user_filter"].replace("{login}", escape_filter_chars(login))
        svc.search(config["base_dn"], query, attributes=[email_attr, name_attr], size_limit=2)
        if len(svc.entries) != 1:
            raise DirectoryRefused("no such person" if not svc.entries else "several people")
        entry = svc.entries[0]
        user = _bound(svc.server, config, entry.entry_dn, password)
        if user is None:
            raise DirectoryRefused("wrong password")
        user.unbind()
        groups_query = config["group_filter"].replace("{dn}", escape_filter_chars(entry.entry_dn))
        svc.search(config["base_dn"], groups_query, attributes=["cn"], size_limit=500)
        groups = tuple(g.entry_dn for g in svc.entries)
    except LDAPException as exc:
        raise DirectoryUnavailable(f"{type(exc).__name__}: {exc}") from None
    finally:
        svc.unbind()
    return Person(
        dn=entry.entry_dn,
        email=_first(entry, email_attr) or login,
        name=_first(entry, name_attr),
        groups=groups,
    )


def _connection_for(email: str) -> SsoConnection | None:
    """The enabled LDAP connection of the workspace that verified the e-mail's domain."""
    domain = email.rsplit("@", 1)[-1] if "@" in email else ""
    if not domain:
        return None
    with read_session() as s:
        workspace_id = s.exec(
            select(SsoDomain.workspace_id).where(
                SsoDomain.domain == domain, col(SsoDomain.verified_at).is_not(None)
            )
        ).first()
        if workspace_id is None or not connections.sso_allowed(s, workspace_id):
            return None
        return s.exec(
            select(SsoConnection)
            .where(
                SsoConnection.workspace_id == workspace_id,
                SsoConnection.protocol == PROTOCOL_LDAP,
                col(SsoConnection.enabled),
            )
            .order_by(col(SsoConnection.created_at))
        ).first()


def _audit_failure(conn: SsoConnection, email: str, reason: str, ip: str) -> None:
    with transaction() as tx:
        audit.record(
            tx.session,
            action=AuditAction.SSO_LOGIN_FAILED,
            actor_user_id=None,
            workspace_id=conn.workspace_id,
            target_type="sso_connection",
            target_id=str(conn.id),
            ip=ip,
            details={"protocol": PROTOCOL_LDAP, "email": email, "reason": reason[:200]},
        )


def log_in(*, email: str, password: str, ip: str = "", binding: str) -> str:
    """Sign in with the company directory; the login hand-off for /auth/session."""
    key_email = (email or "").strip().lower()[:254]
    if not key_email or not password:
        raise ServiceError(LOGIN_FAILED)
    if not email_tokens.binding_hash(binding):
        raise ServiceError("Please reload the page and try again.")
    keys = throttle.login_keys(key_email, ip)
    with transaction() as tx:
        throttle.reserve(tx.session, keys)
    conn = _connection_for(key_email)
    if conn is None:
        # The same answer as a wrong password: nothing learnt about which domains use LDAP.
        raise ServiceError(LOGIN_FAILED)
    try:
        person = authenticate(dict(conn.config or {}), key_email, password[:1024])
    except DirectoryRefused as exc:
        _audit_failure(conn, key_email, str(exc), ip)
        raise ServiceError(LOGIN_FAILED) from None
    except DirectoryUnavailable as exc:
        log.warning("LDAP directory of connection %s unavailable: %s", conn.id, exc)
        _audit_failure(conn, key_email, str(exc), ip)
        raise ServiceError(UNREACHABLE) from None
    with transaction() as tx:
        throttle.release(tx.session, keys)
    user_id = admission.admit(conn, person.email, person.name, person.groups, ip=ip)
    return admission.finish_login(connection=conn, user_id=user_id, binding=binding, ip=ip)


@dataclass(frozen=True)
class TestResult:
    ok: bool
    message: str


def test_connection(*, actor: Actor, connection_id: Any) -> TestResult:
    """The settings page's "Test connection": bind with the service account and look at
    the base DN, saying in a sentence what went wrong."""
    workspace_id = require(actor, Permission.SSO_MANAGE)
    with read_session() as s:
        conn = s.get(SsoConnection, connection_id)
        if conn is None or conn.workspace_id != workspace_id or conn.protocol != PROTOCOL_LDAP:
            raise NotFound("SSO connection")
        config = dict(conn.config or {})
    try:
        svc = _service(config)
    except DirectoryUnavailable as exc:
        return TestResult(False, f"Could not bind with the service account over TLS ({exc}).")
    try:
        svc.search(config["base_dn"], config["user_filter"].replace("{login}", "*"),
                   attributes=[], size_limit=5)  # fmt: skip
        found = len(svc.entries)
    except LDAPException as exc:
        return TestResult(False, f"The search under the base DN failed ({exc}).")
    finally:
        svc.unbind()
    return TestResult(True, f"Connected over TLS; the user filter finds people ({found} shown).")
