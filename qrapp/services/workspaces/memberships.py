"""Membership look-ups shared by authorization and login."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from qrapp.models import Membership, Workspace


def first_membership(session: Session, user_id: uuid.UUID) -> Membership | None:
    """The workspace a fresh session starts in: the personal one, else the oldest."""
    return session.exec(
        select(Membership)
        .join(Workspace, col(Workspace.id) == Membership.workspace_id)
        .where(Membership.user_id == user_id)
        .order_by(col(Workspace.is_personal).desc(), col(Membership.created_at))
    ).first()
