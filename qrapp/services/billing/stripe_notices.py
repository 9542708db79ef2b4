"""Mail to a workspace's owners about its card subscription, each notice sent once.

Once: a BillingNotice row (unique workspace + kind + key) is written in the same
transaction as the mail is queued, so a retried or duplicated event finds the row and
sends nothing more.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from qrapp.core import routes
from qrapp.core.permissions import Role
from qrapp.core.plans import plan as plan_of
from qrapp.core.plans import price_label
from qrapp.db import Transaction
from qrapp.models import Membership, User, Workspace
from qrapp.models.billing import BillingNotice
from qrapp.services import mail

PAYMENT_FAILED = "stripe_payment_failed"
TRIAL_ENDING = "stripe_trial_will_end"


def _owner_emails(tx: Transaction, workspace_id: uuid.UUID) -> list[str]:
    rows = tx.session.exec(
        select(User.email)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.workspace_id == workspace_id, Membership.role == Role.OWNER.value)
        .where(User.is_active == True)  # noqa: E712 - SQL comparison
    ).all()
    return sorted(set(rows))


def _once(tx: Transaction, workspace_id: uuid.UUID, kind: str, key: str) -> bool:
    """Claim the notice; False when it was sent before."""
    session = tx.session
    if session.exec(
        select(BillingNotice).where(
            BillingNotice.workspace_id == workspace_id,
            BillingNotice.kind == kind,
            BillingNotice.key == key,
        )
    ).first():
        return False
    try:
        with session.begin_nested():  # a racing worker's row: this one sends nothing
            session.add(BillingNotice(workspace_id=workspace_id, kind=kind, key=key))
    except IntegrityError:
        return False
    return True


def _day(when: datetime | None) -> str:
    return when.strftime("%d %B %Y") if when else "soon"


def payment_failed(
    tx: Transaction,
    workspace_id: uuid.UUID,
    *,
    invoice_id: str,
    amount: int,
    currency: str,
    grace_until: datetime | None,
) -> bool:
    """The dunning mail for a failed invoice payment. Returns whether it was queued."""
    if not _once(tx, workspace_id, PAYMENT_FAILED, invoice_id):
        return False
    workspace = tx.session.get(Workspace, workspace_id)
    name = workspace.name if workspace else "your workspace"
    text = (
        f"We could not charge the card for {name}'s qrapp subscription "
        f"({price_label(amount, currency)}).\n\n"
        f"Your codes keep working while you fix it: the plan stays until "
        f"{_day(grace_until)}. After that, dynamic codes beyond the Free plan's "
        "allowance pause until the payment goes through.\n\n"
        f"Update the card or pay the invoice here: {mail.app_link(routes.BILLING)}\n"
    )
    for to in _owner_emails(tx, workspace_id):
        mail.queue_mail(tx, to=to, subject=f"Payment failed for {name}", text=text)
    return True


def trial_will_end(
    tx: Transaction,
    workspace_id: uuid.UUID,
    *,
    subscription_id: str,
    plan: str,
    trial_end: datetime | None,
) -> bool:
    key = f"{subscription_id}:{int(trial_end.timestamp()) if trial_end else 0}"
    if not _once(tx, workspace_id, TRIAL_ENDING, key):
        return False
    workspace = tx.session.get(Workspace, workspace_id)
    name = workspace.name if workspace else "your workspace"
    text = (
        f"The free trial of qrapp {plan_of(plan).name} for {name} ends on {_day(trial_end)}.\n\n"
        "After that the card on file is charged and the plan goes on. To change plan or "
        f"cancel before then: {mail.app_link(routes.BILLING)}\n"
    )
    for to in _owner_emails(tx, workspace_id):
        mail.queue_mail(tx, to=to, subject=f"Your trial for {name} ends soon", text=text)
    return True
