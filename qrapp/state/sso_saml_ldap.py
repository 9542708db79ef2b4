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


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


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


def group_roles_text(mapping: object) -> str:
    """The stored {group: role} back as the form's lines (parse_group_roles' inverse)."""
    if not isinstance(mapping, dict):
        return ""
    return "\n".join(f"{group} {role}" for group, role in mapping.items())


def _on(value: object) -> str:
    return "on" if value else ""


def form_values(c: connections.ConnectionView) -> dict[str, str]:
    """What the edit form starts with. Secrets are masked by the service and go only to a
    hint; the SAML metadata XML is not shown back (a blank field keeps it)."""
    cfg = c.config
    common = {
        "name": c.name,
        "default_role": c.default_role,
        "enabled": _on(c.enabled),
        "sso_only": _on(c.sso_only),
        "group_roles": group_roles_text(cfg.get("group_roles")),
    }
    if c.protocol == "saml":
        keys = ("idp_metadata_url", "idp_entity_id", "email_attribute", "groups_attribute")
        return common | {k: str(cfg.get(k) or "") for k in keys}
    keys = ("url", "ca_pem", "bind_dn", "base_dn", "user_filter")
    return (
        common
        | {k: str(cfg.get(k) or "") for k in keys}
        | {
            "starttls": _on(cfg.get("starttls")),
            "password_hint": str(cfg.get("bind_password") or ""),
        }
    )


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
    # The connection being edited ("" adds) and the edit forms' starting values.
    editing_id: str = ""
    editing_protocol: str = ""
    saml_values: dict[str, str] = {}
    ldap_values: dict[str, str] = {}

    async def _actor(self):
        try:
            return await load_actor(self, Permission.SSO_MANAGE)
        except ServiceError:
            self.can_manage, self.rows = False, []
            return None

    async def _reload(self, actor) -> None:
        found = await asyncio.to_thread(connections.list_connections, actor=actor)
        self.rows = [_row(c) for c in found if c.protocol in ("saml", "ldap")]

    def _reset_form(self) -> None:
        self.editing_id = self.editing_protocol = ""
        self.saml_values, self.ldap_values = {}, {}
        self.form_key += 1  # remounts the uncontrolled forms with the values above

    @rx.event
    async def load(self):
        self.error = self.notice = self.test_result = ""
        self.saml_errors, self.ldap_errors = {}, {}
        self._reset_form()
        actor = await self._actor()
        self.can_manage = actor is not None
        if actor is not None:
            await self._reload(actor)

    @rx.event
    async def edit(self, connection_id: str):
        """Fills the SAML or LDAP form with a connection's settings (secrets left blank)."""
        self.error = self.notice = self.test_result = ""
        self.saml_errors, self.ldap_errors = {}, {}
        actor = await self._actor()
        parsed = _uuid(connection_id)
        if actor is None or parsed is None:
            return None
        try:
            found = await asyncio.to_thread(
                connections.get_connection, actor=actor, connection_id=parsed
            )
        except ServiceError as exc:
            self.error = exc.message
            return None
        if found.protocol not in ("saml", "ldap"):
            return None
        self._reset_form()
        self.editing_id, self.editing_protocol = str(found.id), found.protocol
        if found.protocol == "saml":
            self.saml_values = form_values(found)
        else:
            self.ldap_values = form_values(found)
        return rx.scroll_to(f"{found.protocol}-form")

    @rx.event
    def cancel_edit(self):
        self.error = self.notice = self.test_result = ""
        self.saml_errors, self.ldap_errors = {}, {}
        self._reset_form()

    async def _save(self, protocol: str, form: dict, config: dict) -> dict[str, str]:
        """Adds a connection, or saves the one being edited (same checks and audit)."""
        self.error = self.notice = self.test_result = ""
        actor = await self._actor()
        if actor is None:
            return {}
        editing = None
        if self.editing_id and self.editing_protocol == protocol:
            editing = _uuid(self.editing_id)
        common = {
            "name": _text(form, "name", 200),
            "default_role": _text(form, "default_role", 20) or "viewer",
            "enabled": _checked(form, "enabled"),
            "sso_only": _checked(form, "sso_only"),
            "ip": client_ip(self),
        }
        try:
            await asyncio.to_thread(
                connections.save_connection,
                actor=actor,
                connection_id=editing,
                protocol=protocol,
                config=config,
                **common,
            )
        except FieldErrors as exc:
            return exc.errors
        except ServiceError as exc:
            self.error = exc.message
            return {}
        self.notice = "Connection saved." if editing else "Connection added."
        self._reset_form()  # empties the forms
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
            "refetch_metadata": _checked(form, "refetch_metadata"),
        }
        self.saml_errors = await self._save("saml", form, config)
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
        self.ldap_errors = await self._save("ldap", form, config)
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
