"""What a workspace may have under its plan, what it has, and the lock that makes "is
there room for one more?" exact under concurrent requests."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from qrapp.core import routes
from qrapp.core.plans import Plan, Resource, limit_label, plan
from qrapp.models import Invitation, LandingPage, MediaAsset, Membership, QRCode, Workspace
from qrapp.models.scans import ScanWorkspaceHourly
from qrapp.models.types import utcnow
from qrapp.services.errors import ServiceError


class PlanLimitReached(ServiceError):
    """A limit of the workspace's plan; the message names the plan and the way up."""

    def __init__(
        self, resource: Resource | None, the_plan: Plan, message: str | None = None
    ) -> None:
        # resource None: a feature or choice the plan lacks (retention), with a message.
        if message is None:
            assert resource is not None, "a limit without a resource needs its own message"
            limit = the_plan.limit(resource) or 0
            message = (
                f"Your {the_plan.name} plan includes {quantity(limit, resource)}. "
                "Upgrade your plan to add more."
            )
        super().__init__(message)
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


def quantity(value: int, resource: Resource) -> str:
    """'10 dynamic codes', '1 landing page' (the labels are plural)."""
    if resource is Resource.MEDIA_BYTES:
        return f"{limit_label(value, resource)} of media storage"
    label = resource.label
    if value == 1:
        label = label.replace("codes", "code").replace("pages", "page").replace("seats", "seat")
        label = label.replace("rows", "row")
    return f"{value:,} {label}"


def _ordered_ids(workspace_id: uuid.UUID, resource: Resource):  # type: ignore[no-untyped-def]
    """The resource's items oldest first: the order in which they keep their place."""
    if resource in (Resource.DYNAMIC_CODES, Resource.STATIC_CODES):
        return (
            select(QRCode.id)
            .where(
                QRCode.workspace_id == workspace_id,
                col(QRCode.is_dynamic).is_(resource is Resource.DYNAMIC_CODES),
                QRCode.status != "archived",
            )
            .order_by(col(QRCode.created_at), col(QRCode.id))
        )
    if resource is Resource.LANDING_PAGES:
        return (
            select(LandingPage.id)
            .where(LandingPage.workspace_id == workspace_id)
            .order_by(col(LandingPage.created_at), col(LandingPage.id))
        )
    raise ValueError(f"{resource} has no read-only items")


def read_only_ids(session: Session, workspace_id: uuid.UUID, resource: Resource) -> set[uuid.UUID]:
    """The codes or pages beyond the plan's allowance (after a downgrade, or an old free
    workspace): the newest ones, since the oldest are the ones most likely in print. They
    keep working (scans, views) but cannot be edited until the workspace is back under
    its limit (upgrade, archive or delete others)."""
    limit = plan_for(session, workspace_id).limit(resource)
    if limit is None:
        return set()
    return set(session.exec(_ordered_ids(workspace_id, resource).offset(limit)).all())


class ReadOnlyContent(PlanLimitReached):
    """An edit of a code or page beyond the plan's allowance."""

    def __init__(self, resource: Resource, the_plan: Plan, used: int) -> None:
        limit = the_plan.limit(resource) or 0
        what, others = (
            ("page", "delete other pages")
            if resource is Resource.LANDING_PAGES
            else ("code", "archive other codes")
        )
        super().__init__(
            resource,
            the_plan,
            f"This {what} is read-only: your {the_plan.name} plan includes "
            f"{quantity(limit, resource)} and this workspace has {used:,}. "
            f"Upgrade, or {others}.",
        )


def read_only_reason(session: Session, workspace_id: uuid.UUID, resource: Resource) -> str:
    """The sentence shown beside a read-only badge ('' when nothing is read-only)."""
    the_plan = plan_for(session, workspace_id)
    limit = the_plan.limit(resource)
    used = count(session, workspace_id, resource)
    if limit is None or used <= limit:
        return ""
    return ReadOnlyContent(resource, the_plan, used).message


def require_editable(
    session: Session, workspace_id: uuid.UUID, resource: Resource, item_id: uuid.UUID
) -> None:
    """Raise ReadOnlyContent when the code or page is beyond the plan's allowance.
    Deleting and archiving do not call this: they are how one gets back under it."""
    if item_id in read_only_ids(session, workspace_id, resource):
        raise ReadOnlyContent(
            resource, plan_for(session, workspace_id), count(session, workspace_id, resource)
        )


def code_resource(is_dynamic: bool) -> Resource:
    return Resource.DYNAMIC_CODES if is_dynamic else Resource.STATIC_CODES


def require_code_editable(session: Session, code: QRCode) -> None:
    require_editable(session, code.workspace_id, code_resource(code.is_dynamic), code.id)


def require_page_editable(session: Session, page: LandingPage) -> None:
    require_editable(session, page.workspace_id, Resource.LANDING_PAGES, page.id)


def reserve(session: Session, workspace_id: uuid.UUID, resource: Resource, adding: int = 1) -> None:
    """lock_workspace + require_room: the one call a service makes before adding."""
    lock_workspace(session, workspace_id)
    require_room(session, workspace_id, resource, adding)
