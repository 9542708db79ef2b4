"""Invoiced deals set by an operator (`qrapp billing set-plan`): a `manual` subscription
written through apply_subscription like every provider's, so grace, expiry, the effective
plan and paused codes behave the same."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import select

from qrapp.core.plans import PLANS, PlanId
from qrapp.db import transaction
from qrapp.models import Workspace
from qrapp.models.billing import Subscription
from qrapp.services.billing import subscriptions
from qrapp.services.errors import ServiceError


def find_workspace(session, key: str) -> Workspace:  # type: ignore[no-untyped-def]
    """A workspace by its id, or by its exact name when only one has it."""
    try:
        ws = session.get(Workspace, uuid.UUID(key))
    except ValueError:
        found = session.exec(select(Workspace).where(Workspace.name == key)).all()
        if len(found) > 1:
            raise ServiceError(f"{len(found)} workspaces are named {key!r}; use the id.") from None
        ws = found[0] if found else None
    if ws is None:
        raise ServiceError(f"No workspace {key!r} (see `qrapp workspace list`).")
    return ws


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)


def set_plan(key: str, plan_id: str, until: dt.date | None) -> tuple[Workspace, Subscription]:
    """Paid plans run until the end of `until` (UTC), then grace and expiry as usual;
    `free` ends the manual subscription (canceled)."""
    try:
        wanted = PlanId(plan_id.lower())
    except ValueError:
        raise ServiceError(f"Unknown plan {plan_id!r}: choose {', '.join(PLANS)}.") from None
    if wanted is not PlanId.FREE and until is None:
        raise ServiceError("A paid plan needs --until DATE (the last day it is paid for).")
    with transaction() as tx:
        ws = find_workspace(tx.session, key)
        if wanted is PlanId.FREE:
            # Ended now, on the Free plan: Free's limits from this moment (read-only
            # content beyond them), and nothing is paused since Free never pauses.
            sub = subscriptions.apply_subscription(
                tx,
                ws.id,
                provider="manual",
                plan_id=PlanId.FREE.value,
                interval="year",
                currency="SEK",
                status="canceled",
                current_period_end=None,
            )
        else:
            sub = subscriptions.apply_subscription(
                tx,
                ws.id,
                provider="manual",
                plan_id=wanted.value,
                interval="year",
                currency="SEK",
                status="active",
                current_period_end=end_of_day(until),  # type: ignore[arg-type]
            )
        tx.session.refresh(ws)
        return ws, sub
