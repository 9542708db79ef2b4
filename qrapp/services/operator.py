"""The operator command line acts inside a workspace as that workspace's first owner, so
every service keeps its actor check and audit row."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import Membership, User, Workspace
from qrapp.services.authz import Actor
from qrapp.services.errors import NotFound

CLI_SESSION = uuid.UUID(int=0)


def operator_actor(workspace: str) -> Actor:
    """WORKSPACE is an id or an exact name."""
    with read_session() as s:
        ws = None
        try:
            ws = s.get(Workspace, uuid.UUID(workspace))
        except ValueError:
            ws = s.exec(select(Workspace).where(Workspace.name == workspace)).first()
        if ws is None:
            raise NotFound("workspace")
        row = s.exec(
            select(Membership, User)
            .join(User, col(User.id) == Membership.user_id)
            .where(Membership.workspace_id == ws.id, Membership.role == Role.OWNER.value)
            .order_by(col(Membership.created_at))
        ).first()
        if row is None:
            raise NotFound("owner of the workspace")
        _membership, user = row
        return Actor(
            user_id=user.id,
            email=user.email,
            name=user.name,
            email_verified=True,
            session_id=CLI_SESSION,
            workspace_id=ws.id,
            role=Role.OWNER,
        )
