"""Settings -> Domains: a workspace's custom domains, the DNS records to create, their
status, "Check now", the default domain and each domain's settings.

Every handler loads the actor and checks DOMAINS_MANAGE (the services check again and
scope by workspace); ids from the browser are parsed, never trusted.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core.permissions import Permission
from qrapp.services.domains import live, manage
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.state.base import client_ip, load_actor

STATUS_LABELS = {
    "pending": "Pending",
    "verified": "Verified",
    "failed": "Failed",
    "lost": "Lost",
}


class RecordRow(TypedDict):
    type: str
    name: str
    value: str


class DomainRow(TypedDict):
    id: str
    hostname: str
    status: str
    status_label: str
    reason: str
    is_default: bool
    proof: str
    challenge_url: str
    root_redirect_url: str
    not_found_url: str
    robots: str
    records: list[RecordRow]


def _row(d: manage.DomainView) -> DomainRow:
    return DomainRow(
        id=str(d.id),
        hostname=d.display,
        status=d.status,
        status_label=STATUS_LABELS.get(d.status, d.status),
        reason=d.reason,
        is_default=d.is_default,
        proof=d.proof,
        challenge_url=d.challenge_url,
        root_redirect_url=d.root_redirect_url,
        not_found_url=d.not_found_url,
        robots=d.robots,
        records=[RecordRow(type=r.type, name=r.name, value=r.value) for r in d.records],
    )


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _text(form: dict, key: str, limit: int = 2100) -> str:
    value = form.get(key)
    return str(value)[:limit] if isinstance(value, str) else ""


class DomainsState(rx.State):
    can_manage: bool = False
    domains: list[DomainRow] = []
    usage: str = ""  # "1 of 5 domains"
    hostname_error: str = ""
    error: str = ""
    notice: str = ""
    checking_id: str = ""
    remove_id: str = ""
    remove_name: str = ""

    async def _actor(self):
        try:
            return await load_actor(self, Permission.DOMAINS_MANAGE)
        except ServiceError as exc:
            self.can_manage, self.domains = False, []
            self.error = exc.message
            return None

    async def _reload(self, actor) -> None:
        rows = await asyncio.to_thread(manage.list_domains, actor=actor)
        self.domains = [_row(d) for d in rows]
        used, allowed = await asyncio.to_thread(manage.allowance, actor=actor)
        self.usage = (
            f"{used} of {allowed} domain{'' if allowed == 1 else 's'} on your plan"
            if allowed is not None
            else f"{used} domain{'' if used == 1 else 's'}"
        )

    @rx.event
    async def load(self):
        self.error = self.notice = self.hostname_error = ""
        self.remove_id, self.checking_id = "", ""
        actor = await self._actor()
        self.can_manage = actor is not None
        if actor is None:
            self.error = ""  # the page says who may use it instead
            return
        await self._reload(actor)

    @rx.event
    async def add_domain(self, form: dict):
        self.hostname_error = self.error = self.notice = ""
        actor = await self._actor()
        if actor is None:
            return
        proof = "http" if form.get("proof") == "http" else "dns"
        try:
            added = await asyncio.to_thread(
                manage.add_domain,
                actor=actor,
                hostname=_text(form, "hostname", 300),
                proof=proof,
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.hostname_error = exc.errors.get("hostname", exc.message)
            return
        except ServiceError as exc:
            self.error = exc.message
            return
        self.notice = f"{added.display} added. Create the DNS records below, then Check now."
        await self._reload(actor)
        return rx.set_value("domain-hostname", "")

    @rx.event
    async def check_now(self, domain_id: str):
        self.error = self.notice = ""
        parsed = _uuid(domain_id)
        actor = await self._actor()
        if actor is None or parsed is None:
            return
        self.checking_id = domain_id
        yield
        try:
            view = await asyncio.to_thread(manage.check_now, actor=actor, domain_id=parsed)
        except ServiceError as exc:
            self.error = exc.message
        else:
            live.forget()
            self.notice = (
                f"{view.display} is verified."
                if view.status == "verified"
                else f"{view.display}: {view.reason}"
            )
            await self._reload(actor)
        self.checking_id = ""

    @rx.event
    async def set_default(self, domain_id: str):
        await self._set_default(domain_id)

    @rx.event
    async def clear_default(self):
        await self._set_default("")

    async def _set_default(self, domain_id: str) -> None:
        self.error = self.notice = ""
        actor = await self._actor()
        if actor is None:
            return
        parsed = _uuid(domain_id) if domain_id else None
        if domain_id and parsed is None:
            return
        try:
            await asyncio.to_thread(
                manage.set_default, actor=actor, domain_id=parsed, ip=client_ip(self)
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        self.notice = (
            "New codes and pages now use this domain."
            if parsed
            else "New codes and pages now use our default domain."
        )
        await self._reload(actor)

    @rx.event
    async def save_settings(self, form: dict):
        self.error = self.notice = ""
        parsed = _uuid(form.get("domain_id"))
        actor = await self._actor()
        if actor is None or parsed is None:
            return
        try:
            await asyncio.to_thread(
                manage.update_settings,
                actor=actor,
                domain_id=parsed,
                root_redirect_url=_text(form, "root_redirect_url"),
                not_found_url=_text(form, "not_found_url"),
                robots="deny" if form.get("robots") == "deny" else "allow",
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            labels = {"root_redirect_url": "Root address", "not_found_url": "Not-found address"}
            self.error = " ".join(
                f"{labels.get(k, 'Search engines')}: {v}" for k, v in exc.errors.items()
            )
            return
        except ServiceError as exc:
            self.error = exc.message
            return
        self.notice = "Domain settings saved."
        await self._reload(actor)

    @rx.event
    def ask_remove(self, domain_id: str, hostname: str):
        self.remove_id, self.remove_name = str(domain_id)[:40], str(hostname)[:260]

    @rx.event
    def set_remove_open(self, open_: bool):
        if not open_:
            self.remove_id, self.remove_name = "", ""

    @rx.event
    async def confirm_remove(self):
        self.error = self.notice = ""
        parsed = _uuid(self.remove_id)
        self.remove_id = ""
        actor = await self._actor()
        if actor is None or parsed is None:
            return
        try:
            await asyncio.to_thread(
                manage.remove_domain, actor=actor, domain_id=parsed, ip=client_ip(self)
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        live.forget()
        self.notice = f"{self.remove_name} removed. Its codes now use our default domain."
        await self._reload(actor)
