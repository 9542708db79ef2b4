"""The QR library: search, filter, sort and page through a workspace's codes, and act on
several at once. Queries stay on indexed columns so 10,000 codes list quickly."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, or_
from sqlmodel import col, select

from qrapp.cachebus import announce_code_changed
from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models import Folder, QRCode
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.errors import FieldErrors, NotFound
from qrapp.services.scans import scan_rollups

SORTS = {
    "newest": (col(QRCode.created_at).desc(),),
    "oldest": (col(QRCode.created_at).asc(),),
    "name": (func.lower(QRCode.name).asc(), col(QRCode.created_at).desc()),
    "scans": (col(QRCode.total_scans).desc(), col(QRCode.created_at).desc()),
    "last_scan": (col(QRCode.last_scan_at).desc(), col(QRCode.created_at).desc()),
}
BULK_ACTIONS = ("pause", "activate", "archive", "delete", "tag", "untag", "move")
_BULK_AUDIT = {
    "pause": AuditAction.QR_BULK_PAUSE,
    "activate": AuditAction.QR_BULK_ACTIVATE,
    "archive": AuditAction.QR_BULK_ARCHIVE,
    "delete": AuditAction.QR_BULK_DELETE,
    "tag": AuditAction.QR_BULK_TAG,
    "untag": AuditAction.QR_BULK_UNTAG,
    "move": AuditAction.QR_BULK_MOVE,
}
MAX_PAGE = 100


@dataclass(frozen=True)
class LibraryQuery:
    search: str = ""
    content_type: str = ""
    status: str = ""  # "" = active and paused; "archived" shows only the archive
    kind: str = ""  # "", "dynamic" or "static"
    tag: str = ""
    folder_id: uuid.UUID | None = None
    created_from: dt.datetime | None = None  # inclusive
    created_to: dt.datetime | None = None  # exclusive
    sort: str = "newest"
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class LibraryPage:
    codes: list[QRCode]
    total: int
    page: int
    pages: int
    tags: list[str] = field(default_factory=list)


def _filtered(workspace_id: uuid.UUID, q: LibraryQuery):
    stmt = select(QRCode).where(QRCode.workspace_id == workspace_id)
    if q.status == "archived":
        stmt = stmt.where(QRCode.status == "archived")
    elif q.status in ("active", "paused"):
        stmt = stmt.where(QRCode.status == q.status)
    else:
        stmt = stmt.where(QRCode.status != "archived")
    if q.content_type:
        stmt = stmt.where(QRCode.content_type == q.content_type)
    if q.kind == "dynamic":
        stmt = stmt.where(col(QRCode.is_dynamic).is_(True))
    elif q.kind == "static":
        stmt = stmt.where(col(QRCode.is_dynamic).is_(False))
    if q.folder_id is not None:
        stmt = stmt.where(QRCode.folder_id == q.folder_id)
    if q.created_from is not None:
        stmt = stmt.where(col(QRCode.created_at) >= q.created_from)
    if q.created_to is not None:
        stmt = stmt.where(col(QRCode.created_at) < q.created_to)
    term = " ".join(q.search.split())[:100]
    if term:
        escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        stmt = stmt.where(
            or_(
                func.lower(QRCode.name).like(like, escape="\\"),
                func.lower(QRCode.destination).like(like, escape="\\"),
                func.lower(QRCode.short_code).like(like, escape="\\"),
            )
        )
    return stmt


def search(*, actor: Actor, query: LibraryQuery) -> LibraryPage:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    per_page = max(1, min(query.per_page, MAX_PAGE))
    order = SORTS.get(query.sort, SORTS["newest"])
    stmt = _filtered(workspace_id, query)
    with read_session() as s:
        if query.tag:
            # Tags live in a JSON list; filter them in Python over the already-narrowed ids.
            rows = s.exec(stmt.order_by(*order)).all()
            rows = [c for c in rows if query.tag.lower() in {t.lower() for t in c.tags}]
            total = len(rows)
            pages = max(1, -(-total // per_page))
            page = max(1, min(query.page, pages))
            codes = rows[(page - 1) * per_page : page * per_page]
        else:
            total = s.exec(select(func.count()).select_from(stmt.subquery())).one()
            pages = max(1, -(-total // per_page))
            page = max(1, min(query.page, pages))
            codes = list(
                s.exec(stmt.order_by(*order).offset((page - 1) * per_page).limit(per_page)).all()
            )
    return LibraryPage(codes=list(codes), total=total, page=page, pages=pages)


@dataclass(frozen=True)
class KeysetPage:
    codes: list[QRCode]
    # (created_at, id) of the last code when more follow: the next page starts after it.
    next_after: tuple[dt.datetime, uuid.UUID] | None


def search_after(
    *,
    actor: Actor,
    query: LibraryQuery,
    after: tuple[dt.datetime, uuid.UUID] | None = None,
    limit: int = 25,
) -> KeysetPage:
    """The library's filters, newest first, paged by keyset on (created_at, id) rather
    than by page number: a code added or deleted between two calls neither repeats nor
    skips one (what an integrator walking every code needs)."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    limit = max(1, min(limit, MAX_PAGE))
    stmt = _filtered(workspace_id, query)
    if after is not None:
        at, last_id = after
        stmt = stmt.where(
            or_(
                col(QRCode.created_at) < at,
                (col(QRCode.created_at) == at) & (col(QRCode.id) < last_id),
            )
        )
    stmt = stmt.order_by(col(QRCode.created_at).desc(), col(QRCode.id).desc())
    with read_session() as s:
        if query.tag:
            # Tags live in a JSON list (as in `search`): filtered in Python.
            wanted = query.tag.lower()
            rows = [c for c in s.exec(stmt).all() if wanted in {t.lower() for t in c.tags}]
            rows = rows[: limit + 1]
        else:
            rows = list(s.exec(stmt.limit(limit + 1)).all())
    more = len(rows) > limit
    codes = rows[:limit]
    last = codes[-1] if more else None
    return KeysetPage(codes=codes, next_after=(last.created_at, last.id) if last else None)


def workspace_tags(*, actor: Actor) -> list[str]:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        # JSON has no equality in PostgreSQL: empty lists are skipped in Python.
        lists = s.exec(select(QRCode.tags).where(QRCode.workspace_id == workspace_id)).all()
    seen: dict[str, str] = {}
    for tags in lists:
        for tag in tags or []:
            seen.setdefault(tag.lower(), tag)
    return sorted(seen.values(), key=str.lower)


def folders(*, actor: Actor) -> list[Folder]:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        return list(
            s.exec(
                select(Folder).where(Folder.workspace_id == workspace_id).order_by(Folder.name)
            ).all()
        )


def create_folder(*, actor: Actor, name: str, ip: str = "") -> Folder:
    workspace_id = require(actor, Permission.CODES_EDIT)
    name = " ".join((name or "").split())[:80]
    if not name:
        raise FieldErrors({"folder": "Give the folder a name."})
    with transaction() as tx:
        exists = tx.session.exec(
            select(Folder).where(Folder.workspace_id == workspace_id, Folder.name == name)
        ).first()
        if exists:
            raise FieldErrors({"folder": f"There is already a folder called '{name}'."})
        folder = Folder(workspace_id=workspace_id, name=name)
        tx.session.add(folder)
        audit.record(
            tx.session,
            action=AuditAction.FOLDER_CREATED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="folder",
            target_id=str(folder.id),
            ip=ip,
        )
    return folder


def delete_folder(*, actor: Actor, folder_id: uuid.UUID, ip: str = "") -> None:
    """The folder goes; its codes stay, outside any folder."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    with transaction() as tx:
        folder = tx.session.get(Folder, folder_id)
        if folder is None or folder.workspace_id != workspace_id:
            raise NotFound("folder")
        for code in tx.session.exec(select(QRCode).where(QRCode.folder_id == folder_id)).all():
            code.folder_id = None
            tx.session.add(code)
        tx.session.delete(folder)
        audit.record(
            tx.session,
            action=AuditAction.FOLDER_DELETED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="folder",
            target_id=str(folder_id),
            ip=ip,
            details={"name": folder.name},
        )


def bulk(
    *,
    actor: Actor,
    action: str,
    code_ids: list[uuid.UUID],
    tag: str = "",
    folder_id: uuid.UUID | None = None,
    ip: str = "",
) -> int:
    """Apply one action to several codes of the workspace; ids of other workspaces are
    ignored as if they did not exist. Returns how many codes changed."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    if action not in BULK_ACTIONS:
        raise FieldErrors({"action": "Unknown action."})
    tag = " ".join(tag.split())[:40]
    if action in ("tag", "untag") and not tag:
        raise FieldErrors({"tag": "Enter a tag."})
    ids = list(dict.fromkeys(code_ids))[:1000]
    changed: list[tuple[str, str | None]] = []
    with transaction() as tx:
        if action == "move" and folder_id is not None:
            folder = tx.session.get(Folder, folder_id)
            if folder is None or folder.workspace_id != workspace_id:
                raise NotFound("folder")
        codes = tx.session.exec(
            select(QRCode).where(QRCode.workspace_id == workspace_id, col(QRCode.id).in_(ids))
        ).all()
        if action in ("pause", "activate"):
            _reserve_unarchived(tx.session, workspace_id, codes)
        if action == "delete":
            scan_rollups.forget_codes(tx.session.connection(), [code.id for code in codes])
        for code in codes:
            if action == "delete":
                tx.session.delete(code)
            elif action in ("pause", "activate", "archive"):
                code.status = {"pause": "paused", "activate": "active", "archive": "archived"}[
                    action
                ]
            elif action == "tag":
                if tag.lower() not in {t.lower() for t in code.tags}:
                    code.tags = [*code.tags, tag]
            elif action == "untag":
                code.tags = [t for t in code.tags if t.lower() != tag.lower()]
            elif action == "move":
                code.folder_id = folder_id
            if action != "delete":
                code.updated_at = utcnow()
                tx.session.add(code)
            changed.append((code.domain, code.short_code))
        audit.record(
            tx.session,
            action=_BULK_AUDIT[action],
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="qr_code",
            ip=ip,
            details={"count": len(changed), "tag": tag} if tag else {"count": len(changed)},
        )
    for domain, short in changed:
        announce_code_changed(domain, short)
    return len(changed)


def _reserve_unarchived(session, workspace_id: uuid.UUID, codes) -> None:  # type: ignore[no-untyped-def]
    """Archived codes brought back by pause/activate take places in the plan again."""
    for dynamic in (True, False):
        n = sum(1 for c in codes if c.status == "archived" and c.is_dynamic is dynamic)
        if n:
            entitlements.reserve(session, workspace_id, entitlements.code_resource(dynamic), n)
