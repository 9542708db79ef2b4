"""The ingest's share for lead forms: a `{"k":"pl"}` event from the edge (a form that
passed the edge's checks) becomes a lead_submission row, once per event id, in the scan
batch's transaction; page_ingest stores the same event as the page's "lead" event (its
conversion). After the batch commits, the workspace's owners get a mail through Celery.

The edge validated the fields against the published form; here they are only bounded
and cleaned again (a stream message is not trusted to be well formed).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from qrapp.core import routes
from qrapp.core.ids import uuid7
from qrapp.core.permissions import Role
from qrapp.core.visitor import clean_text
from qrapp.db import dialect_insert, table_of, transaction
from qrapp.models import LandingPage, LeadSubmission, Membership, User
from qrapp.services import mail

log = logging.getLogger(__name__)

MAX_FIELDS = 20


def lead_content(data: dict[str, Any]) -> dict[str, Any]:
    """The fields and consent text of a lead event, bounded and cleaned."""
    fields = []
    raw = data.get("fields")
    for item in (raw if isinstance(raw, list) else [])[:MAX_FIELDS]:
        if not isinstance(item, dict):
            continue
        value = str(item.get("value") or "").replace("\r\n", "\n")
        fields.append(
            {
                "name": clean_text(str(item.get("name") or ""), 40),
                "label": clean_text(str(item.get("label") or ""), 120),
                # clean_text would fold a message's line breaks; keep them, drop the rest
                "value": "\n".join(clean_text(line, 5000) for line in value.split("\n"))[:5000],
            }
        )
    return {"fields": fields, "consent": clean_text(str(data.get("consent") or ""), 1000)}


def take_leads(
    rows: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the lead_submission rows, the page rows without their lead content). The input is
    left as it is, so a batch retried event by event finds the content again."""
    leads, pages = [], []
    for r in rows:
        content = r.get("lead")
        pages.append({k: v for k, v in r.items() if k != "lead"})
        if content is not None:
            leads.append(
                {
                    "id": uuid7(),
                    "event_id": r["event_id"],
                    "workspace_id": r["workspace_id"],
                    "page_id": r["page_id"],
                    "block_id": r["target"][:24],
                    "version": r["version"],
                    "fields": content["fields"],
                    "consent_text": content["consent"],
                    "created_at": r["occurred_at"],
                }
            )
    return leads, pages


def store(conn: sa.Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the leads of live pages (ON CONFLICT (event_id) DO NOTHING); the new ones."""
    if not rows:
        return []
    lp = table_of(LandingPage)
    page_ids = sorted({r["page_id"] for r in rows})
    live_q = sa.select(lp.c.id, lp.c.workspace_id).where(lp.c.id.in_(page_ids))
    live = {row[0]: row[1] for row in conn.execute(live_q).all()}
    # A lead belongs to the workspace that owns the page, whatever the event says.
    kept = [r for r in rows if live.get(r["page_id"]) == r["workspace_id"]]
    kept = list({r["event_id"]: r for r in kept}.values())
    if not kept:
        return []
    table = table_of(LeadSubmission)
    stmt = (
        dialect_insert(conn, table)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(table.c.event_id)
    )
    new_ids = set(conn.execute(stmt, kept).scalars().all())
    return [r for r in kept if r["event_id"] in new_ids]


def _mail_text(page_name: str, lead: dict[str, Any]) -> str:
    lines = [f"Someone sent the form on your page “{page_name}”.", ""]
    for item in lead["fields"]:
        lines.append(f"{item['label']}: {item['value']}")
    if lead["consent_text"]:
        lines += ["", f"Consent given: {lead['consent_text']}"]
    when: dt.datetime = lead["created_at"]
    lines += ["", f"Sent at {when:%Y-%m-%d %H:%M} UTC.", ""]
    lines.append(
        "All leads of this page: " + mail.app_link(routes.page_leads(str(lead["page_id"])))
    )
    return "\n".join(lines)


def notify(new_leads: list[dict[str, Any]]) -> None:
    """Queue one mail per new lead to each owner of the page's workspace (after the
    batch's commit; the mail is sent by the Celery worker)."""
    if not new_leads:
        return
    try:
        with transaction() as tx:
            for lead in new_leads:
                page = tx.session.get(LandingPage, lead["page_id"])
                if page is None:
                    continue
                owners = tx.session.exec(
                    select(User.email)
                    .join(Membership, col(Membership.user_id) == col(User.id))
                    .where(
                        col(Membership.workspace_id) == page.workspace_id,
                        col(Membership.role) == Role.OWNER.value,
                    )
                ).all()
                for email in owners:
                    mail.queue_mail(
                        tx,
                        to=email,
                        subject=f"New lead from {' '.join(page.name.split())}"[:150],
                        text=_mail_text(page.name, lead),
                    )
    except Exception:  # the leads are stored; a mail that cannot be queued is logged
        log.exception("could not queue lead mails")
