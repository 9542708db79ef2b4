"""Paying for a period (a month or a year) with Swish.

Swish has no subscriptions: each period is one payment request (Commerce API v2) with our
own instruction id. On a phone the page opens the Swish app by deep link; on a desktop it
shows a QR code the payer scans with the Swish app. Swish then POSTs a callback, which
anyone could forge, so the callback only wakes us: `refresh` reads the request's status
from Swish itself (mTLS) and only a PAID read there records a receipt (Invoice) and
extends the subscription. Settled requests are final, so a repeated callback or refresh
changes nothing. Refunds live in swish_refunds, receipts in receipts; both are re-exported
here so callers have one Swish module.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.core.plans import LIVE_STATUSES, Currency, Interval, Plan, PlanId, plan
from qrapp.db import Transaction, read_session, transaction
from qrapp.models.audit import AuditAction
from qrapp.models.billing import Invoice
from qrapp.models.billing_swish import CREATED, FINAL, PAID, SwishPayment
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.billing import subscriptions
from qrapp.services.billing.entitlements import lock_workspace
from qrapp.services.billing.receipts import receipt_pdf
from qrapp.services.billing.swish_api import (
    INSTRUCTION_ID,
    SwishApi,
    SwishRefused,
    SwishUnavailable,
    callback_url,
    minor,
    money,
)
from qrapp.services.billing.swish_refunds import refresh_refund, refund
from qrapp.services.errors import NotFound, ServiceError
from qrapp.services.mail import app_link
from qrapp.settings import get_settings

__all__ = [
    "INSTRUCTION_ID",
    "SwishStart",
    "enabled",
    "payment_status",
    "receipt_pdf",
    "refresh",
    "refresh_refund",
    "refund",
    "start_payment",
]

log = logging.getLogger(__name__)

# Providers whose subscriptions renew by themselves: paying by Swish on top would charge
# the workspace twice for the same months.
_AUTO_RENEWING = frozenset({"stripe", "paypal", "klarna"})


@dataclass(frozen=True)
class SwishStart:
    id: str  # our instruction id
    token: str  # m-commerce token ("" when a phone number was given)
    deep_link: str  # swish://paymentrequest?... for a phone ("" with a phone number)
    qr_data: str  # data: URL of the QR code to scan with the Swish app (desktop)
    status: str


def enabled() -> bool:
    s = get_settings()
    return bool(s.swish_payee_alias and s.swish_cert_file and s.swish_key_file)


def qr_text(token: str) -> str:
    """What the desktop QR code holds. Swish's QR generator (POST /qrg-swish/api/v1/
    commerce) makes the code for an m-commerce token; the text it encodes is "D" followed
    by the token, which the Swish app reads as "open this payment request". Integrators
    render that text themselves; we do too, with our own engine, so the page needs no call
    to a third party. If Swish ever changes the prefix, this is the one place to change."""
    return "D" + token


def _qr_data(token: str) -> str:
    # Imported here: the renderer loads PIL and fontTools, which nothing else in billing needs.
    from qrapp.core.render import render

    svg = render(qr_text(token), None, "svg", size=320)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _deep_link(token: str, payment_id: str) -> str:
    # callbackurl is where the Swish app sends the payer back after paying: our billing
    # page, which then polls payment_status (it is not the server-to-server callback).
    back = f"{app_link(routes.BILLING)}?swish={payment_id}"
    query = f"token={quote(token, safe='')}&callbackurl={quote(back, safe='')}"
    return f"swish://paymentrequest?{query}"


def _payer_alias(phone: str) -> str:
    """A Swedish mobile number as Swish wants it: country code and number, digits only
    (070-123 45 67 -> 46701234567)."""
    digits = re.sub(r"[\s\-().]", "", phone)
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "46" + digits[1:]
    if not re.fullmatch(r"\d{8,15}", digits):
        raise ServiceError("Enter the mobile number your Swish app uses.", field="phone")
    return digits


def _period_end(start: dt.datetime, interval: str) -> dt.datetime:
    """A calendar month or year later; the 31st becomes the month's last day."""
    months = 12 if interval == Interval.YEAR else 1
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def start_payment(
    *, actor: Actor, plan: str, interval: str, phone: str | None = None
) -> SwishStart:
    """Ask Swish for a payment of the plan's SEK price for one month or year.

    Without `phone` (m-commerce) Swish returns a token for the deep link and the QR code;
    with it (e-commerce) Swish shows the request in that phone's Swish app."""
    workspace_id = require(actor, Permission.BILLING_MANAGE)
    chosen = _plan_or_raise(plan)
    try:
        period = Interval(interval)
    except ValueError:
        raise ServiceError("Choose monthly or yearly.", field="interval") from None
    if not enabled():
        raise ServiceError("Swish payments are not available right now.")
    payer = _payer_alias(phone) if phone else ""
    amount = chosen.price(Currency.SEK, period)
    payment_id = uuid.uuid4().hex.upper()
    with transaction() as tx:
        sub = subscriptions.current(tx.session, workspace_id)
        if (
            sub is not None
            and sub.provider in _AUTO_RENEWING
            and sub.status in LIVE_STATUSES
            and not sub.cancel_at_period_end
        ):
            raise ServiceError(
                "This workspace already pays by a renewing subscription. Cancel it first, "
                "then pay the next period with Swish."
            )
        # The row exists before Swish hears of the request, so a callback that beats our
        # own response still finds it.
        tx.session.add(
            SwishPayment(
                id=payment_id,
                workspace_id=workspace_id,
                created_by=actor.user_id,
                plan=chosen.id.value,
                interval=period.value,
                amount=amount,
                payer_alias=payer,
                status="",
            )
        )
        audit.record(
            tx.session,
            action=AuditAction.BILLING_SWISH_STARTED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="swish_payment",
            target_id=payment_id,
            details={"plan": chosen.id.value, "interval": period.value, "amount": amount},
        )
    body: dict[str, Any] = {
        "payeePaymentReference": payment_id,
        "callbackUrl": callback_url(),
        "payeeAlias": get_settings().swish_payee_alias,
        "currency": "SEK",
        "amount": money(amount),
        "message": f"qrapp {chosen.name}, 1 {period.value}",
    }
    if payer:
        body["payerAlias"] = payer
    try:
        created = SwishApi().create_payment_request(payment_id, body)
    except (SwishRefused, SwishUnavailable) as exc:
        codes = exc.codes if isinstance(exc, SwishRefused) else []
        _mark(payment_id, status="ERROR", error_code=",".join(codes)[:16])
        if isinstance(exc, SwishUnavailable):
            log.warning("Swish payment request %s failed: %s", payment_id, exc.detail)
        raise
    with transaction() as tx:
        row = tx.session.get(SwishPayment, payment_id)
        if row is not None:
            row.token = created.token
            # A callback may have settled it already (PAID beats our own response).
            row.status = row.status or CREATED
            row.updated_at = utcnow()
            tx.session.add(row)
    return SwishStart(
        id=payment_id,
        token=created.token,
        deep_link=_deep_link(created.token, payment_id) if created.token else "",
        qr_data=_qr_data(created.token) if created.token else "",
        status=CREATED,
    )


def _plan_or_raise(plan_id: str) -> Plan:
    chosen = plan(plan_id)
    if chosen.id.value != plan_id or chosen.id is PlanId.FREE:
        raise ServiceError("Choose a paid plan.", field="plan")
    return chosen


def _mark(payment_id: str, **values: str) -> None:
    with transaction() as tx:
        row = tx.session.get(SwishPayment, payment_id)
        if row is not None:
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = utcnow()
            tx.session.add(row)


def payment_status(*, actor: Actor, payment_id: str) -> str:
    """The status of one of the workspace's requests, read from Swish while it is open
    (the billing page polls this while the payer is in the Swish app)."""
    workspace_id = require(actor, Permission.BILLING_VIEW)
    with read_session() as session:
        row = session.get(SwishPayment, payment_id)
        if row is None or row.workspace_id != workspace_id:
            raise NotFound("payment")
    return refresh(payment_id) if row.status == CREATED else row.status


def refresh(payment_id: str) -> str:
    """Read the request's status from Swish and act on it; returns the status we hold.
    Nothing a caller sends is believed: only Swish's answer over mTLS."""
    if not INSTRUCTION_ID.fullmatch(payment_id):
        raise NotFound("payment")
    with read_session() as session:
        row = session.get(SwishPayment, payment_id)
        if row is None:
            raise NotFound("payment")
        if row.status in FINAL:
            return row.status
    remote = SwishApi().payment_request(payment_id)
    status = str(remote.get("status", ""))
    if status == PAID and not _matches(row, remote):
        log.error("Swish payment %s PAID with other terms than asked: %s", payment_id, remote)
        return row.status
    if status not in FINAL:
        return row.status
    with transaction() as tx:
        lock_workspace(tx.session, row.workspace_id)
        fresh = tx.session.get(SwishPayment, payment_id, populate_existing=True)
        assert fresh is not None
        if fresh.status in FINAL:  # another callback settled it while we asked Swish
            return fresh.status
        if status == PAID:
            _record_paid(tx, fresh, remote)
        else:
            fresh.status = status
            fresh.error_code = str(remote.get("errorCode") or "")[:16]
            fresh.updated_at = utcnow()
            tx.session.add(fresh)
        return fresh.status


def _matches(row: SwishPayment, remote: dict[str, Any]) -> bool:
    try:
        amount = minor(remote.get("amount"))
    except (ArithmeticError, ValueError):
        return False
    return (
        remote.get("id") == row.id
        and remote.get("payeeAlias") == get_settings().swish_payee_alias
        and remote.get("currency") == "SEK"
        and amount == row.amount
    )


def _paid_at(remote: dict[str, Any], now: dt.datetime) -> dt.datetime:
    raw = str(remote.get("datePaid") or "")
    try:
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).astimezone(dt.UTC)
    except ValueError:
        return now


def _record_paid(tx: Transaction, row: SwishPayment, remote: dict[str, Any]) -> None:
    now = utcnow()
    sub = subscriptions.current(tx.session, row.workspace_id)
    start = now
    if (
        sub is not None
        and sub.status in LIVE_STATUSES
        and sub.current_period_end is not None
        and sub.current_period_end > now
    ):
        start = sub.current_period_end  # a period is still running: the new one follows it
    end = _period_end(start, row.interval)
    paid_at = _paid_at(remote, now)
    invoice = Invoice(
        workspace_id=row.workspace_id,
        provider="swish",
        provider_id=row.id,
        number=f"SW-{paid_at:%Y%m%d}-{row.id[:8]}",
        plan=row.plan,
        amount=row.amount,
        currency="SEK",
        status="paid",
        period_start=start,
        period_end=end,
        paid_at=paid_at,
    )
    tx.session.add(invoice)
    row.status = PAID
    row.payment_reference = str(remote.get("paymentReference") or "")[:64]
    row.paid_at = paid_at
    row.invoice_id = invoice.id
    row.updated_at = now
    tx.session.add(row)
    subscriptions.apply_subscription(
        tx,
        row.workspace_id,
        provider="swish",
        plan_id=row.plan,
        interval=row.interval,
        currency="SEK",
        status="active",
        current_period_end=end,
        now=now,
    )
    audit.record(
        tx.session,
        action=AuditAction.BILLING_SWISH_PAID,
        actor_user_id=None,
        workspace_id=row.workspace_id,
        target_type="invoice",
        target_id=str(invoice.id),
        details={"swish_payment": row.id, "period_end": end.isoformat()},
    )
