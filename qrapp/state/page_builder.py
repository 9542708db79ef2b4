"""The landing-page builder (/landing-pages/<id>): the block list, the property forms, page
settings, undo/redo, autosave, the live preview; publishing, versions and templates are
the PagePublishingMixin (state/page_publishing.py), the view models in
state/page_builder_views.py.

The document lives in a backend-only var; the browser gets small views of it. Every edit
handler checks PAGES_EDIT, applies one validated edit (state/page_doc_ops.py), records the
previous document for undo, redraws the preview and schedules the autosave: a background
task that waits for a pause in the edits and saves the draft with its base revision, so a
tab that is behind another one is refused ("conflict") instead of overwriting it.

Over 400 lines: one state holds the document so every edit, undo, autosave and preview
see the same backend-only var; the pure edits are in state/page_doc_ops.py.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import uuid
from collections.abc import Callable
from typing import Any

import reflex as rx

from qrapp.core import routes
from qrapp.core.pages.blocks import REGISTRY
from qrapp.core.pages.document import DocumentError, PageSettings, parse_document
from qrapp.core.permissions import Permission
from qrapp.core.plans import Resource
from qrapp.services.billing import read_only
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.services.media.library import list_assets
from qrapp.services.pages import editing
from qrapp.services.pages.page_media import workspace_asset
from qrapp.state import page_doc_ops as ops
from qrapp.state.base import landing_page_id_from_path, load_actor
from qrapp.state.media_upload import answers_of, upload_files
from qrapp.state.page_builder_views import (
    PICKER_KINDS,
    UPLOAD_TARGET,
    BlockView,
    VersionView,
    block_views,
    upload_input_id,
    version_views,
)
from qrapp.state.page_domain import PageDomainMixin, page_public_url
from qrapp.state.page_fields import FieldView, OptionView, field_views
from qrapp.state.page_publishing import CONFLICT, PagePublishingMixin

log = logging.getLogger(__name__)

# The autosave waits for this pause in the edits (typing is debounced 300 ms before it).
AUTOSAVE_PAUSE_S = 0.8
VIEWER_NOTE = "You can look at this page; your role does not allow changing it."
PREVIEW_WIDTHS = {"phone": "390px", "tablet": "768px", "desktop": "100%"}


class BuilderState(PagePublishingMixin, PageDomainMixin, rx.State):
    found: bool = True
    loaded: bool = False
    page_id: str = ""
    name: str = ""
    status: str = ""
    public_url: str = ""
    leads_href: str = ""
    can_edit: bool = False
    blocks: list[BlockView] = []
    block_ids: list[str] = []
    selected_id: str = ""
    selected_title: str = ""
    block_fields: list[FieldView] = []
    settings_fields: list[FieldView] = []
    problem: str = ""  # the document's first problem, in words ("" = none)
    save_status: str = "saved"  # saved | saving | conflict | invalid | error
    save_message: str = ""
    preview: str = ""
    preview_width: str = "phone"
    panel: str = "block"  # block | page | versions
    versions: list[VersionView] = []
    can_undo: bool = False
    can_redo: bool = False
    plan_limit: str = ""  # read-only beyond the plan, or a refused edit: with a plans link

    uploading: str = ""  # the asset field an upload is running for

    _doc: dict[str, Any] = {}
    _workspace_id: str = ""
    _upload_block: str = ""  # the block an upload was started for (uploading: its field)
    _assets: dict[str, list[OptionView]] = {}
    _revision: int = 0
    _undo: list[dict[str, Any]] = []
    _redo: list[dict[str, Any]] = []
    _edit_seq: int = 0
    _saved_seq: int = 0
    _saving: bool = False

    @rx.var
    def frame_width(self) -> str:
        return PREVIEW_WIDTHS.get(self.preview_width, "390px")

    # ---- loading ---------------------------------------------------------------------

    def _holds_unsaved_work(self) -> bool:
        """Whether this tab has edits of the page it shows that are not stored yet (or
        were refused as stale): a second load of the same page must not drop them."""
        try:
            same = self.loaded and self.page_id == str(landing_page_id_from_path(self))
        except ValueError:
            return False
        pending = self._edit_seq > self._saved_seq or self._saving
        return same and (pending or self.save_status == "conflict")

    @rx.event
    async def load(self):
        if self._holds_unsaved_work():
            # A websocket reconnect runs the page's load again: reloading the stored draft
            # here would silently drop the tab's unsaved edits. Keep them and their base
            # revision; the save that follows stores them, or says another tab was first.
            return
        self.loaded, self.found = False, True
        self.panel, self.selected_id, self.template_open = "block", "", False
        self._undo, self._redo = [], []
        self._edit_seq = self._saved_seq = 0
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            page = await asyncio.to_thread(
                editing.get_page, actor=actor, page_id=landing_page_id_from_path(self)
            )
            versions = await asyncio.to_thread(editing.list_versions, actor=actor, page_id=page.id)
        except NotSignedIn:
            return  # the page's guard already went to the login page
        except (ValueError, ServiceError):
            self.found, self.loaded = False, True
            return
        self.can_edit = actor.can(Permission.PAGES_EDIT)
        self._workspace_id = str(page.workspace_id)
        await self._load_assets(actor)
        self.page_id, self.name = str(page.id), page.name
        await self._load_domains(page)
        self._show_page(page)
        self._set_versions(versions)
        self._doc, self._revision = copy.deepcopy(page.draft), page.draft_revision
        self.save_status, self.save_message = "saved", ""
        self.plan_limit = await asyncio.to_thread(
            read_only.reason_for, actor=actor, resource=Resource.LANDING_PAGES, item_id=page.id
        )
        await self._redraw()
        self.loaded = True

    async def _load_assets(self, actor) -> None:
        """The workspace's files for the asset pickers, by picker kind."""
        try:
            found = await asyncio.to_thread(
                list_assets, actor=actor, workspace_id=uuid.UUID(self._workspace_id)
            )
        except ServiceError:
            found = []
        self._assets = {
            kind: [
                OptionView(value=a.id, label=f"{a.name} ({a.kind})" if kind == "file" else a.name)
                for a in found
                if a.kind in kinds
            ]
            for kind, kinds in PICKER_KINDS.items()
        }

    def _show_page(self, page) -> None:
        self.status, self.name = page.status, page.name
        self.public_url = page_public_url(page) if page.status == "published" else ""
        self.leads_href = routes.page_leads(str(page.id))

    def _set_versions(self, versions) -> None:
        self.versions = version_views(versions)

    # ---- views of the document -----------------------------------------------------

    def _refresh_views(self) -> None:
        blocks = self._doc.get("blocks", [])
        self.blocks = block_views(blocks)
        self._put(block_ids=[b["id"] for b in self.blocks])
        if self.selected_id not in self.block_ids:
            self.selected_id = ""
        self._refresh_form()
        self._put(
            settings_fields=field_views(PageSettings, self._doc.get("settings") or {}),
            can_undo=bool(self._undo),
            can_redo=bool(self._redo),
        )

    def _put(self, **values: Any) -> None:
        """Assign only what changed: an assigned var goes to the browser and re-renders
        there even when equal (a drop changes the list, not the settings form)."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _refresh_form(self) -> None:
        if not self.selected_id:
            self.block_fields, self.selected_title = [], ""
            return
        blk = ops.block(self._doc, self.selected_id)
        kind = REGISTRY.get(str(blk.get("type")))
        if kind is None:
            self.block_fields, self.selected_title = [], ""
            return
        self._put(
            selected_title=kind.title,
            block_fields=field_views(kind.props_model, blk.get("props") or {}, assets=self._assets),
        )

    async def _redraw(self) -> None:
        """Views, the first problem, and the preview (kept as it was while the document
        has a problem, so the person sees the last good page and the message)."""
        self._refresh_views()
        try:
            doc = parse_document(self._doc)
        except DocumentError as exc:
            self.problem = exc.message
            return
        self.problem = ""
        workspace = uuid.UUID(self._workspace_id) if self._workspace_id else None
        self.preview = await asyncio.to_thread(
            editing.preview_html, doc.model_dump(mode="json"), workspace_id=workspace
        )

    # ---- editing ---------------------------------------------------------------------

    async def _edit(self, change: Callable[[dict[str, Any]], Any]):
        """Apply one edit; returns the autosave event, or a toast when it is refused."""
        try:
            await load_actor(self, Permission.PAGES_EDIT)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        if not self.page_id:
            return None
        before = copy.deepcopy(self._doc)
        try:
            result = change(self._doc)
        except ops.EditRefused as exc:
            self._doc = before
            return rx.toast.error(exc.message)
        if result is False:  # nothing changed (a drop where the block already was)
            return None
        self._undo = ops.push_history(self._undo, before)
        self._redo = []
        return await self._changed()

    async def _changed(self):
        self._edit_seq += 1
        self.save_status, self.save_message = "saving", ""
        await self._redraw()
        return BuilderState.autosave

    @rx.event
    async def insert_block(self, type_key: str, index: int):
        new_id: list[str] = []
        out = await self._edit(lambda d: new_id.append(ops.insert_block(d, type_key, index)))
        if new_id:
            self.selected_id, self.panel = new_id[0], "block"
            self._refresh_form()
        return out

    @rx.event
    async def add_block(self, type_key: str):
        """The palette's button (keyboard and click): after the selected block, else last."""
        ids = self.block_ids
        index = ids.index(self.selected_id) + 1 if self.selected_id in ids else len(ids)
        return await self.insert_block(type_key, index)

    @rx.event
    async def move_block(self, block_id: str, new_index: int):
        return await self._edit(lambda d: ops.move_block(d, block_id, new_index))

    @rx.event
    async def move_by(self, block_id: str, step: int):
        """Move up (-1) / Move down (+1): the keyboard way to reorder."""
        if str(block_id) not in self.block_ids or step not in (-1, 1):
            return None
        target = self.block_ids.index(str(block_id)) + step
        if not 0 <= target < len(self.block_ids):
            return None
        return await self._edit(lambda d: ops.move_block(d, block_id, target))

    @rx.event
    async def remove_block(self, block_id: str):
        return await self._edit(lambda d: ops.remove_block(d, block_id))

    @rx.event
    async def duplicate_block(self, block_id: str):
        return await self._edit(lambda d: ops.duplicate_block(d, block_id))

    @rx.event
    def select_block(self, block_id: str):
        self.selected_id = str(block_id) if str(block_id) in self.block_ids else ""
        self.panel = "block"
        self._refresh_form()

    @rx.event
    async def set_prop(self, key: str, value: Any):
        block_id = self.selected_id
        return await self._edit(lambda d: ops.set_prop(d, block_id, key, value))

    @rx.event
    async def set_item(self, key: str, index: int, sub: str, value: Any):
        block_id = self.selected_id
        return await self._edit(lambda d: ops.set_item(d, block_id, key, index, sub, value))

    @rx.event
    async def add_item(self, key: str):
        block_id = self.selected_id
        return await self._edit(lambda d: ops.add_item(d, block_id, key))

    @rx.event
    async def remove_item(self, key: str, index: int):
        block_id = self.selected_id
        return await self._edit(lambda d: ops.remove_item(d, block_id, key, index))

    # ---- uploads for asset fields -----------------------------------------------------

    @rx.event
    async def start_upload(self, target: str):
        """Send the chosen file of an asset field to the media upload route; the browser
        answers `asset_uploaded` with what the route said."""
        target = str(target)
        try:
            await load_actor(self, Permission.PAGES_EDIT)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        if not UPLOAD_TARGET.match(target) or not self.selected_id:
            return None
        # Where the file goes is remembered here, not taken back from the browser.
        self.uploading, self._upload_block = target, self.selected_id
        return upload_files(upload_input_id(target), BuilderState.asset_uploaded, max_files=1)

    @rx.event
    async def asset_uploaded(self, answers: Any):
        """The upload route's answers ({id, kind, name, url} or {error}); the id is used
        only when it is a file of this page's workspace."""
        target, block_id = self.uploading, self._upload_block
        self.uploading = ""
        ids, errors = answers_of(answers)
        if errors or not ids or not target:
            return rx.toast.error(errors[0] if errors else "The upload failed. Try again.")
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        ref = await asyncio.to_thread(workspace_asset, uuid.UUID(self._workspace_id), ids[0])
        if ref is None:
            return rx.toast.error("That file is not in this workspace's media.")
        await self._load_assets(actor)
        value = ref.asset_id
        key, _, rest = target.partition("|")
        if rest:
            index, _, sub = rest.partition("|")
            return await self._edit(
                lambda d: ops.set_item(d, block_id, key, int(index), sub, value)
            )
        return await self._edit(lambda d: ops.set_prop(d, block_id, key, value))

    @rx.event
    async def set_setting(self, key: str, value: Any):
        return await self._edit(lambda d: ops.set_setting(d, key, value))

    @rx.event
    async def undo(self):
        return await self._step(self._undo, self._redo)

    @rx.event
    async def redo(self):
        return await self._step(self._redo, self._undo)

    async def _step(self, source: list, target: list):
        try:
            await load_actor(self, Permission.PAGES_EDIT)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        if not source:
            return None
        target.append(copy.deepcopy(self._doc))
        self._doc = source.pop()
        # Reassigned so Reflex sees the backend vars changed.
        self._undo, self._redo = list(self._undo), list(self._redo)
        return await self._changed()

    # ---- small view switches -------------------------------------------------------

    @rx.event
    def set_panel(self, panel: str):
        self.panel = panel if panel in ("block", "page", "versions") else "block"

    @rx.event
    def set_preview_width(self, width: str):
        self.preview_width = width if width in PREVIEW_WIDTHS else "phone"

    # ---- autosave ----------------------------------------------------------------------

    @rx.event(background=True)
    async def autosave(self):
        async with self:
            seq = self._edit_seq
        await asyncio.sleep(AUTOSAVE_PAUSE_S)
        async with self:
            if seq != self._edit_seq or self._saving or self._saved_seq >= seq:
                return  # a later edit saves (or is saving) this one too
            if self.save_status == "conflict" or not self.page_id:
                return
            if self.problem:
                self.save_status, self.save_message = "invalid", self.problem
                return
            try:
                actor = await load_actor(self, Permission.PAGES_EDIT)
            except ServiceError as exc:
                self.save_status, self.save_message = "error", exc.message
                return
            self._saving = True
            doc, base, page_id = copy.deepcopy(self._doc), self._revision, self.page_id
        status, message, revision = "saved", "", None
        try:
            revision = await asyncio.to_thread(
                editing.save_draft,
                actor=actor,
                page_id=uuid.UUID(page_id),
                document=doc,
                base_revision=base,
            )
        except editing.StaleDraft:
            status, message = "conflict", CONFLICT
        except (DocumentError, ServiceError) as exc:
            status, message = "invalid", exc.message
            if isinstance(exc, PlanLimitReached):
                status = "error"
                async with self:
                    self.plan_limit = exc.message
        except Exception:
            log.exception("saving a page draft failed")
            status, message = "error", "The draft could not be saved. Try again."
        async with self:
            self._saving = False
            if revision is not None:
                self._revision, self._saved_seq = revision, seq
            if status == "saved" and self._edit_seq != seq:
                status = "saving"  # edits arrived meanwhile: save them too
            self.save_status, self.save_message = status, message
            again = status == "saving"
        if again:
            yield BuilderState.autosave

    async def _flush(self, actor) -> bool:
        """Save now what the autosave has not saved yet (before publish); False when the
        draft cannot be saved (the status says why)."""
        if self._saved_seq >= self._edit_seq:
            return True
        if self._saving:
            # The autosave is writing this very draft: a second save on the same base
            # revision would be refused as stale.
            self.save_message = "Still saving — try again in a moment."
            return False
        if self.problem:
            self.save_status, self.save_message = "invalid", self.problem
            return False
        try:
            self._revision = await asyncio.to_thread(
                editing.save_draft,
                actor=actor,
                page_id=uuid.UUID(self.page_id),
                document=copy.deepcopy(self._doc),
                base_revision=self._revision,
            )
        except editing.StaleDraft:
            self.save_status, self.save_message = "conflict", CONFLICT
            return False
        except (DocumentError, ServiceError) as exc:
            self.save_status, self.save_message = "invalid", exc.message
            if isinstance(exc, PlanLimitReached):
                self.plan_limit = exc.message
            return False
        self._saved_seq = self._edit_seq
        self.save_status, self.save_message = "saved", ""
        return True

    @rx.event
    async def reload(self):
        # The person chose to drop this tab's edits for the stored draft: the load after
        # the browser's reload must read it (see _holds_unsaved_work).
        self.loaded = False
        return rx.call_script("window.location.reload()")
