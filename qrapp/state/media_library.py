"""The workspace's media library (/media): thumbnails, search, a kind filter, upload,
where each file is used, and delete (refused with the pages named while a page uses it).

Rows are small view models; the asset ids are the workspace's own (the library service
scopes every call), and every handler loads the actor and checks its permission.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.services.media import library
from qrapp.services.media.uploads import human_size
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, load_actor
from qrapp.state.delete_confirm import DeleteConfirmMixin
from qrapp.state.media_upload import answers_of, plan_limit_of, upload_files

KINDS = {"image": "Images", "pdf": "PDFs", "video": "Videos", "audio": "Audio", "file": "Files"}
KIND_ICONS = {"image": "image", "pdf": "file-text", "video": "video", "audio": "music"}
FILE_INPUT_ID = "media-file"
MAX_FILES = 10


class UseLink(TypedDict):
    name: str
    href: str


class AssetRow(TypedDict):
    id: str
    name: str
    kind: str
    kind_label: str
    icon: str
    size: str
    added: str
    thumb: str  # absolute URL of a small image on the edge, or ""
    url: str  # the original on the edge
    used_in: list[UseLink]


def _edge(path: str) -> str:
    return get_settings().edge_url.rstrip("/") + path if path else ""


def _row(view: library.AssetView, uses: list[library.PageUse]) -> AssetRow:
    pages: dict[str, str] = {}
    for use in uses:
        pages.setdefault(use.page_id, use.page_name)
    return AssetRow(
        id=view.id,
        name=view.name,
        kind=view.kind,
        kind_label=KINDS.get(view.kind, view.kind).removesuffix("s"),
        icon=KIND_ICONS.get(view.kind, "file"),
        size=human_size(view.size),
        added=view.created_at.strftime("%Y-%m-%d"),
        thumb=_edge(view.thumb_url),
        url=_edge(view.url),
        used_in=[UseLink(name=n, href=routes.landing_page(i)) for i, n in pages.items()],
    )


class MediaLibraryState(DeleteConfirmMixin, rx.State):
    loaded: bool = False
    rows: list[AssetRow] = []
    query: str = ""
    kind: str = ""  # "" = every kind
    can_edit: bool = False
    uploading: bool = False
    notice: str = ""  # the last action's result, announced (role=status)
    problem: str = ""  # why the last action was refused (role=alert)
    plan_limit: str = ""  # an upload the plan refused: shown with a link to the plans

    @rx.var
    def filtered(self) -> bool:
        return bool(self.query.strip() or self.kind)

    async def _actor(self, permission: Permission):
        return await load_actor(self, permission)

    async def _reload(self) -> None:
        actor = await self._actor(Permission.WORKSPACE_VIEW)
        ws = actor.workspace_id
        assert ws is not None  # load_actor with a permission guarantees a workspace

        def read() -> list[AssetRow]:
            views = library.list_assets(
                actor=actor, workspace_id=ws, query=self.query, kind=self.kind or None
            )
            uses = library.usage_by_asset(
                actor=actor, workspace_id=ws, asset_ids=[v.id for v in views]
            )
            return [_row(v, uses[str(v.id)]) for v in views]

        self.rows = await asyncio.to_thread(read)
        self.can_edit = actor.can(Permission.PAGES_EDIT)
        self.loaded = True

    @rx.event
    async def load(self):
        self.query, self.kind, self.notice, self.problem = "", "", "", ""
        self.delete_id = self.delete_name = ""
        try:
            await self._reload()
        except NotSignedIn:
            return
        except ServiceError as exc:
            self.problem = exc.message

    @rx.event
    async def set_query(self, value: str):
        self.query = str(value)[:100]
        try:
            await self._reload()
        except ServiceError as exc:
            self.problem = exc.message

    @rx.event
    async def set_kind(self, value: str):
        self.kind = str(value) if str(value) in KINDS else ""
        try:
            await self._reload()
        except ServiceError as exc:
            self.problem = exc.message

    @rx.event
    async def start_upload(self):
        """The browser sends the chosen files to the media route, then calls `uploaded`."""
        self.notice, self.problem = "", ""
        try:
            await self._actor(Permission.PAGES_EDIT)
        except ServiceError as exc:
            self.problem = exc.message
            return None
        self.uploading = True
        return upload_files(FILE_INPUT_ID, MediaLibraryState.uploaded, MAX_FILES)

    @rx.event
    async def uploaded(self, answers: Any):
        self.uploading = False
        ids, problems = answers_of(answers)
        if ids:
            self.notice = f"Uploaded {len(ids)} file{'s' if len(ids) > 1 else ''}."
        self.plan_limit = plan_limit_of(answers)
        self.problem = " ".join(p for p in problems if p != self.plan_limit)
        try:
            await self._reload()
        except ServiceError as exc:
            self.problem = exc.message

    @rx.event
    async def delete(self):
        asset_id, name = self.delete_id, self.delete_name
        self.delete_id = self.delete_name = ""
        self.notice, self.problem = "", ""
        try:
            actor = await self._actor(Permission.PAGES_EDIT)
            await asyncio.to_thread(
                library.delete_asset,
                actor=actor,
                workspace_id=actor.workspace_id,
                asset_id=uuid.UUID(asset_id),
                ip=client_ip(self),
            )
        except ValueError:
            self.problem = "That file does not exist."
            return
        except ServiceError as exc:
            # Used on a page: the message names the pages to change first.
            self.problem = exc.message
            return
        self.notice = f"“{name}” deleted."
        try:
            await self._reload()
        except ServiceError as exc:
            self.problem = exc.message
