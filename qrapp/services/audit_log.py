"""The audit log viewer's reads (Settings -> Audit log) and its CSV export.

Scope: the rows of the actor's workspace, plus the account rows (no workspace: logins,
sign-outs, password and two-factor changes) of the people who are members of it now, so
an admin sees the security events of their team. Nothing of another workspace, ever.
Newest first, in pages of PAGE_SIZE with an opaque cursor (created_at, id of the last row).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, select

from qrapp.core.audit_words import action_words, object_words
from qrapp.core.permissions import Permission
from qrapp.core.spreadsheet_cells import neutralise
from qrapp.db import read_session, transaction
from qrapp.models import ApiKey, AuditLog, Membership, User
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.errors import ServiceError

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class Filters:
    person: str = ""  # "user:<uuid>" | "key:<uuid>" | ""
    action: str = ""  # an exact action value
    object_type: str = ""  # target_type
    object_id: str = ""  # target_id, exact
    date_from: str = ""  # YYYY-MM-DD (UTC), inclusive
    date_to: str = ""  # YYYY-MM-DD (UTC), inclusive

    @classmethod
    def from_mapping(cls, values) -> Filters:  # type: ignore[no-untyped-def]
        def get(name: str, limit: int) -> str:
            value = values.get(name, "")
            return value.strip()[:limit] if isinstance(value, str) else ""

        return cls(
            person=get("person", 64),
            action=get("action", 64),
            object_type=get("object_type", 32),
            object_id=get("object_id", 64),
            date_from=get("date_from", 10),
            date_to=get("date_to", 10),
        )

    def query(self) -> dict[str, str]:
        """The non-empty filters, for the export link's query string."""
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass(frozen=True)
class Row:
    id: uuid.UUID
    created_at: dt.datetime
    who: str
    who_kind: str  # person | api_key | nobody
    action: str
    what: str
    object_type: str
    object: str
    target_id: str
    ip: str
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    next_cursor: str  # "" on the last page


@dataclass(frozen=True)
class Choices:
    people: list[tuple[str, str]]  # (filter value, label)
    actions: list[tuple[str, str]]
    object_types: list[tuple[str, str]]


def _day(value: str, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ServiceError(f"The {label} date must look like 2026-12-01.", field=label) from None


def _scope(workspace_id: uuid.UUID) -> sa.ColumnElement[bool]:
    members = select(Membership.user_id).where(Membership.workspace_id == workspace_id)
    return sa.or_(
        col(AuditLog.workspace_id) == workspace_id,
        sa.and_(
            col(AuditLog.workspace_id).is_(None),
            col(AuditLog.actor_user_id).in_(members),
        ),
    )


def _conditions(workspace_id: uuid.UUID, f: Filters) -> list[sa.ColumnElement[bool]]:
    where = [_scope(workspace_id)]
    if f.person:
        kind, _, raw = f.person.partition(":")
        try:
            who = uuid.UUID(raw)
        except ValueError:
            raise ServiceError("Choose a person from the list.", field="person") from None
        if kind == "key":
            where.append(col(AuditLog.api_key_id) == who)
        elif kind == "user":
            where.append(col(AuditLog.actor_user_id) == who)
            where.append(col(AuditLog.api_key_id).is_(None))
        else:
            raise ServiceError("Choose a person from the list.", field="person")
    if f.action:
        where.append(col(AuditLog.action) == f.action)
    if f.object_type:
        where.append(col(AuditLog.target_type) == f.object_type)
    if f.object_id:
        where.append(col(AuditLog.target_id) == f.object_id)
    start, end = _day(f.date_from, "from"), _day(f.date_to, "to")
    if start and end and end < start:
        raise ServiceError("The “to” date is before the “from” date.", field="to")
    if start:
        where.append(col(AuditLog.created_at) >= dt.datetime.combine(start, dt.time(), dt.UTC))
    if end:
        after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
        where.append(col(AuditLog.created_at) < after)
    return where


def _after_cursor(cursor: str) -> sa.ColumnElement[bool] | None:
    if not cursor:
        return None
    stamp, _, raw = cursor.partition("|")
    try:
        at = dt.datetime.fromisoformat(stamp)
        row_id = uuid.UUID(raw)
    except ValueError:
        raise ServiceError("That page of the audit log no longer exists; start again.") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return sa.or_(
        col(AuditLog.created_at) < at,
        sa.and_(col(AuditLog.created_at) == at, col(AuditLog.id) < row_id),
    )


def _cursor(row: AuditLog) -> str:
    return f"{row.created_at.isoformat()}|{row.id}"


def _rows(s: Session, logs: list[AuditLog]) -> list[Row]:
    user_ids = {r.actor_user_id for r in logs if r.actor_user_id}
    key_ids = {r.api_key_id for r in logs if r.api_key_id}
    users = (
        {u.id: u for u in s.exec(select(User).where(col(User.id).in_(user_ids))).all()}
        if user_ids
        else {}
    )
    keys = (
        {k.id: k.name for k in s.exec(select(ApiKey).where(col(ApiKey.id).in_(key_ids))).all()}
        if key_ids
        else {}
    )
    out = []
    for r in logs:
        if r.api_key_id:
            who, kind = f"API key “{keys.get(r.api_key_id, 'deleted')}”", "api_key"
        elif r.actor_user_id and r.actor_user_id in users:
            u = users[r.actor_user_id]
            who, kind = (f"{u.name} ({u.email})" if u.name else u.email), "person"
        else:
            who, kind = "Nobody signed in", "nobody"
        details = r.details or {}
        name = details.get("name") or details.get("email") or details.get("device") or ""
        obj = ""
        if r.target_type:
            obj = object_words(r.target_type)
            if name:
                obj += f" “{str(name)[:80]}”"
            elif r.target_id:
                obj += f" {r.target_id[:8]}"
        out.append(
            Row(
                id=r.id,
                created_at=r.created_at,
                who=who,
                who_kind=kind,
                action=r.action,
                what=action_words(r.action),
                object_type=r.target_type,
                object=obj,
                target_id=r.target_id,
                ip=r.ip,
                details=details,
            )
        )
    return out


def page(*, actor: Actor, filters: Filters, cursor: str = "", limit: int = PAGE_SIZE) -> Page:
    workspace_id = require(actor, Permission.AUDIT_VIEW)
    where = _conditions(workspace_id, filters)
    after = _after_cursor(cursor)
    if after is not None:
        where.append(after)
    limit = max(1, min(limit, 200))
    with read_session() as s:
        logs = list(
            s.exec(
                select(AuditLog)
                .where(*where)
                .order_by(col(AuditLog.created_at).desc(), col(AuditLog.id).desc())
                .limit(limit + 1)
            ).all()
        )
        more = len(logs) > limit
        logs = logs[:limit]
        rows = _rows(s, logs)
    return Page(rows, _cursor(logs[-1]) if more and logs else "")


def choices(*, actor: Actor) -> Choices:
    """What the filters offer: the people and keys, actions and object kinds in the log."""
    workspace_id = require(actor, Permission.AUDIT_VIEW)
    scope = _scope(workspace_id)
    with read_session() as s:
        actions = s.exec(select(AuditLog.action).where(scope).distinct()).all()
        types = s.exec(select(AuditLog.target_type).where(scope).distinct()).all()
        user_ids = s.exec(
            select(AuditLog.actor_user_id)
            .where(scope, col(AuditLog.api_key_id).is_(None))
            .distinct()
        ).all()
        key_ids = s.exec(select(AuditLog.api_key_id).where(scope).distinct()).all()
        users = s.exec(select(User).where(col(User.id).in_([u for u in user_ids if u]))).all()
        keys = s.exec(select(ApiKey).where(col(ApiKey.id).in_([k for k in key_ids if k]))).all()
    people = sorted(
        ((f"user:{u.id}", u.name or u.email) for u in users), key=lambda p: p[1].lower()
    ) + sorted(((f"key:{k.id}", f"API key “{k.name}”") for k in keys), key=lambda p: p[1])
    return Choices(
        people=people,
        actions=sorted(((a, action_words(a)) for a in actions), key=lambda a: a[1]),
        object_types=sorted(((t, object_words(t)) for t in types if t), key=lambda t: t[1]),
    )


CSV_HEADER = ["When (UTC)", "Who", "Action", "Action code", "Object", "Object id", "IP", "Details"]


def export_csv(*, actor: Actor, filters: Filters, ip: str = "") -> bytes:
    """Every row the filters match (newest first, up to EXPORT_LIMIT) as CSV, cells
    neutralised against spreadsheet formulas. The download itself is audited."""
    workspace_id = require(actor, Permission.AUDIT_VIEW)
    where = _conditions(workspace_id, filters)
    with read_session() as s:
        logs = list(
            s.exec(
                select(AuditLog)
                .where(*where)
                .order_by(col(AuditLog.created_at).desc(), col(AuditLog.id).desc())
                .limit(EXPORT_LIMIT)
            ).all()
        )
        rows = _rows(s, logs)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                    r.who,
                    r.what,
                    r.action,
                    r.object,
                    r.target_id,
                    r.ip,
                    json.dumps(r.details, ensure_ascii=False, sort_keys=True) if r.details else "",
                )
            ]
        )
    with transaction() as tx:
        audit.record(
            tx.session,
            action=AuditAction.AUDIT_EXPORTED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            ip=ip,
            details={"rows": len(rows), "filters": filters.query()},
        )
    return out.getvalue().encode("utf-8-sig")
