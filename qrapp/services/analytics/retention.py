"""How long scans are kept, per workspace, and the purge beat runs.

A workspace chooses 30 days, 1 year or 3 years; without a choice the
ANALYTICS_RETENTION_DAYS setting applies. The purge deletes raw events and every rollup
older than the cut-off, in bounded batches so it never holds long locks.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, select

from qrapp.core.permissions import Permission
from qrapp.core.plans import plan
from qrapp.db import read_session, transaction
from qrapp.models import ScanDimensionDaily, ScanEvent, ScanHourly, Subscription, Workspace
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.errors import FieldErrors, NotFound
from qrapp.services.scans import scan_rollups
from qrapp.settings import get_settings

CHOICES: dict[int, str] = {30: "30 days", 365: "1 year", 1095: "3 years"}
BATCH = 5000
EXPIRY_KEEP = dt.timedelta(days=90)


def effective_days(workspace: Workspace) -> int:
    return capped_days(workspace.retention_days, workspace.plan)


def capped_days(chosen: int | None, plan_id: str) -> int:
    """The workspace's choice, but never above its plan's longest retention (a choice
    made on a bigger plan before a downgrade); no choice: the setting."""
    if not chosen:
        return get_settings().analytics_retention_days
    return min(chosen, plan(plan_id).max_retention_days)


def plan_choices(plan_id: str) -> dict[int, str]:
    """The CHOICES the plan allows, for the settings select."""
    allowed = plan(plan_id).retention_days
    return {days: label for days, label in CHOICES.items() if days in allowed}


def get_retention(*, actor: Actor) -> int:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as session:
        ws = session.get(Workspace, workspace_id)
        if ws is None:
            raise NotFound("workspace")
        return effective_days(ws)


def check_days(days: object) -> int:
    """One of CHOICES (an int, or its digits from a form), else FieldErrors."""
    text = str(days)
    if not text.isdigit() or int(text) not in CHOICES:
        raise FieldErrors({"retention_days": "Choose 30 days, 1 year or 3 years."})
    return int(text)


def set_retention(*, actor: Actor, days: int, ip: str = "") -> int:
    """Workspace settings are an admin's: the same permission as renaming it."""
    workspace_id = require(actor, Permission.WORKSPACE_RENAME)
    days = check_days(days)
    with transaction() as tx:
        ws = tx.session.get(Workspace, workspace_id)
        if ws is None:
            raise NotFound("workspace")
        entitlements.lock_workspace(tx.session, workspace_id)
        the_plan = entitlements.plan_for(tx.session, workspace_id)
        if days not in the_plan.retention_days:
            longest = CHOICES[the_plan.max_retention_days]
            raise entitlements.PlanLimitReached(
                None,
                the_plan,
                f"Your {the_plan.name} plan keeps scans for {longest}. "
                f"Upgrade your plan to keep them for {CHOICES[days]}.",
            )
        before = effective_days(ws)
        ws.retention_days = days
        tx.session.add(ws)
        audit.record(
            tx.session,
            action=AuditAction.ANALYTICS_RETENTION_CHANGED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="workspace",
            target_id=str(workspace_id),
            ip=ip,
            details={"from": before, "to": days},
        )
    return days


@dataclass
class PurgeResult:
    events: int = 0
    hourly: int = 0
    daily: int = 0
    workspace_rollups: int = 0  # scan_rollups' tables (workspace and per-code daily)

    @property
    def total(self) -> int:
        return self.events + self.hourly + self.daily + self.workspace_rollups


def _batched_delete(model, key_columns, where) -> int:
    """DELETE ... WHERE (keys) IN (SELECT keys ... LIMIT n) until nothing is left: each
    batch is its own short transaction."""
    deleted = 0
    keys = sa.tuple_(*key_columns) if len(key_columns) > 1 else key_columns[0]
    while True:
        with transaction() as tx:
            batch = select(*key_columns).where(*where).limit(BATCH)
            if len(key_columns) > 1:
                ids = tx.session.exec(batch).all()
                if not ids:
                    return deleted
                n = tx.session.exec(
                    sa.delete(model).where(keys.in_([tuple(row) for row in ids]))
                ).rowcount
            else:
                n = tx.session.exec(
                    sa.delete(model).where(keys.in_(batch.scalar_subquery()))
                ).rowcount
        deleted += n or 0
        if not n or n < BATCH:
            return deleted


def purge_workspace(workspace_id: uuid.UUID, days: int, now: dt.datetime) -> PurgeResult:
    cutoff = now - dt.timedelta(days=days)
    cutoff_hour = cutoff.replace(minute=0, second=0, microsecond=0)
    result = PurgeResult()
    result.events = _batched_delete(
        ScanEvent,
        [ScanEvent.event_id],
        [ScanEvent.workspace_id == workspace_id, ScanEvent.occurred_at < cutoff],
    )
    result.hourly = _batched_delete(
        ScanHourly,
        [ScanHourly.qrcode_id, ScanHourly.hour],
        [ScanHourly.workspace_id == workspace_id, ScanHourly.hour < cutoff_hour],
    )
    # A day is dropped once all of it is past the cut-off.
    result.daily = _batched_delete(
        ScanDimensionDaily,
        [
            ScanDimensionDaily.qrcode_id,
            ScanDimensionDaily.day,
            ScanDimensionDaily.dimension,
            ScanDimensionDaily.value,
        ],
        [
            ScanDimensionDaily.workspace_id == workspace_id,
            ScanDimensionDaily.day < cutoff.date(),
        ],
    )
    for model, keys, where in scan_rollups.purge_cutoffs(workspace_id, cutoff):
        result.workspace_rollups += _batched_delete(model, keys, where)
    return result


def purge_expired_scans(*, now: dt.datetime | None = None) -> PurgeResult:
    """Beat job: every workspace, its own retention. Idempotent; safe to rerun."""
    now = now or utcnow()
    with read_session() as session:
        workspaces = session.execute(
            sa.select(
                col(Workspace.id),
                col(Workspace.retention_days),
                col(Workspace.plan),
                col(Subscription.plan),
                col(Subscription.status),
                col(Subscription.grace_until),
            ).outerjoin(Subscription, col(Subscription.workspace_id) == Workspace.id)
        ).all()
    total = PurgeResult()
    for workspace_id, days, plan_id, paid_plan, status, grace_until in workspaces:
        # Paying again after an expiry brings everything back, analytics included: for
        # EXPIRY_KEEP after the grace ended, the last paid plan's retention still holds.
        if status == "expired" and grace_until and now - grace_until < EXPIRY_KEEP:
            plan_id = paid_plan
        one = purge_workspace(workspace_id, capped_days(days, plan_id), now)
        total.events += one.events
        total.hourly += one.hourly
        total.daily += one.daily
        total.workspace_rollups += one.workspace_rollups
    return total
