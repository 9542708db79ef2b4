"""Who is signed in, their workspaces, switching and logging out. Shared by the shell."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.accounts import accounts
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.services.workspaces import workspaces
from qrapp.services.workspaces.ip_allowlist import NetworkNotAllowed
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, load_actor, session_token
from qrapp.state.session_watch import SessionWatchState


class WorkspaceView(TypedDict):
    id: str
    name: str
    role: str
    is_personal: bool
    members: int


class SessionState(rx.State):
    user_name: str = ""
    user_email: str = ""
    email_verified: bool = True
    workspaces: list[WorkspaceView] = []
    workspace_name: str = ""
    role: str = ""
    can_view_billing: bool = False  # the Billing menu item (owners and admins)
    can_manage_api_keys: bool = False  # the API keys menu item (owners and admins)
    signed_in: bool = False
    new_workspace_error: str = ""
    verification_sent: bool = False
    new_workspace_open: bool = False

    @rx.event
    def set_new_workspace_open(self, value: bool):
        self.new_workspace_open = bool(value)
        self.new_workspace_error = ""

    @rx.var
    def user_initial(self) -> str:
        return (self.user_name or self.user_email or "?")[:1].upper()

    @rx.var
    def user_label(self) -> str:
        return self.user_name or self.user_email

    @rx.event
    async def guard(self):
        """on_load of every signed-in page: load the actor or go to the login page."""
        try:
            actor = await load_actor(self)
        except NotSignedIn:
            self.signed_in = False
            path = self.router.url.path or routes.DASHBOARD
            query = self.router.url.query or ""
            target = path + (f"?{query}" if query else "")
            return rx.redirect(routes.with_next(routes.LOGIN, _quote(target)), replace=True)
        except NetworkNotAllowed:
            # The workspace's IP allowlist leaves this address out: a page that says so
            # and offers the person's other workspaces.
            self.signed_in = False
            return rx.redirect(routes.NETWORK_NOT_ALLOWED, replace=True)
        await self._refresh(actor)
        # Signed out elsewhere while this tab sits idle: it leaves within seconds.
        return SessionWatchState.watch

    async def _refresh(self, actor) -> None:
        summaries = await asyncio.to_thread(workspaces.list_for_actor, actor=actor)
        self.user_name, self.user_email = actor.name, actor.email
        self.email_verified = actor.email_verified
        self.signed_in = True
        self.workspaces = [
            WorkspaceView(
                id=str(w.id),
                name=w.name,
                role=w.role.label,
                is_personal=w.is_personal,
                members=w.member_count,
            )
            for w in summaries
        ]
        current = next((w for w in summaries if w.id == actor.workspace_id), None)
        self.workspace_name = current.name if current else ""
        self.role = current.role.label if current else ""
        self.can_view_billing = actor.can(Permission.BILLING_VIEW)
        self.can_manage_api_keys = actor.can(Permission.API_KEYS_MANAGE)

    @rx.event
    async def switch_workspace(self, workspace_id: str):
        try:
            wanted = uuid.UUID(str(workspace_id))
            # Without the network check: leaving a workspace that refuses this address.
            actor = await load_actor(self, check_network=False)
            await asyncio.to_thread(workspaces.switch, actor=actor, workspace_id=wanted)
        except ValueError:
            return rx.toast.error("That workspace does not exist.")
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        # A full reload so every page's data comes from the new workspace.
        return rx.call_script(f"window.location.assign('{routes.DASHBOARD}')")

    @rx.event
    async def create_workspace(self, form: dict):
        name = str(form.get("name", ""))[:200]
        try:
            actor = await load_actor(self)
            await asyncio.to_thread(workspaces.create, actor=actor, name=name, ip=client_ip(self))
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            self.new_workspace_error = exc.message
            return
        self.new_workspace_error = ""
        self.new_workspace_open = False
        return rx.call_script(f"window.location.assign('{routes.DASHBOARD}')")

    @rx.event
    async def resend_verification(self):
        try:
            actor = await load_actor(self)
            await asyncio.to_thread(accounts.resend_verification, actor=actor)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.verification_sent = True
        return rx.toast.success(f"We sent a new link to {self.user_email}.")

    @rx.event
    async def log_out(self):
        token = session_token(self)
        await asyncio.to_thread(accounts.log_out, session_token=token, ip=client_ip(self))
        self.reset()
        # The plain HTTP route clears the HttpOnly cookie; JavaScript cannot.
        return go_to_backend(routes.AUTH_LOGOUT)


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def go_to_backend(path: str) -> rx.event.EventSpec:
    """A full-page visit of a plain HTTP route of the backend (it may set cookies)."""
    url = get_settings().public_api_url + path
    return rx.call_script(f"window.location.assign({json.dumps(url)})")
