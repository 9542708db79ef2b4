"""Refunding a Swish payment in full (Refunds API v2), and what it does to the plan.

A refund is its own request with our own instruction id; Swish calls back when it is paid
out, and as with payments the callback only makes us read the refund from Swish. The
receipt reads "refunded" and the paid time the payment bought ends once Swish says PAID.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlmodel import Session, select

from qrapp.core.permissions import Permission
from qrapp.db import Transaction, transaction
from qrapp.models.audit import AuditAction
from qrapp.models.billing import Invoice
from qrapp.models.billing_swish import PAID, SwishPayment
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.billing import subscriptions
from qrapp.services.billing.entitlements import lock_workspace
from qrapp.services.billing.swish_api import INSTRUCTION_ID, SwishApi, callback_url, money
from qrapp.services.errors import NotFound, ServiceError
from qrapp.settings import get_settings


def refund(*, actor: Actor, invoice_id: uuid.UUID) -> str:
    """Give a Swish payment back in full; the paid time it bought ends. Owners only.
    Returns Swish's refund status; the receipt reads "refunded" once Swish paid it out."""
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    refund_id = uuid.uuid4().hex.upper()
    with transaction() as tx:
        lock_workspace(tx.session, workspace_id)
        invoice, row = _swish_invoice_or_raise(tx.session, workspace_id, invoice_id)
        if invoice.status != "paid":
            raise ServiceError("Only a paid receipt can be refunded.")
        if row.refund_id and row.refund_status != "ERROR":
            raise ServiceError("This payment is already being refunded.")
        row.refund_id, row.refund_status = refund_id, ""
        tx.session.add(row)
    body = {
        "originalPaymentReference": row.payment_reference,
        "callbackUrl": callback_url(),
        "payerAlias": get_settings().swish_payee_alias,
        "amount": money(invoice.amount),
        "currency": "SEK",
        "message": f"Refund {invoice.number}",
    }
    api = SwishApi()
    try:
        api.create_refund(refund_id, body)
    except ServiceError:
        with transaction() as tx:  # refused: a new refund may be asked for later
            failed = tx.session.get(SwishPayment, row.id)
            if failed is not None:
                failed.refund_status = "ERROR"
                tx.session.add(failed)
        raise
    with transaction() as tx:  # recorded once Swish has taken the refund, not before
        audit.record(
            tx.session,
            action=AuditAction.BILLING_SWISH_REFUNDED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="invoice",
            target_id=str(invoice.id),
            details={"swish_payment": row.id, "refund": refund_id},
        )
    return _apply_refund(refund_id, api.refund(refund_id))


def refresh_refund(refund_id: str) -> str:
    """The refund callback's counterpart of `refresh`: read it from Swish, then act."""
    if not INSTRUCTION_ID.fullmatch(refund_id):
        raise NotFound("refund")
    return _apply_refund(refund_id, SwishApi().refund(refund_id))


def _apply_refund(refund_id: str, remote: dict[str, Any]) -> str:
    status = str(remote.get("status", ""))
    now = utcnow()
    with transaction() as tx:
        found = select(SwishPayment).where(SwishPayment.refund_id == refund_id)
        row = tx.session.exec(found).first()
        if row is None or row.invoice_id is None:
            raise NotFound("refund")
        lock_workspace(tx.session, row.workspace_id)
        # Read again under the lock: the refund's callback and our own read may race.
        tx.session.refresh(row)
        invoice = tx.session.get(Invoice, row.invoice_id, populate_existing=True)
        assert invoice is not None
        row.refund_status = status[:12]
        tx.session.add(row)
        if status != PAID or invoice.status == "refunded":
            return status
        invoice.status = "refunded"
        tx.session.add(invoice)
        _end_refunded_period(tx, row, invoice, now)
    return status


def _end_refunded_period(
    tx: Transaction, row: SwishPayment, invoice: Invoice, now: dt.datetime
) -> None:
    """Take the refunded period's unused time off the subscription: refunding the latest
    of two stacked periods leaves the first; refunding the only one ends it now."""
    sub = subscriptions.current(tx.session, row.workspace_id)
    if sub is None or sub.provider != "swish" or sub.current_period_end is None:
        return
    assert invoice.period_start is not None
    assert invoice.period_end is not None
    unused = invoice.period_end - max(invoice.period_start, now)
    end = max(now, sub.current_period_end - max(unused, dt.timedelta(0)))
    subscriptions.apply_subscription(
        tx,
        row.workspace_id,
        provider="swish",
        plan_id=sub.plan,
        interval=sub.interval,
        currency=sub.currency,
        status="active" if end > now else "canceled",
        current_period_end=end,
        now=now,
    )


def _swish_invoice_or_raise(
    session: Session, workspace_id: uuid.UUID, invoice_id: uuid.UUID
) -> tuple[Invoice, SwishPayment]:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.workspace_id != workspace_id or invoice.provider != "swish":
        raise NotFound("receipt")
    row = session.exec(select(SwishPayment).where(SwishPayment.invoice_id == invoice.id)).one()
    return invoice, row
