"""E-mail domains a workspace proves it owns, for single sign-on."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from qrapp.models.sso import SsoDomain


def is_verified(session: Session, workspace_id: uuid.UUID, domain: str) -> bool:
    return (
        session.exec(
            select(SsoDomain.id).where(
                SsoDomain.workspace_id == workspace_id,
                SsoDomain.domain == domain.lower(),
                col(SsoDomain.verified_at).is_not(None),
            )
        ).first()
        is not None
    )
