"""Settings -> Single sign-on: the SAML and LDAP connection forms (the page and its OIDC
form are the sso lane's, state/sso.py).

Every handler loads the actor and checks SSO_MANAGE (the services check again and scope
by workspace). The LDAP service account's password is write-only: it goes from the form
to the service and is shown back only as its last characters.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core.permissions import Permission
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.services.sso import connections, ldap, saml
from qrapp.state.base import client_ip, load_actor
from qrapp.state.sso import SsoState

ROLES = ("viewer", "editor", "admin")


class ProtocolRow(TypedDict):
    id: str
    name: str
    protocol: str
    metadata_url: str  # SAML: our SP metadata for the IdP
    acs_url: str
    entity_id: str
    idp: str  # SAML: the IdP's entity id; LDAP: the directory URL


def _text(form: dict, name: str, limit: int = 600) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def _checked(form: dict, name: str) -> bool:
    return form.get(name) in ("on", True, "true")


def parse_group_roles(text: str) -> dict[str, str]:
    """One mapping a line: the group, a space, the role (the last word), e.g.
    `cn=admins,ou=groups,dc=example,dc=com admin`. A line whose last word is not a role is
    kept whole as the group, so the service names it in its error."""
    out: dict[str, str] = {}
    for line in text.splitlines()[:50]:
        line = line.strip()
        if not line:
            continue
        group, _, role = line.rpartition(" ")
        if group.strip() and role.lower() in ROLES:
            out[group.strip()] = role.lower()
        else:
            out[line] = ""
    return out


def _row(c: connections.ConnectionView) -> ProtocolRow:
    is_saml = c.protocol == "saml"
    return ProtocolRow(
        id=str(c.id),
        name=c.name,
        protocol=c.protocol,
        metadata_url=saml.sp_entity_id(c.id) if is_saml else "",
        acs_url=saml.acs_url(c.id) if is_saml else "",
        entity_id=saml.sp_entity_id(c.id) if is_saml else "",
        idp=str(c.config.get("idp_entity_id" if is_saml else "url", "")),
    )


class SamlLdapState(rx.State):
    can_manage: bool = False
    rows: list[ProtocolRow] = []
    error: str = ""
    notice: str = ""
    saml_errors: dict[str, str] = {}
    ldap_errors: dict[str, str] = {}
    test_result: str = ""
    test_ok: bool = False
    form_key: int = 0

    async def _actor(self):
        try:
            return await load_actor(self, Permission.SSO_MANAGE)
        except ServiceError:
            self.can_manage, self.rows = False, []
            return None

    async def _reload(self, actor) -> None:
        found = await asyncio.to_thread(connections.list_connections, actor=actor)
        self.rows = [_row(c) for c in found if c.protocol in ("saml", "ldap")]

    @rx.event
    async def load(self):
        self.error = self.notice = self.test_result = ""
        self.saml_errors, self.ldap_errors = {}, {}
        actor = await self._actor()
        self.can_manage = actor is not None
        if actor is not None:
            await self._reload(actor)

    async def _create(self, protocol: str, form: dict, config: dict) -> dict[str, str]:
        self.error = self.notice = self.test_result = ""
        actor = await self._actor()
        if actor is None:
            return {}
        try:
            await asyncio.to_thread(
                connections.create_connection,
                actor=actor,
                protocol=protocol,
                name=_text(form, "name", 200),
                config=config,
                default_role=_text(form, "default_role", 20) or "viewer",
                enabled=_checked(form, "enabled"),
                sso_only=_checked(form, "sso_only"),
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            return exc.errors
        except ServiceError as exc:
            self.error = exc.message
            return {}
        self.notice = "Connection added."
        self.form_key += 1  # empties the forms
        await self._reload(actor)
        return {}

    def _after_save(self):
        # The page's connection list (the sso lane's state) shows the new one too.
        return SsoState.load if self.notice else None

    @rx.event
    async def save_saml(self, form: dict):
        config = {
            "idp_metadata_url": _text(form, "idp_metadata_url", 2000),
            "idp_metadata_xml": _text(form, "idp_metadata_xml", 600_000),
            "email_attribute": _text(form, "email_attribute", 100),
            "groups_attribute": _text(form, "groups_attribute", 100),
            "group_roles": parse_group_roles(_text(form, "group_roles", 20_000)),
        }
        self.saml_errors = await self._create("saml", form, config)
        return self._after_save()

    @rx.event
    async def save_ldap(self, form: dict):
        config = {
            "url": _text(form, "url", 300),
            "starttls": _checked(form, "starttls"),
            "ca_pem": _text(form, "ca_pem", 50_000),
            "bind_dn": _text(form, "bind_dn"),
            "bind_password": form.get("bind_password", "")[:500]
            if isinstance(form.get("bind_password"), str)
            else "",
            "base_dn": _text(form, "base_dn"),
            "user_filter": _text(form, "user_filter"),
            "group_roles": parse_group_roles(_text(form, "group_roles", 20_000)),
        }
        self.ldap_errors = await self._create("ldap", form, config)
        return self._after_save()

    @rx.event
    async def test_ldap(self, connection_id: str):
        self.error = self.notice = self.test_result = ""
        actor = await self._actor()
        try:
            parsed = uuid.UUID(str(connection_id))
        except ValueError:
            return
        if actor is None:
            return
        try:
            result = await asyncio.to_thread(
                ldap.test_connection, actor=actor, connection_id=parsed
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        self.test_ok, self.test_result = result.ok, result.message
