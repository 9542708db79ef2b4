"""The landing-page list (/landing-pages): status, views, last publish, open, duplicate,
delete (confirmed), and the "New page" dialog (blank, a built-in starter or a workspace
template)."""

from __future__ import annotations

import asyncio
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import FieldErrors, NotSignedIn, ServiceError
from qrapp.services.pages import editing
from qrapp.state.base import client_ip, load_actor
from qrapp.state.delete_confirm import DeleteConfirmMixin

BLANK = "blank"
STATUS_LABELS = {"draft": "Draft", "published": "Published", "unpublished": "Unpublished"}


class PageRow(TypedDict):
    id: str
    name: str
    slug: str
    status: str
    status_label: str
    views: int
    published: str
    href: str


class StartChoice(TypedDict):
    value: str  # "blank", "starter:<key>" or "template:<uuid>"
    name: str
    description: str
    kind: str  # blank | starter | workspace


class PageListState(DeleteConfirmMixin, rx.State):
    loaded: bool = False
    rows: list[PageRow] = []
    can_edit: bool = False
    choices: list[StartChoice] = []
    new_open: bool = False
    new_choice: str = BLANK
    new_error: str = ""
    plan_limit: str = ""  # creating or duplicating refused by the plan: with a plans link

    @rx.event
    async def load(self):
        self.new_open, self.delete_id = False, ""
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            pages = await asyncio.to_thread(editing.list_pages, actor=actor)
            templates = await asyncio.to_thread(editing.list_templates, actor=actor)
        except NotSignedIn:
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.can_edit = actor.can(Permission.PAGES_EDIT)
        self.rows = [
            PageRow(
                id=str(p.id),
                name=p.name,
                slug=p.slug,
                status=p.status,
                status_label=STATUS_LABELS.get(p.status, p.status),
                views=p.views,
                published=p.published_at.strftime("%Y-%m-%d %H:%M") if p.published_at else "",
                href=routes.landing_page(str(p.id)),
            )
            for p in pages
        ]
        self.choices = [
            StartChoice(value=BLANK, name="Blank page", description="Just a heading.", kind="blank")
        ] + [
            StartChoice(
                value=f"{t.kind}:{t.key}", name=t.name, description=t.description, kind=t.kind
            )
            for t in templates
        ]
        self.loaded = True

    @rx.event
    def set_new_open(self, value: bool):
        self.new_open, self.new_error = bool(value), ""
        self.new_choice = BLANK

    @rx.event
    def choose(self, value: str):
        if any(c["value"] == value for c in self.choices):
            self.new_choice = str(value)

    @rx.event
    async def create(self, form: dict):
        name = str(form.get("name", ""))[:200]
        kind, _, key = self.new_choice.partition(":")
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
            page = await asyncio.to_thread(
                editing.create_page,
                actor=actor,
                name=name,
                starter=key if kind == "starter" else None,
                template_id=uuid.UUID(key) if kind == "workspace" else None,
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.new_error = exc.message
            return None
        except PlanLimitReached as exc:
            self.plan_limit, self.new_open = exc.message, False
            return None
        except (ValueError, ServiceError) as exc:
            self.new_error = getattr(exc, "message", "That template does not exist.")
            return None
        self.new_open = False
        return rx.redirect(routes.landing_page(str(page.id)))

    @rx.event
    async def duplicate(self, page_id: str):
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
            copy = await asyncio.to_thread(
                editing.duplicate_page,
                actor=actor,
                page_id=uuid.UUID(str(page_id)),
                ip=client_ip(self),
            )
        except PlanLimitReached as exc:
            self.plan_limit = exc.message
            return None
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That page does not exist."))
        return rx.redirect(routes.landing_page(str(copy.id)))

    @rx.event
    async def delete(self):
        page_id, name = self.delete_id, self.delete_name
        self.delete_id = self.delete_name = ""
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
            await asyncio.to_thread(
                editing.delete_page,
                actor=actor,
                page_id=uuid.UUID(page_id),
                ip=client_ip(self),
            )
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That page does not exist."))
        self.rows = [r for r in self.rows if r["id"] != page_id]
        return rx.toast.success(f"“{name}” deleted.")
