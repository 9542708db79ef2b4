"""The one-line calls the other services make when something a webhook tells about
happens. Each is cheap when the workspace has no endpoint (one indexed query)."""

from __future__ import annotations

import logging
from typing import Any

from qrapp.db import Transaction
from qrapp.models import BulkJob, LandingPage, QRCode, Subscription
from qrapp.models.audit import AuditAction
from qrapp.services.webhooks import events
from qrapp.services.webhooks.emitting import emit, emit_many, emit_scans

log = logging.getLogger(__name__)

_CODE_EVENTS = {AuditAction.QR_CREATED: "code.created", AuditAction.QR_DELETED: "code.deleted"}


def code_changed(tx: Transaction, code: QRCode, action: AuditAction) -> None:
    """Every audited change of a code: created, deleted, or else updated."""
    event = _CODE_EVENTS.get(action, "code.updated")
    emit(tx, code.workspace_id, event, events.code_data(code))


def page_published(tx: Transaction, page: LandingPage, version: int) -> None:
    data = {"id": str(page.id), "name": page.name, "version": version}
    emit(tx, page.workspace_id, "page.published", data)


def bulk_completed(tx: Transaction, job: BulkJob) -> None:
    data = {
        "id": str(job.id),
        "name": job.name,
        "status": job.status,
        "total": job.total,
        "made": job.processed - job.failed,
        "failed": job.failed,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
    emit(tx, job.workspace_id, "bulk.completed", data)


def subscription_changed(tx: Transaction, sub: Subscription, before: tuple[str, str]) -> None:
    """Only when the plan or its status moved (providers repeat unchanged states)."""
    if (sub.plan, sub.status) == before:
        return
    data = {
        "plan": sub.plan,
        "status": sub.status,
        "previous_plan": before[0] or None,
        "previous_status": before[1] or None,
        "current_period_end": sub.current_period_end.isoformat()
        if sub.current_period_end
        else None,
    }
    emit(tx, sub.workspace_id, "subscription.changed", data)


def ingested(new_scans: list[dict[str, Any]], new_leads: list[dict[str, Any]]) -> None:
    """After the ingest's commit: scan.created in batches, lead.created per lead. A failure
    here is logged, never raised: the batch is stored and must still be acknowledged."""
    try:
        emit_scans(new_scans)
        emit_many("lead.created", [(lead["workspace_id"], _lead_data(lead)) for lead in new_leads])
    except Exception:
        log.exception("could not record the ingest's webhook messages")


def _lead_data(lead: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(lead["id"]),
        "page_id": str(lead["page_id"]),
        "fields": lead["fields"],
        "consent": lead["consent_text"],
        "created_at": lead["created_at"].isoformat(),
    }
