"""The QR library page: the workspace's codes with search, filters, sort, pages and
actions on several codes at once."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import TypedDict
from urllib.parse import urlencode

import reflex as rx

from qrapp.core import routes
from qrapp.core.payloads import type_list
from qrapp.core.permissions import Permission
from qrapp.core.wording import counted
from qrapp.services.billing import read_only
from qrapp.services.codes import library, qrcodes
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, load_actor

TYPE_LABELS = {"url": "Website", **dict(type_list())}
PAGE = routes.CODES
# Filter -> query-string name. The URL carries the view so reload, back and a shared link
# open the same list.
URL_KEYS = {
    "search": "q",
    "content_type": "type",
    "status": "status",
    "kind": "kind",
    "tag": "tag",
    "folder": "folder",
    "sort": "sort",
}
CHOICES = {
    "status": ("active", "paused", "archived"),
    "kind": ("dynamic", "static"),
    "sort": tuple(library.SORTS),
}
CONFIRM = {
    "delete": "Delete {n}? Printed dynamic codes will stop working. This cannot be undone.",
    "archive": "Archive {n}? Archived dynamic codes stop redirecting.",
}


class CodeRow(TypedDict):
    id: str
    name: str
    type_label: str
    is_dynamic: bool
    short_url: str
    destination: str
    status: str
    # Paused by billing (the paid plan expired), apart from the owner's own status.
    billing_paused: bool
    scans: int
    last_scan: str
    thumb: str
    tags: list[str]
    read_only: str  # why the plan makes it read-only, or ""


class Option(TypedDict):
    value: str
    label: str


def _ago(when) -> str:
    if when is None:
        return "never"
    from qrapp.models.types import utcnow

    seconds = int((utcnow() - when).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


class LibraryState(rx.State):
    rows: list[CodeRow] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    search: str = ""
    content_type: str = ""
    status: str = ""
    kind: str = ""
    tag: str = ""
    folder: str = ""
    sort: str = "newest"
    folders: list[Option] = []
    tags: list[str] = []
    selected: list[str] = []
    can_edit: bool = False
    loading: bool = False
    confirm_action: str = ""
    confirm_text: str = ""
    bulk_tag: str = ""
    move_to: str = ""
    new_folder: str = ""

    @rx.var
    def type_options(self) -> list[Option]:
        return [Option(value=k, label=v) for k, v in TYPE_LABELS.items()]

    @rx.var
    def has_filters(self) -> bool:
        return bool(
            self.search or self.content_type or self.status or self.kind or self.tag or self.folder
        )

    @rx.var
    def all_selected(self) -> bool:
        return bool(self.rows) and all(r["id"] in self.selected for r in self.rows)

    def _read_url(self) -> None:
        """The filters of the page's query string; unknown values fall back to the default."""
        params = self.router.url.query_parameters
        for attr, key in URL_KEYS.items():
            value = params.get(key, "")
            value = str(value[0] if isinstance(value, list) and value else value or "")
            value = value[:100] if attr == "search" else value[:64]
            if attr in CHOICES and value not in CHOICES[attr]:
                value = "newest" if attr == "sort" else ""
            if attr == "content_type" and value not in TYPE_LABELS:
                value = ""
            setattr(self, attr, value)
        raw_page = str(params.get("page", "") or "")
        self.page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 10_000 else 1

    def _url(self) -> str:
        pairs = [
            (key, getattr(self, attr))
            for attr, key in URL_KEYS.items()
            if getattr(self, attr) and not (attr == "sort" and self.sort == "newest")
        ]
        if self.page > 1:
            pairs.append(("page", str(self.page)))
        return PAGE + (f"?{urlencode(pairs)}" if pairs else "")

    def _push_url(self):
        """Write the filters into the address bar without a navigation."""
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(self._url())})")

    async def _refresh(self):
        """Fetch with the current filters and keep them in the URL."""
        result = await self._fetch()
        return [self._push_url()] + ([result] if result else [])

    def _query(self) -> library.LibraryQuery:
        folder_id = None
        if self.folder:
            try:
                folder_id = uuid.UUID(self.folder)
            except ValueError:
                folder_id = None
        return library.LibraryQuery(
            search=self.search,
            content_type=self.content_type,
            status=self.status,
            kind=self.kind,
            tag=self.tag,
            folder_id=folder_id,
            sort=self.sort,
            page=self.page,
        )

    async def _fetch(self):
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
        except NotSignedIn:
            # The page's guard already sent the browser to the login page with next=.
            return None
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.can_edit = actor.can(Permission.CODES_EDIT)
        query = self._query()
        result, folders, tags, read_only_reasons = await asyncio.gather(
            asyncio.to_thread(library.search, actor=actor, query=query),
            asyncio.to_thread(library.folders, actor=actor),
            asyncio.to_thread(library.workspace_tags, actor=actor),
            asyncio.to_thread(read_only.code_reasons, actor=actor),
        )
        base = get_settings().public_api_url
        self.rows = [
            CodeRow(
                id=str(c.id),
                name=c.name,
                type_label="Dynamic URL" if c.is_dynamic else TYPE_LABELS.get(c.content_type, ""),
                is_dynamic=c.is_dynamic,
                short_url=qrcodes.short_url(c) if c.is_dynamic else "",
                destination=c.destination,
                status=c.status,
                billing_paused=c.billing_paused_at is not None,
                scans=c.total_scans,
                last_scan=_ago(c.last_scan_at),
                thumb=f"{base}{routes.code_thumbnail(c.id)}?v={int(c.updated_at.timestamp())}",
                tags=list(c.tags),
                read_only=read_only_reasons.get(str(c.id), ""),
            )
            for c in result.codes
        ]
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.folders = [Option(value=str(f.id), label=f.name) for f in folders]
        self.tags = tags
        visible = {r["id"] for r in self.rows}
        self.selected = [i for i in self.selected if i in visible]
        return None

    @rx.event
    async def load(self):
        self.loading = True
        self.selected = []
        self._read_url()
        result = await self._fetch()
        self.loading = False
        return result

    @rx.event
    async def set_search(self, value: str):
        self.search, self.page = str(value)[:100], 1
        return await self._refresh()

    @rx.event
    async def set_filter(self, key: str, value: str):
        if key not in ("content_type", "status", "kind", "tag", "folder", "sort"):
            return
        value = str(value)[:64]
        if key in CHOICES and value not in CHOICES[key]:
            value = "newest" if key == "sort" else ""
        setattr(self, key, value)
        self.page = 1
        return await self._refresh()

    @rx.event
    async def clear_filters(self):
        self.search = self.content_type = self.status = self.kind = self.tag = self.folder = ""
        self.page = 1
        return await self._refresh()

    @rx.event
    async def go_page(self, page: int):
        try:
            self.page = max(1, min(int(page), self.pages))
        except (TypeError, ValueError):
            return
        return await self._refresh()

    @rx.event
    def toggle(self, code_id: str):
        code_id = str(code_id)
        if code_id in self.selected:
            self.selected = [i for i in self.selected if i != code_id]
        elif any(r["id"] == code_id for r in self.rows):
            self.selected = [*self.selected, code_id]

    @rx.event
    def toggle_all(self):
        self.selected = [] if self.all_selected else [r["id"] for r in self.rows]

    @rx.event
    def set_bulk_tag(self, value: str):
        self.bulk_tag = str(value)[:40]

    @rx.event
    def set_move_to(self, value: str):
        self.move_to = str(value)

    @rx.event
    def set_new_folder(self, value: str):
        self.new_folder = str(value)[:80]

    @rx.event
    def ask(self, action: str):
        if action not in CONFIRM:
            return
        self.confirm_action = action
        self.confirm_text = CONFIRM[action].format(n=counted(len(self.selected), "code"))

    @rx.event
    def cancel_confirm(self):
        self.confirm_action = ""

    @rx.event
    async def run_bulk(self, action: str):
        self.confirm_action = ""
        if action not in library.BULK_ACTIONS:
            return rx.toast.error("Unknown action.")
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            ids = [uuid.UUID(i) for i in self.selected]
            folder_id = uuid.UUID(self.move_to) if action == "move" and self.move_to else None
            n = await asyncio.to_thread(
                library.bulk,
                actor=actor,
                action=action,
                code_ids=ids,
                tag=self.bulk_tag,
                folder_id=folder_id,
                ip=client_ip(self),
            )
        except ValueError:
            return rx.toast.error("Some selected codes no longer exist.")
        except ServiceError as exc:
            # A plan limit (bringing archived codes back) names the plan and says upgrade.
            return rx.toast.error(exc.message)
        self.selected = []
        await self._fetch()
        return rx.toast.success(f"{counted(n, 'code')} updated.")

    @rx.event
    async def create_folder(self):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                library.create_folder, actor=actor, name=self.new_folder, ip=client_ip(self)
            )
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.new_folder = ""
        await self._fetch()
        return rx.toast.success("Folder created.")

    @rx.event
    async def delete_folder(self, folder_id: str):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                library.delete_folder,
                actor=actor,
                folder_id=uuid.UUID(str(folder_id)),
                ip=client_ip(self),
            )
        except ValueError:
            return rx.toast.error("That folder does not exist.")
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        if self.folder == folder_id:
            self.folder = ""
        return [*await self._refresh(), rx.toast.success("Folder deleted; its codes are kept.")]
