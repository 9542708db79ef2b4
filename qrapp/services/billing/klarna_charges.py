"""Charging one period on a workspace's Klarna customer token (klarna.complete charges the
first, klarna_renewals the next ones): the order, the Invoice row written before Klarna
is asked (its id is the idempotency key), and the subscription the outcome leaves.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session, select

from qrapp.core.plans import plan
from qrapp.db import transaction
from qrapp.models.billing import Invoice
from qrapp.models.billing_providers import KlarnaToken
from qrapp.models.types import utcnow
from qrapp.services.billing import klarna_api, subscriptions
from qrapp.services.billing.klarna_api import KlarnaDeclined
from qrapp.services.billing.periods import add_interval
from qrapp.services.errors import ServiceError

PROVIDER = "klarna"


def klarna_locale(country: str) -> str:
    return "sv-SE" if country == "SE" else f"en-{country}"


def order_for(
    *, plan_id: str, interval: str, currency: str, country: str, amount: int
) -> dict[str, object]:
    """One order line for one period. Prices in core/plans are what is charged; the line
    carries no tax of its own (tax_rate 0) because no VAT is added on top of them."""
    name = f"qrapp {plan(plan_id).name}, {'monthly' if interval == 'month' else 'yearly'}"
    return {
        "purchase_country": country,
        "purchase_currency": currency,
        "locale": klarna_locale(country),
        "order_amount": amount,
        "order_tax_amount": 0,
        "order_lines": [
            {
                "type": "digital",
                "reference": f"{plan_id}-{interval}",
                "name": name,
                "quantity": 1,
                "unit_price": amount,
                "tax_rate": 0,
                "total_amount": amount,
                "total_tax_amount": 0,
            }
        ],
    }


def open_charge(session: Session, workspace_id: uuid.UUID) -> Invoice | None:
    """A charge asked of Klarna whose outcome we do not know yet (Klarna unreachable or
    its answer lost); the beat asks again with the same key (klarna_renewals)."""
    return session.exec(
        select(Invoice).where(
            Invoice.workspace_id == workspace_id,
            Invoice.provider == PROVIDER,
            Invoice.status == "open",
        )
    ).first()


def interval_of(invoice: Invoice) -> str:
    """The interval an invoice's period spans (periods are made by add_interval)."""
    start, end = invoice.period_start, invoice.period_end
    yearly = start is not None and end is not None and add_interval(start, "year") == end
    return "year" if yearly else "month"


def charge(
    *,
    workspace_id: uuid.UUID,
    plan_id: str,
    interval: str,
    amount: int,
    period_start: dt.datetime,
    first: bool = False,
    now: dt.datetime | None = None,
) -> Invoice:
    """Charge one period on the workspace's customer token and apply the outcome: paid
    -> active until the period's end; declined -> the invoice failed and, for a renewal,
    past_due (grace); Klarna unreachable -> KlarnaError, the invoice stays open and the
    next try reuses its key."""
    now = now or utcnow()
    period_end = add_interval(period_start, interval)
    with transaction() as tx:
        token = tx.session.get(KlarnaToken, workspace_id)
        if token is None:
            raise ServiceError("There is no Klarna payment method for this workspace.")
        invoice = tx.session.exec(
            select(Invoice).where(
                Invoice.workspace_id == workspace_id,
                Invoice.provider == PROVIDER,
                Invoice.status == "open",
                Invoice.period_start == period_start,
            )
        ).first()
        if invoice is None:
            key = str(uuid.uuid4())
            invoice = Invoice(
                workspace_id=workspace_id,
                provider=PROVIDER,
                provider_id=f"attempt:{key}",
                number=key,
                plan=plan_id,
                amount=amount,
                currency=token.currency,
                status="open",
                period_start=period_start,
                period_end=period_end,
                created_at=now,  # when it was tried: a declined charge waits a day from it
            )
            tx.session.add(invoice)
    order = order_for(
        plan_id=plan_id,
        interval=interval,
        currency=token.currency,
        country=token.purchase_country,
        amount=amount,
    )
    order |= {"merchant_reference1": invoice.number, "auto_capture": True}
    try:
        placed = klarna_api.create_order(token.token_id, order, idempotency_key=invoice.number)
    except KlarnaDeclined:
        return _settle(
            invoice.id, token, interval, status="failed", order_id="", first=first, now=now
        )
    return _settle(
        invoice.id,
        token,
        interval,
        status="paid",
        order_id=placed["order_id"],
        first=first,
        now=now,
    )


def _settle(
    invoice_id: uuid.UUID,
    token: KlarnaToken,
    interval: str,
    *,
    status: str,
    order_id: str,
    first: bool,
    now: dt.datetime,
) -> Invoice:
    with transaction() as tx:
        invoice = tx.session.get_one(Invoice, invoice_id)
        invoice.status = status
        if status == "paid":
            invoice.provider_id = order_id  # Klarna's order id, as support will ask for it
            invoice.paid_at = now
        tx.session.add(invoice)
        # Paid: active to the period's end. A declined renewal: past_due from the end of
        # the paid period that just ended. A declined first charge leaves it unchanged.
        if status == "paid" or not first:
            paid = status == "paid"
            subscriptions.apply_subscription(
                tx,
                invoice.workspace_id,
                provider=PROVIDER,
                plan_id=invoice.plan,
                interval=interval,
                currency=invoice.currency,
                status="active" if paid else "past_due",
                current_period_end=invoice.period_end if paid else invoice.period_start,
                customer_id=token.token_id,
                subscription_id=token.token_id,
                now=now,
            )
    return invoice
