"""Settings -> Security, the workspace part: the IP allowlist (owners and admins,
Enterprise). The service validates, refuses a list without the admin's own address and
audits the change; this state only carries the text and the messages."""

from __future__ import annotations

import asyncio

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.services.workspaces import ip_allowlist
from qrapp.state.base import client_ip, load_actor


class IpAllowlistState(rx.State):
    can_edit: bool = False
    plan_allows: bool = False
    plan_name: str = ""
    entries_text: str = ""
    your_ip: str = ""
    error: str = ""
    plan_limit: str = ""

    @rx.event
    async def load(self):
        self.error = self.plan_limit = ""
        self.your_ip = client_ip(self)
        try:
            actor = await load_actor(self)
        except ServiceError:
            return
        self.can_edit = actor.can(Permission.WORKSPACE_RENAME)
        if not self.can_edit:
            return
        view = await asyncio.to_thread(ip_allowlist.get, actor=actor)
        self.entries_text = "\n".join(view.entries)
        self.plan_allows, self.plan_name = view.plan_allows, view.plan_name

    @rx.event
    async def save(self, form: dict):
        self.error = self.plan_limit = ""
        text = form.get("ip_allowlist", "")
        text = text[:20000] if isinstance(text, str) else ""
        try:
            actor = await load_actor(self, Permission.WORKSPACE_RENAME)
            saved = await asyncio.to_thread(
                ip_allowlist.save, actor=actor, text=text, ip=client_ip(self)
            )
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except PlanLimitReached as exc:
            self.plan_limit = exc.message
            return
        except ServiceError as exc:
            self.error = exc.message
            return
        self.entries_text = "\n".join(saved)
        return rx.toast.success(
            "IP allowlist saved." if saved else "IP allowlist cleared: every address may sign in."
        )
