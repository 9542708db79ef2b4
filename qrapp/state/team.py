"""The Team page (members, roles, invitations) and the invitation accept page."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import TypedDict
from urllib.parse import quote

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import FieldErrors, NotSignedIn, ServiceError
from qrapp.services.workspaces import members, workspaces
from qrapp.state.base import client_ip, load_actor, query_param


class MemberRow(TypedDict):
    user_id: str
    name: str
    email: str
    role: str
    is_you: bool


class InviteRow(TypedDict):
    id: str
    email: str
    role: str
    expires: str


class TeamState(rx.State):
    members: list[MemberRow] = []
    invites: list[InviteRow] = []
    can_invite: bool = False
    can_manage: bool = False
    is_owner: bool = False
    personal: bool = False
    invite_error: str = ""
    plan_limit: str = ""  # the plan's seats are taken: shown with a link to the plans

    async def _reload(self, actor) -> None:
        rows, pending = await asyncio.to_thread(members.list_members, actor=actor)
        self.members = [
            MemberRow(
                user_id=str(m.user_id),
                name=m.name or m.email,
                email=m.email,
                role=m.role.value,
                is_you=m.is_you,
            )
            for m in rows
        ]
        self.invites = [
            InviteRow(
                id=str(i.id),
                email=i.email,
                role=i.role.label,
                expires=i.expires_at.strftime("%Y-%m-%d"),
            )
            for i in pending
        ]

    @rx.event
    async def load(self):
        self.invite_error = ""
        try:
            actor = await load_actor(self, Permission.MEMBERS_VIEW)
        except ServiceError:
            return
        self.can_invite = actor.can(Permission.MEMBERS_INVITE)
        self.can_manage = actor.can(Permission.MEMBERS_MANAGE)
        self.is_owner = actor.role is not None and actor.role.value == "owner"
        current = await asyncio.to_thread(workspaces.get_current, actor=actor)
        self.personal = current.is_personal
        await self._reload(actor)

    @rx.event
    async def invite(self, form: dict):
        self.invite_error, self.plan_limit = "", ""
        try:
            actor = await load_actor(self, Permission.MEMBERS_INVITE)
            await asyncio.to_thread(
                members.invite,
                actor=actor,
                email=str(form.get("email", ""))[:320],
                role=str(form.get("role", "editor"))[:16],
                ip=client_ip(self),
            )
            await self._reload(actor)
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except PlanLimitReached as exc:
            self.plan_limit = exc.message
            return
        except ServiceError as exc:
            self.invite_error = exc.message
            return
        return rx.toast.success("Invitation sent.")

    @rx.event
    async def revoke(self, invite_id: str):
        try:
            actor = await load_actor(self, Permission.MEMBERS_INVITE)
            await asyncio.to_thread(
                members.revoke_invite,
                actor=actor,
                invite_id=uuid.UUID(str(invite_id)),
                ip=client_ip(self),
            )
            await self._reload(actor)
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That invitation does not exist."))
        return rx.toast.success("Invitation withdrawn.")

    @rx.event
    async def change_role(self, user_id: str, role: str):
        try:
            actor = await load_actor(self, Permission.MEMBERS_MANAGE)
            await asyncio.to_thread(
                members.change_role,
                actor=actor,
                user_id=uuid.UUID(str(user_id)),
                role=str(role)[:16],
                ip=client_ip(self),
            )
            await self._reload(actor)
        except (ValueError, ServiceError) as exc:
            await self._reload_quietly()
            return rx.toast.error(getattr(exc, "message", "That member does not exist."))
        return rx.toast.success("Role changed.")

    async def _reload_quietly(self) -> None:
        with contextlib.suppress(ServiceError):
            await self._reload(await load_actor(self, Permission.MEMBERS_VIEW))

    @rx.event
    async def remove(self, user_id: str):
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            target = uuid.UUID(str(user_id))
            await asyncio.to_thread(
                members.remove_member, actor=actor, user_id=target, ip=client_ip(self)
            )
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That member does not exist."))
        if target == actor.user_id:  # left the workspace: go somewhere we still belong
            return rx.call_script(f"window.location.assign('{routes.DASHBOARD}')")
        await self._reload(actor)
        return rx.toast.success("Member removed.")


class InviteState(rx.State):
    workspace_name: str = ""
    role: str = ""
    email: str = ""
    valid: bool = False
    signed_in_as: str = ""
    error: str = ""
    back: str = ""  # this page, URL-encoded, for the log-in and sign-up links

    @rx.event
    async def load(self):
        self.error = ""
        token = query_param(self, "token")
        self.back = quote(routes.invite_link(token), safe="")
        preview = await asyncio.to_thread(members.preview_invite, token=token)
        self.valid = preview is not None
        if preview:
            self.workspace_name, self.role, self.email = (
                preview.workspace_name,
                preview.role.label,
                preview.email,
            )
        try:
            actor = await load_actor(self)
            self.signed_in_as = actor.email
        except ServiceError:
            self.signed_in_as = ""

    @rx.event
    async def accept(self):
        token = query_param(self, "token")
        try:
            actor = await load_actor(self)
            await asyncio.to_thread(
                members.accept_invite, actor=actor, token=token, ip=client_ip(self)
            )
        except NotSignedIn:
            return rx.redirect(routes.with_next(routes.LOGIN, self.back))
        except FieldErrors as exc:
            self.error = exc.message
            return
        except ServiceError as exc:
            self.error = exc.message
            return
        return rx.call_script(f"window.location.assign('{routes.DASHBOARD}')")
