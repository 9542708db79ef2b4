"""A page's leads: the table the owner reads, the CSV/XLSX export and deleting a lead
(a visitor's right to be forgotten). Stored by the ingest (services.scans.lead_ingest).

Reading needs WORKSPACE_VIEW, exporting ANALYTICS_EXPORT, deleting PAGES_EDIT; every
query is scoped by the actor's workspace, and another workspace's page or lead is "not
found". Exports and deletions are audited (without the lead's content).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models import LeadSubmission
from qrapp.services import audit
from qrapp.services.analytics.exports import Export, neutralise
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.errors import NotFound, ServiceError
from qrapp.services.pages.common import page_in_workspace_or_raise

MAX_ROWS = 10_000  # per table and export: far above a page's leads in practice
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class LeadsTable:
    page_name: str
    columns: list[tuple[str, str]]  # (field name, label), in the forms' order
    leads: list[LeadSubmission]  # newest first

    def cells(self, lead: LeadSubmission) -> list[str]:
        """The lead's values in column order ("" where its form had no such field)."""
        values = {f.get("name"): str(f.get("value", "")) for f in lead.fields or []}
        return [values.get(name, "") for name, _label in self.columns]


def _columns(rows: list[LeadSubmission]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for lead in reversed(rows):  # oldest first: the order the fields first appeared in;
        for f in lead.fields or []:  # the newest label wins
            seen[str(f.get("name", ""))] = str(f.get("label", ""))
    return list(seen.items())


def leads_table(*, actor: Actor, page_id: uuid.UUID, limit: int = MAX_ROWS) -> LeadsTable:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        page = page_in_workspace_or_raise(s, workspace_id, page_id)
        rows = list(
            s.exec(
                select(LeadSubmission)
                .where(
                    col(LeadSubmission.workspace_id) == workspace_id,
                    col(LeadSubmission.page_id) == page.id,
                )
                .order_by(col(LeadSubmission.created_at).desc(), col(LeadSubmission.id).desc())
                .limit(max(1, min(limit, MAX_ROWS)))
            ).all()
        )
    return LeadsTable(page_name=page.name, columns=_columns(rows), leads=rows)


def _sheet(table: LeadsTable) -> list[list[str]]:
    header = ["Sent at (UTC)", *[label for _n, label in table.columns], "Consent"]
    rows = [header]
    for lead in table.leads:
        when: dt.datetime = lead.created_at
        rows.append([f"{when:%Y-%m-%d %H:%M:%S}", *table.cells(lead), lead.consent_text])
    return [[neutralise(cell) for cell in row] for row in rows]


def _filename(name: str, fmt: str) -> str:
    stem = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in name.lower())
    stem = "-".join(p for p in stem.split("-") if p)[:60] or "page"
    return f"leads-{stem}.{fmt}"


def export_leads(
    *, actor: Actor, page_id: uuid.UUID, fmt: str, ip: str = ""
) -> tuple[Export, bytes]:
    """The page's leads as CSV or XLSX, every cell neutralised against formulas."""
    if fmt not in ("csv", "xlsx"):
        raise ServiceError("Choose CSV or XLSX.")
    workspace_id = require(actor, Permission.ANALYTICS_EXPORT)
    table = leads_table(actor=actor, page_id=page_id)
    sheet = _sheet(table)
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(sheet)
        body = ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8
        export = Export(_filename(table.page_name, "csv"), "text/csv; charset=utf-8")
    else:
        body = _xlsx(sheet)
        export = Export(_filename(table.page_name, "xlsx"), XLSX)
    with transaction() as tx:
        audit.record(
            tx.session,
            action=AuditAction.LEADS_EXPORTED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="landing_page",
            target_id=str(page_id),
            ip=ip,
            details={"format": fmt, "rows": len(table.leads)},
        )
    return export, body


def _xlsx(sheet: list[list[str]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    ws = book.add_worksheet("Leads")
    bold = book.add_format({"bold": True})
    for r, row in enumerate(sheet):
        for c, cell in enumerate(row):
            ws.write_string(r, c, cell, bold if r == 0 else None)
    book.close()
    return out.getvalue()


def delete_lead(*, actor: Actor, lead_id: uuid.UUID, ip: str = "") -> None:
    """Delete one lead for good (the visitor asked to be forgotten); audited without its
    content."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    with transaction() as tx:
        lead = tx.session.get(LeadSubmission, lead_id)
        if lead is None or lead.workspace_id != workspace_id:
            raise NotFound("lead")
        details: dict[str, Any] = {"page_id": str(lead.page_id), "block_id": lead.block_id}
        tx.session.delete(lead)
        audit.record(
            tx.session,
            action=AuditAction.LEAD_DELETED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="lead",
            target_id=str(lead_id),
            ip=ip,
            details=details,
        )
