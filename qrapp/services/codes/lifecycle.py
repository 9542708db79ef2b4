"""A code's life: pause, resume, archive (its status) and delete. An archived or paused
dynamic code stops redirecting at the edge; deleting also forgets its scan rollups.
"""

from __future__ import annotations

import uuid

from qrapp.cachebus import announce_code_changed
from qrapp.core.permissions import Permission
from qrapp.db import transaction
from qrapp.models import QRCode
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.codes.records import audit_code, code_in_workspace_or_raise, mark_changed
from qrapp.services.errors import FieldErrors
from qrapp.services.scans import scan_rollups

STATUSES = ("active", "paused", "archived")
_STATUS_AUDIT = {
    "active": AuditAction.QR_ACTIVE,
    "paused": AuditAction.QR_PAUSED,
    "archived": AuditAction.QR_ARCHIVED,
}


def set_status(*, actor: Actor, code_id: uuid.UUID, status: str, ip: str = "") -> QRCode:
    """Pause, resume (active) or archive. Archived dynamic codes stop redirecting."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    if status not in STATUSES:
        raise FieldErrors({"status": f"Status must be one of {', '.join(STATUSES)}."})
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        if code.status == "archived" and status != "archived":
            # An archived code takes no place; bringing it back takes one.
            entitlements.reserve(
                tx.session, workspace_id, entitlements.code_resource(code.is_dynamic)
            )
        old, code.status = code.status, status
        mark_changed(tx, code)
        audit_code(tx, actor, code, _STATUS_AUDIT[status], ip, {"from": old})
    return code


def delete(*, actor: Actor, code_id: uuid.UUID, ip: str = "") -> None:
    workspace_id = require(actor, Permission.CODES_EDIT)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        domain, short = code.domain, code.short_code
        audit_code(tx, actor, code, AuditAction.QR_DELETED, ip, {"name": code.name})
        scan_rollups.forget_codes(tx.session.connection(), [code.id])
        tx.session.delete(code)
        tx.after_commit(lambda: announce_code_changed(domain, short))
