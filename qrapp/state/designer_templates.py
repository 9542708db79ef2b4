"""The workspace's design templates in the designer: list, apply, save and delete. A
mixin of DesignerState (state/designer.py), which supplies _apply_design, _design, _check
and refresh_preview."""

from __future__ import annotations

import asyncio
import uuid

import reflex as rx

from qrapp.core.permissions import Permission
from qrapp.services.codes import design_templates
from qrapp.services.errors import ServiceError
from qrapp.state.base import client_ip, load_actor
from qrapp.state.designer_cards import TemplateCard, template_cards


class DesignTemplatesMixin(rx.State, mixin=True):
    templates: list[TemplateCard] = []
    template_name: str = ""
    template_default: bool = False
    _template_designs: dict[str, dict] = {}
    _defaults: list[str] = []

    async def _load_templates(self, actor) -> None:
        rows = await asyncio.to_thread(design_templates.list_templates, actor=actor)
        cards = await asyncio.to_thread(template_cards, rows)
        self.templates = cards
        self._template_designs = {str(t.id): t.design for t in rows}
        self._defaults = [str(t.id) for t in rows if t.is_default]

    @rx.event
    def apply_template(self, template_id: str):
        design = self._template_designs.get(str(template_id))
        if design is None:
            return rx.toast.error("That template no longer exists.")
        self._apply_design(design)
        self._check()
        return type(self).refresh_preview  # defined by DesignerState

    @rx.event
    def set_template_name(self, value: str):
        self.template_name = str(value)[:60]

    @rx.event
    def set_template_default(self, value: bool):
        self.template_default = bool(value)

    @rx.event
    async def save_template(self):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                design_templates.save_template,
                actor=actor,
                name=self.template_name,
                design=self._design(),
                make_default=self.template_default,
                ip=client_ip(self),
            )
            await self._load_templates(actor)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.template_name, self.template_default = "", False
        return rx.toast.success("Template saved for your workspace.")

    @rx.event
    async def delete_template(self, template_id: str):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                design_templates.delete_template,
                actor=actor,
                template_id=uuid.UUID(str(template_id)),
                ip=client_ip(self),
            )
            await self._load_templates(actor)
        except ValueError:
            return rx.toast.error("That template no longer exists.")
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.toast.success("Template deleted.")
