"""Audit rows, written in the same transaction as the change they describe."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from typing import Any

from sqlmodel import Session

from qrapp.models import AuditLog
from qrapp.models.audit import AuditAction

__all__ = ["AuditAction", "acting_api_key", "record"]

# The API key acting in this request, set by the API's key check (qrapp.api.v1.deps) so
# every audit row a service writes for it names the key without each service passing it.
acting_api_key: ContextVar[uuid.UUID | None] = ContextVar("acting_api_key", default=None)


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
            api_key_id=acting_api_key.get(),
            action=AuditAction(action).value,
            target_type=target_type,
            target_id=target_id,
            ip=ip[:64],
            details=details or {},
        )
    )
