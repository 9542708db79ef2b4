"""Workspaces an actor belongs to, switching between them, creating, renaming them and
setting their time zone."""

from __future__ import annotations

import functools
import uuid
import zoneinfo
from dataclasses import dataclass

from sqlmodel import col, func, select

from qrapp.core.permissions import Permission, Role
from qrapp.db import read_session, transaction
from qrapp.models import Membership, User, UserSession, Workspace
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.errors import FieldErrors, NotFound, ServiceError


@dataclass(frozen=True)
class WorkspaceSummary:
    id: uuid.UUID
    name: str
    role: Role
    is_personal: bool
    member_count: int


def list_for_actor(*, actor: Actor) -> list[WorkspaceSummary]:
    with read_session() as s:
        counts = (
            select(Membership.workspace_id, func.count().label("n"))
            .group_by(col(Membership.workspace_id))
            .subquery()
        )
        rows = s.exec(
            select(Workspace, Membership.role, counts.c.n)
            .join(Membership, col(Membership.workspace_id) == Workspace.id)
            .join(counts, counts.c.workspace_id == Workspace.id)
            .where(Membership.user_id == actor.user_id)
            .order_by(col(Workspace.is_personal).desc(), col(Workspace.name))
        ).all()
    return [WorkspaceSummary(w.id, w.name, Role(role), w.is_personal, n) for w, role, n in rows]


def get_current(*, actor: Actor) -> Workspace:
    require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        ws = s.get(Workspace, actor.workspace_id)
    if ws is None:
        raise NotFound("workspace")
    return ws


def switch(*, actor: Actor, workspace_id: uuid.UUID) -> None:
    """Make `workspace_id` this session's workspace; only one the actor belongs to."""
    with transaction() as tx:
        member = tx.session.exec(
            select(Membership).where(
                Membership.user_id == actor.user_id, Membership.workspace_id == workspace_id
            )
        ).first()
        if member is None:
            raise NotFound("workspace")
        row = tx.session.get(UserSession, actor.session_id)
        if row is None:
            raise NotFound("session")
        row.workspace_id = workspace_id
        tx.session.add(row)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("Give the workspace a name.", field="name")
    if len(name) > 80:
        raise ServiceError("Use at most 80 characters.", field="name")
    return name


def create(*, actor: Actor, name: str, ip: str = "") -> uuid.UUID:
    """Any signed-in user may start a team workspace; they become its owner."""
    name = _clean_name(name)
    with transaction() as tx:
        ws = Workspace(name=name, is_personal=False)
        tx.session.add(ws)
        tx.session.flush()
        tx.session.add(Membership(workspace_id=ws.id, user_id=actor.user_id, role=Role.OWNER))
        row = tx.session.get(UserSession, actor.session_id)
        if row is not None:
            row.workspace_id = ws.id
            tx.session.add(row)
        audit.record(
            tx.session,
            action=AuditAction.WORKSPACE_CREATED,
            actor_user_id=actor.user_id,
            workspace_id=ws.id,
            target_type="workspace",
            target_id=str(ws.id),
            ip=ip,
        )
        return ws.id


def rename(*, actor: Actor, name: str, ip: str = "") -> None:
    require(actor, Permission.WORKSPACE_RENAME)
    _set_field(actor, "name", _clean_name(name), AuditAction.WORKSPACE_RENAMED, ip)


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The IANA zones a workspace can choose (its analytics count days and hours there)."""
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


def set_timezone(*, actor: Actor, timezone: str, ip: str = "") -> str:
    """Workspace settings are an admin's: the same permission as renaming it."""
    require(actor, Permission.WORKSPACE_RENAME)
    if timezone not in time_zones():
        raise FieldErrors({"timezone": "Choose a time zone from the list."})
    _set_field(actor, "timezone", timezone, AuditAction.WORKSPACE_TIMEZONE_CHANGED, ip)
    return timezone


def _set_field(actor: Actor, field: str, value: str, action: AuditAction, ip: str) -> None:
    """Change one column of the actor's workspace (already authorized), audited."""
    with transaction() as tx:
        ws = tx.session.get(Workspace, actor.workspace_id)
        if ws is None:
            raise NotFound("workspace")
        old = getattr(ws, field)
        setattr(ws, field, value)
        tx.session.add(ws)
        audit.record(
            tx.session,
            action=action,
            actor_user_id=actor.user_id,
            workspace_id=ws.id,
            target_type="workspace",
            target_id=str(ws.id),
            ip=ip,
            details={"from": old, "to": value},
        )


def list_all() -> list[tuple[Workspace, int, str]]:
    """Operator view (CLI): every workspace, its member count and its first owner."""
    with read_session() as s:
        rows = s.exec(select(Workspace).order_by(col(Workspace.created_at))).all()
        out = []
        for ws in rows:
            n = s.exec(
                select(func.count()).select_from(Membership).where(Membership.workspace_id == ws.id)
            ).one()
            owner = s.exec(
                select(User.email)
                .join(Membership, col(Membership.user_id) == User.id)
                .where(Membership.workspace_id == ws.id, Membership.role == Role.OWNER.value)
                .order_by(col(Membership.created_at))
            ).first()
            out.append((ws, n, owner or ""))
        return out
