"""Publishing, versions and "save as template" of the landing-page builder: a mixin of
the one BuilderState (state/page_builder.py), so the handlers see its document, its
autosave (`_flush`) and its history, and the browser's event names stay the same.
"""

from __future__ import annotations

import asyncio
import copy
import uuid

import reflex as rx

from qrapp.core.pages.document import DocumentError
from qrapp.core.permissions import Permission
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import ServiceError
from qrapp.services.pages import editing
from qrapp.state import page_doc_ops as ops
from qrapp.state.base import client_ip, load_actor

CONFLICT = "Conflict: this page was changed elsewhere — reload"


class PagePublishingMixin(rx.State, mixin=True):
    publishing: bool = False
    template_open: bool = False
    template_error: str = ""

    # ---- publishing and versions -------------------------------------------------------

    async def _reload_meta(self, actor) -> None:
        """Status, address and versions after a publish, unpublish or restore."""
        page_id = uuid.UUID(self.page_id)
        page = await asyncio.to_thread(editing.get_page, actor=actor, page_id=page_id)
        versions = await asyncio.to_thread(editing.list_versions, actor=actor, page_id=page_id)
        self._show_page(page)
        self._set_versions(versions)

    @rx.event
    async def publish(self):
        self.publishing = True
        yield
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
            if not await self._flush(actor):
                yield rx.toast.error(self.save_message)
                return
            # With the revision on screen: what goes live is what the person saw.
            await asyncio.to_thread(
                editing.publish,
                actor=actor,
                page_id=uuid.UUID(self.page_id),
                revision=self._revision,
                ip=client_ip(self),
            )
            await self._reload_meta(actor)
        except editing.StaleDraft:
            self.save_status, self.save_message = "conflict", CONFLICT
            yield rx.toast.error(CONFLICT)
            return
        except (DocumentError, ServiceError) as exc:
            if isinstance(exc, PlanLimitReached):
                self.plan_limit = exc.message
            yield rx.toast.error(exc.message)
            return
        finally:
            self.publishing = False
        yield rx.toast.success("Published. The page is live.")

    @rx.event
    async def unpublish(self):
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
            await asyncio.to_thread(
                editing.unpublish,
                actor=actor,
                page_id=uuid.UUID(self.page_id),
                ip=client_ip(self),
            )
            await self._reload_meta(actor)
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That page does not exist."))
        return rx.toast.success("Unpublished. Visitors no longer see the page.")

    @rx.event
    async def restore(self, number: int):
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
            if not await self._flush(actor):
                return rx.toast.error(self.save_message)
            await asyncio.to_thread(
                editing.restore_version,
                actor=actor,
                page_id=uuid.UUID(self.page_id),
                number=int(number),
                ip=client_ip(self),
            )
            page = await asyncio.to_thread(
                editing.get_page, actor=actor, page_id=uuid.UUID(self.page_id)
            )
            await self._reload_meta(actor)
        except (ValueError, TypeError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That version does not exist."))
        self._undo = ops.push_history(self._undo, self._doc)
        self._redo = []
        self._doc, self._revision = copy.deepcopy(page.draft), page.draft_revision
        self._saved_seq = self._edit_seq
        self.save_status, self.save_message = "saved", ""
        await self._redraw()
        return rx.toast.success(
            f"Version {int(number)} is the draft again. Publish to make it live."
        )

    @rx.event
    def set_template_open(self, value: bool):
        self.template_open, self.template_error = bool(value), ""

    @rx.event
    async def save_as_template(self, form: dict):
        name = str(form.get("name", "")).strip()[:80]
        description = str(form.get("description", "")).strip()[:300]
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
            if not await self._flush(actor):
                self.template_error = self.save_message
                return None
            await asyncio.to_thread(
                editing.save_as_template,
                actor=actor,
                page_id=uuid.UUID(self.page_id),
                name=name,
                description=description,
                ip=client_ip(self),
            )
        except ServiceError as exc:
            self.template_error = exc.message
            return None
        self.template_open, self.template_error = False, ""
        return rx.toast.success(f"Saved as the template “{name}”.")
