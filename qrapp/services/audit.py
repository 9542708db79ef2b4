"""Audit rows, written in the same transaction as the change they describe."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from qrapp.models import AuditLog
from qrapp.models.audit import AuditAction

__all__ = ["AuditAction", "record"]


def record(
    session: Session,
    *,
    action: AuditAction,
    actor_user_id: uuid.UUID | None,
    workspace_id: uuid.UUID | None = None,
    target_type: str = "",
    target_id: str = "",
    ip: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLog(
            workspace_id=workspace_id,
            actor_user_id=actor_user_id,
            action=AuditAction(action).value,
            target_type=target_type,
            target_id=target_id,
            ip=ip[:64],
            details=details or {},
        )
    )
