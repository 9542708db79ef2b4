"""What a workspace may have under its plan, what it has, and the lock that makes "is
there room for one more?" exact under concurrent requests."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from qrapp.core import routes
from qrapp.core.plans import Plan, Resource, plan
from qrapp.models import Invitation, LandingPage, MediaAsset, Membership, QRCode, Workspace
from qrapp.models.scans import ScanWorkspaceHourly
from qrapp.models.types import utcnow
from qrapp.services.errors import ServiceError


class PlanLimitReached(ServiceError):
    """A limit of the workspace's plan; the message names the plan and the way up."""

    def __init__(self, resource: Resource, the_plan: Plan, message: str | None = None) -> None:
        limit = the_plan.limit(resource)
        super().__init__(
            message
            or f"Your {the_plan.name} plan includes {limit:,} {resource.label}. "
            "Upgrade your plan to add more."
        )
        self.resource = resource
        self.plan = the_plan
        self.upgrade_url = routes.BILLING


@dataclass(frozen=True)
class Usage:
    dynamic_codes: int
    static_codes: int
    landing_pages: int
    media_bytes: int
    seats: int
    scans_this_month: int

    def of(self, resource: Resource) -> int:
        return int(getattr(self, resource.value))


def plan_for(session: Session, workspace_id: uuid.UUID) -> Plan:
    """The plan whose limits hold now (Workspace.plan, kept by billing.subscriptions)."""
    value = session.exec(select(Workspace.plan).where(Workspace.id == workspace_id)).first()
    return plan(value or "free")


def lock_workspace(session: Session, workspace_id: uuid.UUID) -> None:
    """Take the workspace row's write lock before counting, so two requests cannot both see
    room for the last one. PostgreSQL: a row lock (FOR UPDATE). SQLite ignores FOR UPDATE,
    so a no-op UPDATE takes its database write lock, held until the commit."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            sa.update(Workspace)
            .where(col(Workspace.id) == workspace_id)
            .values(plan=Workspace.plan)
        )
    else:
        session.exec(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update())


def _count(session: Session, stmt) -> int:  # type: ignore[no-untyped-def]
    return int(session.exec(stmt).one() or 0)


def count(session: Session, workspace_id: uuid.UUID, resource: Resource) -> int:
    """What the workspace uses of a resource now. Archived codes take no place."""
    if resource in (Resource.DYNAMIC_CODES, Resource.STATIC_CODES):
        return _count(
            session,
            select(func.count())
            .select_from(QRCode)
            .where(
                QRCode.workspace_id == workspace_id,
                col(QRCode.is_dynamic).is_(resource is Resource.DYNAMIC_CODES),
                QRCode.status != "archived",
            ),
        )
    if resource is Resource.LANDING_PAGES:
        return _count(
            session,
            select(func.count())
            .select_from(LandingPage)
            .where(LandingPage.workspace_id == workspace_id),
        )
    if resource is Resource.MEDIA_BYTES:
        return _count(
            session,
            select(func.coalesce(func.sum(MediaAsset.size), 0)).where(
                MediaAsset.workspace_id == workspace_id
            ),
        )
    if resource is Resource.SEATS:
        members = _count(
            session,
            select(func.count())
            .select_from(Membership)
            .where(Membership.workspace_id == workspace_id),
        )
        pending = _count(
            session,
            select(func.count())
            .select_from(Invitation)
            .where(
                Invitation.workspace_id == workspace_id,
                col(Invitation.accepted_at).is_(None),
                Invitation.expires_at > utcnow(),
            ),
        )
        return members + pending
    raise ValueError(f"{resource} is not counted per workspace")


def scans_this_month(
    session: Session, workspace_id: uuid.UUID, now: dt.datetime | None = None
) -> int:
    now = now or utcnow()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return _count(
        session,
        select(func.coalesce(func.sum(ScanWorkspaceHourly.scans), 0)).where(
            ScanWorkspaceHourly.workspace_id == workspace_id,
            ScanWorkspaceHourly.hour >= month_start,
        ),
    )


def usage(session: Session, workspace_id: uuid.UUID) -> Usage:
    return Usage(
        dynamic_codes=count(session, workspace_id, Resource.DYNAMIC_CODES),
        static_codes=count(session, workspace_id, Resource.STATIC_CODES),
        landing_pages=count(session, workspace_id, Resource.LANDING_PAGES),
        media_bytes=count(session, workspace_id, Resource.MEDIA_BYTES),
        seats=count(session, workspace_id, Resource.SEATS),
        scans_this_month=scans_this_month(session, workspace_id),
    )


def require_room(
    session: Session, workspace_id: uuid.UUID, resource: Resource, adding: int = 1
) -> None:
    """Raise PlanLimitReached unless `adding` more of the resource fit the plan. Call
    inside the transaction that adds them, after lock_workspace."""
    the_plan = plan_for(session, workspace_id)
    limit = the_plan.limit(resource)
    if limit is None:
        return
    if count(session, workspace_id, resource) + adding > limit:
        raise PlanLimitReached(resource, the_plan)
