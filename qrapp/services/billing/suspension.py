"""Which dynamic codes pause when a workspace's paid plan has expired, and their return.

Fair to printed codes: nothing pauses while a subscription is active, trialing or in
grace, and only after expiry do the dynamic codes beyond the Free plan's allowance pause
(the oldest stay active: they are the ones most likely on paper longest). A paused code
still answers every scan (the edge shows the owner's "temporarily unavailable" page or the
code's fallback URL, and counts the scan). Paying again clears every pause at once.
`billing_paused_at` is separate from `status`, so the owner's own pauses are untouched.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from qrapp.cachebus import announce_code_changed
from qrapp.core.plans import PLANS, PlanId, Standing
from qrapp.db import Transaction
from qrapp.models import QRCode
from qrapp.models.types import utcnow


@dataclass
class SyncResult:
    paused: list[uuid.UUID] = field(default_factory=list)
    resumed: list[uuid.UUID] = field(default_factory=list)


def _dynamic_codes(session: Session, workspace_id: uuid.UUID) -> list[QRCode]:
    """Oldest first: the order in which codes keep their place within the allowance.
    Archived codes do not scan and take no place."""
    return list(
        session.exec(
            select(QRCode)
            .where(
                QRCode.workspace_id == workspace_id,
                col(QRCode.is_dynamic).is_(True),
                QRCode.status != "archived",
            )
            .order_by(col(QRCode.created_at), col(QRCode.id))
        ).all()
    )


def sync(tx: Transaction, workspace_id: uuid.UUID, standing: Standing) -> SyncResult:
    """Pause or resume the workspace's codes for its standing; the edge caches of every
    changed code are told after the commit."""
    result = SyncResult()
    now = utcnow()
    allowance = PLANS[PlanId.FREE].dynamic_codes or 0
    for i, code in enumerate(_dynamic_codes(tx.session, workspace_id)):
        should_pause = standing is Standing.EXPIRED and i >= allowance
        if should_pause and code.billing_paused_at is None:
            code.billing_paused_at = now
            result.paused.append(code.id)
        elif not should_pause and code.billing_paused_at is not None:
            code.billing_paused_at = None
            result.resumed.append(code.id)
        else:
            continue
        tx.session.add(code)
        tx.after_commit(functools.partial(announce_code_changed, code.domain, code.short_code))
    if standing is not Standing.EXPIRED:
        # Codes archived while paused come back unpaused too (their place is not counted).
        for code in tx.session.exec(
            select(QRCode).where(
                QRCode.workspace_id == workspace_id,
                col(QRCode.billing_paused_at).is_not(None),
            )
        ).all():
            code.billing_paused_at = None
            tx.session.add(code)
            result.resumed.append(code.id)
    return result


def would_pause(session: Session, workspace_id: uuid.UUID) -> list[QRCode]:
    """The dynamic codes beyond the Free allowance, newest first: those that pause when
    the paid plan expires (or are paused now), in the order a list for people shows them."""
    allowance = PLANS[PlanId.FREE].dynamic_codes or 0
    return _dynamic_codes(session, workspace_id)[allowance:][::-1]


def paused_codes(session: Session, workspace_id: uuid.UUID) -> list[QRCode]:
    return list(
        session.exec(
            select(QRCode)
            .where(
                QRCode.workspace_id == workspace_id,
                col(QRCode.billing_paused_at).is_not(None),
            )
            .order_by(col(QRCode.created_at))
        ).all()
    )
