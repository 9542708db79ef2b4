"""Settings -> Brand: the workspace's brand (white label) and a preview of every page it
shows on. Every handler loads the actor and checks BRAND_MANAGE (the service checks again,
scopes by workspace and gates by plan); ids and colours from the browser are checked by
the service, never trusted."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from qrapp.core.brand import HEX
from qrapp.core.permissions import Permission
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.services.media import library
from qrapp.services.workspaces import brand
from qrapp.state.base import client_ip, load_actor
from qrapp.state.brand_preview import previews
from qrapp.state.media_upload import answers_of, upload_files

LOGO_INPUT_ID = "brand-logo-file"

FIELDS = (
    "name",
    "logo_asset_id",
    "favicon_asset_id",
    "primary_colour",
    "accent_colour",
    "support_email",
)


class BrandState(rx.State):
    can_manage: bool = False
    can_brand: bool = False
    white_label: bool = False
    plan_name: str = ""
    workspace_name: str = ""
    name: str = ""
    logo_asset_id: str = ""
    favicon_asset_id: str = ""
    primary_colour: str = ""
    accent_colour: str = ""
    support_email: str = ""
    images: list[list[str]] = []  # [id, name, url] of the workspace's images
    uploading: bool = False
    # Each field's message from the service ("" = fine)
    name_error: str = ""
    logo_asset_id_error: str = ""
    favicon_asset_id_error: str = ""
    primary_colour_error: str = ""
    accent_colour_error: str = ""
    support_email_error: str = ""
    error: str = ""
    notice: str = ""
    plan_limit: str = ""
    preview_landing: str = ""
    preview_password: str = ""
    preview_expired: str = ""
    preview_thanks: str = ""

    async def _actor(self):
        try:
            return await load_actor(self, Permission.BRAND_MANAGE)
        except ServiceError as exc:
            self.can_manage = False
            self.error = exc.message
            return None

    def _set_errors(self, errors: dict[str, str]) -> None:
        for f in FIELDS:
            setattr(self, f"{f}_error", errors.get(f, ""))

    def _apply(self, view: brand.BrandView) -> None:
        self.can_brand, self.white_label = view.can_brand, view.white_label
        self.plan_name, self.workspace_name = view.plan_name, view.workspace_name
        for f in FIELDS:
            setattr(self, f, getattr(view, f))

    def _draft_look(self) -> dict[str, Any]:
        """What visitors would see with the fields as they are now (unsaved included)."""
        if not self.can_brand:
            return {}
        urls = {row[0]: row[2] for row in self.images}

        def colour(value: str) -> str:
            value = value.strip().lower()
            value = value if value.startswith("#") or not value else "#" + value
            return value if HEX.match(value) else ""

        return {
            "name": self.name.strip() or self.workspace_name,
            "logo": urls.get(self.logo_asset_id, ""),
            "favicon": urls.get(self.favicon_asset_id, ""),
            "primary": colour(self.primary_colour),
            "accent": colour(self.accent_colour),
            "support_email": self.support_email.strip(),
            "powered_by": not self.white_label,
        }

    async def _refresh_preview(self) -> None:
        out = await asyncio.to_thread(previews, self._draft_look())
        self.preview_landing, self.preview_password = out["landing"], out["password"]
        self.preview_expired, self.preview_thanks = out["expired"], out["thanks"]

    @rx.event
    async def load(self):
        self.error = self.notice = self.plan_limit = ""
        self._set_errors({})
        actor = await self._actor()
        self.can_manage = actor is not None
        if actor is None:
            self.error = ""  # the page says who may use it instead
            return
        view = await asyncio.to_thread(brand.get_brand, actor=actor)
        await self._load_images(actor)
        self._apply(view)
        await self._refresh_preview()

    async def _load_images(self, actor) -> None:
        assets = await asyncio.to_thread(
            library.list_assets, actor=actor, workspace_id=actor.workspace_id, kind="image"
        )
        self.images = [[a.id, a.name, a.thumb_url or a.url] for a in assets]

    @rx.event
    def start_logo_upload(self):
        """A file was chosen: the browser posts it to the media route (qrapp.state.
        media_upload), which checks it and stores it in the media library."""
        self.uploading, self.error, self.notice = True, "", ""
        return upload_files(LOGO_INPUT_ID, BrandState.logo_uploaded, 1)

    @rx.event
    async def logo_uploaded(self, answers: Any):
        self.uploading = False
        ids, problems = answers_of(answers)
        actor = await self._actor()
        if actor is None:
            return
        await self._load_images(actor)
        # Only an id found among this workspace's images is used (never the browser's word).
        known = {row[0] for row in self.images}
        new = next((i for i in ids if i in known), "")
        if problems or not new:
            self.error = " ".join(problems) or "The file could not be used as a logo."
            return
        self.logo_asset_id = new
        self.notice = "Logo uploaded to the media library. Save the brand to use it."
        await self._refresh_preview()

    @rx.event
    async def set_draft(self, field: str, value: str):
        """A field changed in the form: the preview follows at once (nothing is saved)."""
        if field in FIELDS and isinstance(value, str):
            setattr(self, field, value[:300])
            await self._refresh_preview()

    @rx.event
    async def save(self, form: dict):
        self.error = self.notice = self.plan_limit = ""
        self._set_errors({})
        actor = await self._actor()
        if actor is None:
            return
        values = {f: str(form.get(f) or "")[:300] for f in FIELDS}
        for f, v in values.items():
            setattr(self, f, v)
        try:
            view = await asyncio.to_thread(
                brand.save_brand,
                actor=actor,
                data=brand.BrandInput(**values),
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self._set_errors(exc.errors)
            self.error = "Please correct the highlighted fields."
            return
        except PlanLimitReached as exc:
            self.plan_limit = exc.message
            return
        except ServiceError as exc:
            self.error = exc.message
            return
        self._apply(view)
        await self._refresh_preview()
        self.notice = "Brand saved. Your pages show it on the next visit."
