"""A landing page's leads (/landing-pages/<id>/leads): the table, the CSV/XLSX links and
deleting a lead (confirmed). Rows are small view models; lead ids are the only ids sent,
and every handler reloads the actor and goes through services.pages.leads, which checks
the permission and the workspace."""

from __future__ import annotations

import asyncio
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.services.pages import leads
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, landing_page_id_from_path, load_actor


class LeadRow(TypedDict):
    id: str
    sent: str
    cells: list[str]
    consent: str


class PageLeadsState(rx.State):
    loaded: bool = False
    found: bool = True
    page_name: str = ""
    builder_href: str = ""
    columns: list[str] = []
    rows: list[LeadRow] = []
    csv_href: str = ""
    xlsx_href: str = ""
    can_export: bool = False
    can_delete: bool = False
    delete_id: str = ""

    @rx.event
    async def load(self):
        self.delete_id = ""
        try:
            page_id = landing_page_id_from_path(self, "leads")
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            table = await asyncio.to_thread(leads.leads_table, actor=actor, page_id=page_id)
        except NotSignedIn:
            return
        except (ValueError, ServiceError):
            self.found, self.loaded = False, True
            return
        self.found = True
        self.page_name = table.page_name
        self.builder_href = routes.landing_page(str(page_id))
        self.columns = [label for _name, label in table.columns]
        self.rows = [
            LeadRow(
                id=str(lead.id),
                sent=lead.created_at.strftime("%Y-%m-%d %H:%M"),
                cells=table.cells(lead),
                consent="Yes" if lead.consent_text else "",
            )
            for lead in table.leads
        ]
        # The backend's file route (another origin in development).
        base = get_settings().public_api_url
        self.csv_href = base + routes.leads_export(str(page_id), "csv")
        self.xlsx_href = base + routes.leads_export(str(page_id), "xlsx")
        self.can_export = actor.can(Permission.ANALYTICS_EXPORT)
        self.can_delete = actor.can(Permission.PAGES_EDIT)
        self.loaded = True

    @rx.event
    def ask_delete(self, lead_id: str):
        self.delete_id = next((r["id"] for r in self.rows if r["id"] == str(lead_id)), "")

    @rx.event
    def cancel_delete(self, _open: bool = False):
        self.delete_id = ""

    @rx.event
    async def delete(self):
        lead_id, self.delete_id = self.delete_id, ""
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
            await asyncio.to_thread(
                leads.delete_lead, actor=actor, lead_id=uuid.UUID(lead_id), ip=client_ip(self)
            )
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That lead does not exist."))
        self.rows = [r for r in self.rows if r["id"] != lead_id]
        return rx.toast.success("Lead deleted.")
