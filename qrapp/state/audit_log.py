"""Settings -> Audit log (AUDIT_VIEW): the filtered, paged table and the CSV link.

Filters are a form (person, action, object, date range); the pages go forward with the
service's cursor and back through a stack of the cursors seen (backend-only). Every
handler loads the actor with AUDIT_VIEW; the service scopes rows to its workspace.
"""

from __future__ import annotations

import asyncio
from typing import TypedDict
from urllib.parse import urlencode

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services import audit_log
from qrapp.services.errors import NotSignedIn, PermissionDenied, ServiceError
from qrapp.settings import get_settings
from qrapp.state.base import load_actor


class AuditRow(TypedDict):
    id: str
    when: str
    who: str
    who_kind: str
    what: str
    action: str
    object: str
    ip: str


class Choice(TypedDict):
    value: str
    label: str


_FIELDS = ("person", "action", "object_type", "object_id", "date_from", "date_to")


class AuditLogState(rx.State):
    rows: list[AuditRow] = []
    people: list[Choice] = []
    actions: list[Choice] = []
    object_types: list[Choice] = []
    f_person: str = ""
    f_action: str = ""
    f_object_type: str = ""
    f_object_id: str = ""
    f_date_from: str = ""
    f_date_to: str = ""
    page_number: int = 1
    has_next: bool = False
    allowed: bool = False
    loaded: bool = False
    error: str = ""
    csv_href: str = ""
    _cursors: list[str] = []  # the cursor of each page shown so far ("" for the first)
    _next: str = ""

    def _filters(self) -> audit_log.Filters:
        return audit_log.Filters(
            person=self.f_person,
            action=self.f_action,
            object_type=self.f_object_type,
            object_id=self.f_object_id,
            date_from=self.f_date_from,
            date_to=self.f_date_to,
        )

    async def _show(self, cursor: str) -> None:
        actor = await load_actor(self, Permission.AUDIT_VIEW)
        page = await asyncio.to_thread(
            audit_log.page, actor=actor, filters=self._filters(), cursor=cursor
        )
        self.rows = [
            AuditRow(
                id=str(r.id),
                when=r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                who=r.who,
                who_kind=r.who_kind,
                what=r.what,
                action=r.action,
                object=r.object or "—",
                ip=r.ip or "—",
            )
            for r in page.rows
        ]
        self._next = page.next_cursor
        self.has_next = bool(page.next_cursor)
        query = urlencode(self._filters().query())
        self.csv_href = (
            get_settings().public_api_url + routes.AUDIT_EXPORT_CSV + (f"?{query}" if query else "")
        )

    @rx.event
    async def load(self):
        self.error, self.loaded = "", False
        for name in _FIELDS:
            setattr(self, f"f_{name}", "")
        try:
            actor = await load_actor(self, Permission.AUDIT_VIEW)
            picks = await asyncio.to_thread(audit_log.choices, actor=actor)
            self.people = [Choice(value=v, label=label) for v, label in picks.people]
            self.actions = [Choice(value=v, label=label) for v, label in picks.actions]
            self.object_types = [Choice(value=v, label=label) for v, label in picks.object_types]
            self._cursors, self.page_number = [""], 1
            await self._show("")
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except PermissionDenied as exc:
            self.allowed, self.loaded, self.error = False, True, exc.message
            return
        except ServiceError as exc:
            self.error = exc.message
        self.allowed, self.loaded = True, True

    @rx.event
    async def apply_filters(self, form: dict):
        wanted = audit_log.Filters.from_mapping(form)
        for name in _FIELDS:
            setattr(self, f"f_{name}", getattr(wanted, name))
        await self._first_page()

    @rx.event
    async def clear_filters(self):
        for name in _FIELDS:
            setattr(self, f"f_{name}", "")
        await self._first_page()

    async def _first_page(self) -> None:
        self.error = ""
        self._cursors, self.page_number = [""], 1
        try:
            await self._show("")
        except ServiceError as exc:
            self.rows, self.has_next, self.error = [], False, exc.message

    @rx.event
    async def next_page(self):
        cursor = self._next
        if not cursor:
            return
        try:
            await self._show(cursor)
        except ServiceError as exc:
            self.error = exc.message
            return
        self._cursors = [*(self._cursors or [""]), cursor]
        self.page_number = len(self._cursors)

    @rx.event
    async def previous_page(self):
        if len(self._cursors) < 2:
            return
        cursors = self._cursors[:-1]
        try:
            await self._show(cursors[-1])
        except ServiceError as exc:
            self.error = exc.message
            return
        self._cursors, self.page_number = cursors, len(cursors)
