"""Settings -> Single sign-on: the workspace's connections (OpenID Connect here; SAML and
LDAP add their own forms) and its e-mail domains with their TXT records.

Every handler loads the actor and checks SSO_MANAGE (the services check again and scope
by workspace); ids from the browser are parsed, never trusted. The client secret is
write-only: it goes from the form to the service and never into a var.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.services.sso import connections, domains, oidc, refusals
from qrapp.state.base import client_ip, load_actor
from qrapp.state.session import go_to_backend

PROTOCOL_LABELS = {"oidc": "OpenID Connect", "saml": "SAML 2.0", "ldap": "LDAP"}
ROLE_CHOICES = [[r, r.capitalize()] for r in connections.DEFAULT_ROLES]


class ConnectionRow(TypedDict):
    id: str
    name: str
    protocol: str
    protocol_label: str
    enabled: bool
    sso_only: bool
    default_role: str
    issuer: str
    client_id: str
    secret_hint: str


class DomainRow(TypedDict):
    id: str
    domain: str
    record_name: str
    record_value: str
    verified: bool
    reason: str
    checked: str


def _connection_row(c: connections.ConnectionView) -> ConnectionRow:
    return ConnectionRow(
        id=str(c.id),
        name=c.name,
        protocol=c.protocol,
        protocol_label=PROTOCOL_LABELS.get(c.protocol, c.protocol),
        enabled=c.enabled,
        sso_only=c.sso_only,
        default_role=c.default_role.capitalize(),
        issuer=str(c.config.get("issuer", "")),
        client_id=str(c.config.get("client_id", "")),
        secret_hint=str(c.config.get("client_secret", "")),
    )


def _domain_row(d: domains.DomainView) -> DomainRow:
    return DomainRow(
        id=str(d.id),
        domain=d.domain,
        record_name=d.record_name,
        record_value=d.record_value,
        verified=d.verified,
        reason=d.reason,
        checked=d.last_checked_at.strftime("%Y-%m-%d %H:%M UTC") if d.last_checked_at else "",
    )


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _text(form: dict, name: str, limit: int = 600) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def _checked(form: dict, name: str) -> bool:
    return form.get(name) in ("on", True, "true")


class SsoState(rx.State):
    can_manage: bool = False
    error: str = ""
    notice: str = ""
    connections: list[ConnectionRow] = []
    domains: list[DomainRow] = []
    role_choices: list[list[str]] = ROLE_CHOICES
    # The OpenID Connect form: "" adds a connection, else the id being edited.
    editing_id: str = ""
    form_key: int = 0  # bumped to reset the uncontrolled inputs to the values below
    form_name: str = ""
    form_issuer: str = ""
    form_client_id: str = ""
    form_secret_hint: str = ""
    form_role: str = "viewer"
    form_enabled: bool = True
    form_sso_only: bool = False
    name_error: str = ""
    issuer_error: str = ""
    client_id_error: str = ""
    secret_error: str = ""
    role_error: str = ""
    domain_error: str = ""

    @rx.var(cache=True)
    def callback_url(self) -> str:
        return oidc.callback_url()

    def _clear(self) -> None:
        self.error = self.notice = self.domain_error = ""
        self.name_error = self.issuer_error = self.client_id_error = ""
        self.secret_error = self.role_error = ""

    async def _actor(self):
        try:
            return await load_actor(self, Permission.SSO_MANAGE)
        except ServiceError as exc:
            self.can_manage, self.connections, self.domains = False, [], []
            self.error = exc.message
            return None

    async def _reload(self, actor) -> None:
        rows = await asyncio.to_thread(connections.list_connections, actor=actor)
        self.connections = [_connection_row(c) for c in rows]
        found = await asyncio.to_thread(domains.list_domains, actor=actor)
        self.domains = [_domain_row(d) for d in found]

    def _reset_form(self) -> None:
        self.editing_id = ""
        self.form_name = self.form_issuer = self.form_client_id = self.form_secret_hint = ""
        self.form_role, self.form_enabled, self.form_sso_only = "viewer", True, False
        self.form_key += 1

    @rx.event
    async def load(self):
        self._clear()
        self._reset_form()
        actor = await self._actor()
        self.can_manage = actor is not None
        if actor is None:
            self.error = ""  # the page says who may use it instead
            return
        await self._reload(actor)
        # Back from an admin's test sign-in: /settings/sso?test=<outcome>.
        outcome = str(self.router.url.query_parameters.get("test", ""))[:20]
        if outcome == refusals.TEST_OK:
            self.notice = "The test sign-in worked: your identity provider and domains are set."
        elif outcome:
            self.error = "The test sign-in failed. " + (
                refusals.message(outcome) or refusals.message(refusals.REFUSED)
            )

    @rx.event
    def edit(self, connection_id: str):
        self._clear()
        row = next((c for c in self.connections if c["id"] == connection_id), None)
        if row is None or row["protocol"] != "oidc":
            return
        self.editing_id = row["id"]
        self.form_name, self.form_issuer = row["name"], row["issuer"]
        self.form_client_id, self.form_secret_hint = row["client_id"], row["secret_hint"]
        self.form_role = row["default_role"].lower()
        self.form_enabled, self.form_sso_only = row["enabled"], row["sso_only"]
        self.form_key += 1

    @rx.event
    def cancel_edit(self):
        self._clear()
        self._reset_form()

    @rx.event
    async def save_oidc(self, form: dict):
        self._clear()
        actor = await self._actor()
        if actor is None:
            return
        config = {
            "issuer": _text(form, "issuer"),
            "client_id": _text(form, "client_id", 300),
            "client_secret": _text(form, "client_secret"),
        }
        common = {
            "name": _text(form, "name", 200),
            "default_role": _text(form, "default_role", 20),
            "enabled": _checked(form, "enabled"),
            "sso_only": _checked(form, "sso_only"),
        }
        editing = _uuid(self.editing_id) if self.editing_id else None
        try:
            await asyncio.to_thread(
                connections.save_connection,
                actor=actor,
                connection_id=editing,
                protocol="oidc",
                config=config,
                ip=client_ip(self),
                **common,
            )
        except FieldErrors as exc:
            self.name_error = exc.errors.get("name", "")
            self.issuer_error = exc.errors.get("issuer", "")
            self.client_id_error = exc.errors.get("client_id", "")
            self.secret_error = exc.errors.get("client_secret", "")
            self.role_error = exc.errors.get("default_role", "")
            return
        except ServiceError as exc:
            self.error = exc.message
            return
        self.notice = "Connection saved." if editing else "Connection added."
        self._reset_form()
        await self._reload(actor)

    async def _change(self, call, notice: str) -> None:
        self.error = self.notice = ""
        actor = await self._actor()
        if actor is None:
            return
        try:
            await asyncio.to_thread(call, actor)
        except ServiceError as exc:
            self.error = exc.message
            return
        self.notice = notice
        await self._reload(actor)

    @rx.event
    async def set_enabled(self, connection_id: str, enabled: bool):
        parsed, on = _uuid(connection_id), enabled is True
        if parsed is None:
            return
        await self._change(
            lambda actor: connections.update_connection(
                actor=actor, connection_id=parsed, enabled=on, ip=client_ip(self)
            ),
            "Connection enabled." if on else "Connection disabled.",
        )

    @rx.event
    async def delete(self, connection_id: str):
        parsed = _uuid(connection_id)
        if parsed is None:
            return
        await self._change(
            lambda actor: connections.delete_connection(
                actor=actor, connection_id=parsed, ip=client_ip(self)
            ),
            "Connection deleted.",
        )
        if self.editing_id == str(parsed):
            self._reset_form()

    @rx.event
    async def test_login(self, connection_id: str):
        """An admin's test sign-in: through the identity provider and back here."""
        parsed = _uuid(connection_id)
        if parsed is None or await self._actor() is None:
            return None
        return go_to_backend(routes.sso_start(parsed) + "?test=1")

    @rx.event
    async def add_domain(self, form: dict):
        self._clear()
        actor = await self._actor()
        if actor is None:
            return None
        try:
            await asyncio.to_thread(
                domains.add_domain,
                actor=actor,
                domain=_text(form, "domain", 300),
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.domain_error = exc.errors.get("domain", exc.message)
            return None
        except ServiceError as exc:
            self.error = exc.message
            return None
        self.notice = "Domain added. Publish its TXT record, then choose Check now."
        await self._reload(actor)
        return rx.set_value("sso-domain", "")

    @rx.event
    async def check_domain(self, domain_id: str):
        parsed = _uuid(domain_id)
        if parsed is None:
            return
        await self._change(
            lambda actor: domains.check_domain(actor=actor, domain_id=parsed, ip=client_ip(self)),
            "Checked.",
        )
        row = next((d for d in self.domains if d["id"] == str(parsed)), None)
        if row is not None and not self.error:
            self.notice = (
                f"{row['domain']} is verified."
                if row["verified"]
                else f"{row['domain']} is not verified yet: {row['reason']}"
            )

    @rx.event
    async def remove_domain(self, domain_id: str):
        parsed = _uuid(domain_id)
        if parsed is None:
            return
        await self._change(
            lambda actor: domains.remove_domain(actor=actor, domain_id=parsed, ip=client_ip(self)),
            "Domain removed.",
        )
