"""A code as a row of the actor's workspace: finding it (another workspace's code is "not
found", the same answer as a missing id), listing the newest, and what every change of a
code does in its transaction: an audit row, and the edges told to drop their copy.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from qrapp.cachebus import announce_code_changed
from qrapp.core.permissions import Permission
from qrapp.db import Transaction, read_session, table_of
from qrapp.models import Folder, QRCode
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.errors import NotFound
from qrapp.services.webhooks import hooks as webhook_hooks
from qrapp.sqlite_reads import PreparedRead


def code_in_workspace_or_raise(
    session: Session, workspace_id: uuid.UUID, code_id: uuid.UUID
) -> QRCode:
    """The code, when it belongs to the workspace; NotFound otherwise (another workspace's
    code is answered exactly like a missing one)."""
    code = session.get(QRCode, code_id)
    if code is None or code.workspace_id != workspace_id:
        raise NotFound("QR code")
    return code


def get_code_or_raise(*, actor: Actor, code_id: uuid.UUID) -> QRCode:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        return code_in_workspace_or_raise(s, workspace_id, code_id)


_CODES = table_of(QRCode)
_CODE_BY_ID = PreparedRead(sa.select(_CODES).where(_CODES.c.id == sa.bindparam("code_id")))


def code_row_or_raise(*, actor: Actor, code_id: uuid.UUID) -> Any:
    """As get_code_or_raise, as a read-only row (the model's attribute names, values as the
    model holds them) read with one prepared SELECT: about 22 us on SQLite where the ORM's
    get, its session and identity map take 250 and Core's 54, for the API's hot read
    (bench/api.py; qrapp.sqlite_reads)."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    row = _CODE_BY_ID.first(code_id=code_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFound("QR code")
    return row


def list_codes(*, actor: Actor, limit: int = 50, offset: int = 0) -> list[QRCode]:
    """The newest codes of the actor's workspace (the library adds filters)."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        return list(
            s.exec(
                select(QRCode)
                .where(QRCode.workspace_id == workspace_id)
                .order_by(col(QRCode.created_at).desc())
                .offset(max(0, offset))
                .limit(max(1, min(limit, 500)))
            ).all()
        )


def folder_in_workspace(session: Session, workspace_id: uuid.UUID, folder_id: uuid.UUID) -> Folder:
    folder = session.get(Folder, folder_id)
    if folder is None or folder.workspace_id != workspace_id:
        raise NotFound("folder")
    return folder


def audit_code(
    tx: Transaction,
    actor: Actor,
    code: QRCode,
    action: AuditAction,
    ip: str,
    details: dict[str, Any] | None = None,
) -> None:
    """An audit row about one code, in the transaction that changes it (codes, rules)."""
    audit.record(
        tx.session,
        action=action,
        actor_user_id=actor.user_id,
        workspace_id=code.workspace_id,
        target_type="qr_code",
        target_id=str(code.id),
        ip=ip,
        details=details or {},
    )
    webhook_hooks.code_changed(tx, code, action)  # code.created / updated / deleted


def mark_changed(tx: Transaction, code: QRCode) -> None:
    """Stamp the code as changed and, once the transaction commits, tell every edge to
    drop its cached copy."""
    code.updated_at = utcnow()
    tx.session.add(code)
    domain, short = code.domain, code.short_code
    tx.after_commit(lambda: announce_code_changed(domain, short))
