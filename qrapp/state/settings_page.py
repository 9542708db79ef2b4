"""Account and workspace settings: change password, rename the workspace, and the
workspace's analytics time zone and scan retention."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.accounts import accounts
from qrapp.services.analytics import retention
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.services.workspaces import workspaces
from qrapp.state.base import browser_binding, client_ip, load_actor
from qrapp.state.session import SessionState, go_to_backend


def _text(form: dict, name: str, limit: int = 4096) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


class SettingsState(rx.State):
    password_error: str = ""
    password_error_field: str = ""
    workspace_error: str = ""
    can_rename: bool = False
    can_webhooks: bool = False  # owners and admins: the link to Settings -> Webhooks
    can_audit: bool = False  # AUDIT_VIEW: the link to Settings -> Audit log
    can_sso: bool = False  # owners and admins: the link to Settings -> Single sign-on
    password_changed: bool = False
    timezone: str = "UTC"
    retention_days: str = "365"
    analytics_error: str = ""
    plan_limit: str = ""  # a retention the plan does not include: with a link to the plans
    # Filled by load: a computed var would put its 600 names into the initial state of
    # every page's JavaScript (issue 19: 3 KB gzip on each signed-in page).
    time_zones: list[str] = []
    retention_choices: list[list[str]] = [
        [str(days), label] for days, label in retention.CHOICES.items()
    ]

    @rx.event
    async def load(self):
        self.password_error = self.password_error_field = self.workspace_error = ""
        self.password_changed = self.router.url.query_parameters.get("password") == "changed"
        try:
            actor = await load_actor(self)
        except ServiceError:
            return
        self.can_rename = actor.can(Permission.WORKSPACE_RENAME)
        self.can_webhooks = actor.can(Permission.WEBHOOKS_MANAGE)
        self.can_audit = actor.can(Permission.AUDIT_VIEW)
        self.can_sso = actor.can(Permission.SSO_MANAGE)
        self.analytics_error = ""
        ws = await asyncio.to_thread(workspaces.get_current, actor=actor)
        self.timezone = ws.timezone
        self.time_zones = list(workspaces.time_zones())
        self.retention_days = str(retention.effective_days(ws))
        allowed = retention.plan_choices(ws.plan)
        # Every choice is listed; those above the plan say so, and choosing one explains.
        self.retention_choices = [
            [str(days), label if days in allowed else f"{label} (upgrade)"]
            for days, label in retention.CHOICES.items()
        ]
        self.plan_limit = ""

    @rx.event
    async def save_analytics(self, form: dict):
        """Time zone and retention together, each checked by its service."""
        self.analytics_error, self.plan_limit = "", ""
        try:
            actor = await load_actor(self, Permission.WORKSPACE_RENAME)
            days = retention.check_days(_text(form, "retention_days", 8))  # before any change
            # Retention first: the plan may refuse it, and then nothing has changed.
            await asyncio.to_thread(
                retention.set_retention, actor=actor, days=days, ip=client_ip(self)
            )
            await asyncio.to_thread(
                workspaces.set_timezone,
                actor=actor,
                timezone=_text(form, "timezone", 64),
                ip=client_ip(self),
            )
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except PlanLimitReached as exc:
            self.plan_limit = exc.message
            return
        except ServiceError as exc:
            self.analytics_error = exc.message
            return
        self.timezone = _text(form, "timezone", 64)
        self.retention_days = str(days)
        return rx.toast.success("Analytics settings saved.")

    @rx.event
    async def change_password(self, form: dict):
        self.password_error = self.password_error_field = ""
        if form.get("new") != form.get("new_again"):
            self.password_error, self.password_error_field = "The two passwords differ.", "new"
            return
        try:
            actor = await load_actor(self)
            handoff = await asyncio.to_thread(
                accounts.change_password,
                actor=actor,
                current=_text(form, "current"),
                new=_text(form, "new"),
                ip=client_ip(self),
                binding=browser_binding(self),
            )
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            self.password_error, self.password_error_field = exc.message, exc.field or ""
            return
        # Every session ended, this one too: pick up a fresh cookie for this browser.
        return go_to_backend(
            routes.auth_session(handoff, quote(routes.SETTINGS + "?password=changed", safe="/"))
        )

    @rx.event
    async def rename_workspace(self, form: dict):
        self.workspace_error = ""
        try:
            actor = await load_actor(self, Permission.WORKSPACE_RENAME)
            await asyncio.to_thread(
                workspaces.rename, actor=actor, name=_text(form, "name", 200), ip=client_ip(self)
            )
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            self.workspace_error = exc.message
            return
        session = await self.get_state(SessionState)
        await session._refresh(actor)
        return rx.toast.success("Workspace renamed.")
