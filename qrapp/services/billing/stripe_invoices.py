"""Stripe invoices as Invoice rows (the list of invoices and receipts on the billing page)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from qrapp.models.billing import Invoice
from qrapp.services.billing import stripe_api


def subscription_id(invoice: dict[str, Any]) -> str:
    """Since API version 2025-03-31 the subscription sits under parent; before, on top."""
    sub = invoice.get("subscription")
    if not sub:
        parent = invoice.get("parent") or {}
        sub = (parent.get("subscription_details") or {}).get("subscription")
    return (sub.get("id", "") if isinstance(sub, dict) else sub) or ""


def _when(ts: Any) -> datetime | None:
    return datetime.fromtimestamp(int(ts), UTC) if ts else None


def status_of(invoice: dict[str, Any]) -> str:
    """Stripe's invoice status -> ours: an open invoice whose charge was tried and failed
    is `failed` (it stays open in Stripe while Stripe retries)."""
    status = invoice.get("status")
    if status == "paid":
        return "paid"
    if status in ("void", "uncollectible"):
        return "failed"
    if status == "open" and invoice.get("attempted") and int(invoice.get("attempt_count") or 0) > 0:
        return "failed"
    return "open"


def upsert(
    session: Session, workspace_id: uuid.UUID, invoice: dict[str, Any], *, plan: str = ""
) -> Invoice:
    row = session.exec(
        select(Invoice).where(
            Invoice.provider == stripe_api.PROVIDER, Invoice.provider_id == invoice["id"]
        )
    ).first()
    if row is None:
        row = Invoice(
            workspace_id=workspace_id, provider=stripe_api.PROVIDER, provider_id=invoice["id"]
        )
    transitions = invoice.get("status_transitions") or {}
    row.plan = plan or row.plan
    row.number = invoice.get("number") or invoice["id"]
    row.amount = int(invoice.get("total") or invoice.get("amount_due") or 0)
    row.currency = str(invoice.get("currency") or "").upper()
    row.status = status_of(invoice)
    row.period_start = _when(invoice.get("period_start"))
    row.period_end = _when(invoice.get("period_end"))
    row.paid_at = _when(transitions.get("paid_at"))
    row.hosted_url = invoice.get("hosted_invoice_url") or ""
    session.add(row)
    session.flush()
    return row
