"""Receipts of a workspace's paid invoices as PDF, for its owners and admins."""

from __future__ import annotations

import uuid

from qrapp.core.permissions import Permission
from qrapp.core.plans import plan, price_label
from qrapp.db import read_session
from qrapp.models import Workspace
from qrapp.models.billing import Invoice
from qrapp.models.billing_swish import SwishPayment
from qrapp.services.authz import Actor, require
from qrapp.services.billing.receipt import ReceiptFacts, render_receipt
from qrapp.services.errors import NotFound

PROVIDER_NAMES = {
    "swish": "Swish",
    "stripe": "Card (Stripe)",
    "paypal": "PayPal",
    "klarna": "Klarna",
    "manual": "Invoice",
}


def _description(invoice: Invoice) -> str:
    if invoice.period_start and invoice.period_end:
        days = (invoice.period_end - invoice.period_start).days
        length = "1 year" if days >= 360 else "1 month" if days >= 28 else f"{days} days"
        return f"{plan(invoice.plan).name} plan, {length}"
    return f"{plan(invoice.plan).name} plan"


def receipt_pdf(*, actor: Actor, invoice_id: uuid.UUID) -> bytes:
    """The receipt of one of the actor's workspace's paid (or since refunded) invoices.
    Another workspace's invoice, or one never paid, is "not found" alike."""
    workspace_id = require(actor, Permission.BILLING_VIEW)
    with read_session() as session:
        invoice = session.get(Invoice, invoice_id)
        if (
            invoice is None
            or invoice.workspace_id != workspace_id
            or invoice.status not in ("paid", "refunded")
        ):
            raise NotFound("receipt")
        workspace = session.get(Workspace, workspace_id)
        name = workspace.name if workspace else ""
        # Swish's own payment reference is what the payer sees in their bank app.
        reference = invoice.provider_id
        if invoice.provider == "swish":
            row = session.get(SwishPayment, invoice.provider_id)
            reference = row.payment_reference if row and row.payment_reference else reference
    return render_receipt(
        ReceiptFacts(
            number=invoice.number or str(invoice.id),
            workspace=name,
            description=_description(invoice),
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            # The standard PDF fonts have no thin space (price_label's thousands mark).
            amount=price_label(invoice.amount, invoice.currency).replace("\u202f", " "),
            provider=PROVIDER_NAMES.get(invoice.provider, invoice.provider),
            payment_reference=reference,
            paid_at=invoice.paid_at,
            refunded=invoice.status == "refunded",
        )
    )
