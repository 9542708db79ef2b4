"""A dynamic code's destination can be one of the workspace's published landing pages
(services.codes.code_pages): the choices for the designer's create flow and the code
page's picker. The designer keeps the chosen page id itself (DesignerState.landing_page_id)
and passes it to qrcodes.create; the code page saves through CodePageDestinationState."""

from __future__ import annotations

import asyncio
from typing import TypedDict

import reflex as rx

from qrapp.core.permissions import Permission
from qrapp.services.codes import code_pages
from qrapp.services.errors import FieldErrors, NotSignedIn, ServiceError
from qrapp.state.base import client_ip, code_id_from_path, load_actor


class PageChoice(TypedDict):
    id: str
    label: str


def _choices(pages: list[dict]) -> list[PageChoice]:
    return [{"id": p["id"], "label": f"{p['name']} (/p/{p['slug']})"} for p in pages]


class PageChoicesState(rx.State):
    """The workspace's published pages, loaded when a picker mounts."""

    page_choices: list[PageChoice] = []

    @rx.event
    async def load_page_choices(self):
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            pages = await asyncio.to_thread(code_pages.page_choices, actor=actor)
        except (NotSignedIn, ServiceError):
            self.page_choices = []
            return
        self.page_choices = _choices(pages)


class CodePageDestinationState(rx.State):
    """The code page's "answer with a landing page" picker."""

    current_page: str = ""  # "Name (/p/slug)" of the page the code answers with, or ""
    current_published: bool = True
    current_page_id: str = ""  # for "Edit the page in the builder"
    chosen_page: str = ""
    page_error: str = ""

    @rx.event
    async def load_current_page(self):
        self.page_error = ""
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            page = await asyncio.to_thread(
                code_pages.destination_page, actor=actor, code_id=code_id_from_path(self)
            )
        except (ValueError, NotSignedIn, ServiceError):
            return
        self.current_page = f"{page['name']} (/p/{page['slug']})" if page else ""
        self.current_published = bool(page and page["published"])
        self.chosen_page = page["id"] if page else ""
        self.current_page_id = page["id"] if page else ""

    @rx.event
    def choose_page(self, value: str):
        self.chosen_page = str(value)[:40]
        self.page_error = ""

    @rx.event
    async def save_page(self):
        if not self.chosen_page:
            self.page_error = "Choose a landing page first."
            return
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                code_pages.set_destination_page,
                actor=actor,
                code_id=code_id_from_path(self),
                page_id=self.chosen_page,
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.page_error = exc.errors.get(code_pages.FIELD, exc.message)
            return None
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        return [
            CodePageDestinationState.load_current_page,
            rx.toast.success("The next scan answers with this landing page."),
        ]
