"""People, their workspaces and memberships."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


def _ts(**kw: Any) -> Any:  # a Field; sqlmodel types Field() as the column's value
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kw)


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True}, index=False)
    name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=255)
    email_verified_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    is_active: bool = Field(default=True)
    created_at: dt.datetime = _ts()
    password_changed_at: dt.datetime = _ts()


class Workspace(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    name: str = Field(max_length=80)
    is_personal: bool = Field(default=False)
    timezone: str = Field(default="UTC", max_length=64)
    plan: str = Field(default="free", max_length=20)
    # Raw scan events older than this are purged; None means the plan's default.
    retention_days: int | None = Field(default=None)
    # Members without a second factor are walked through enrolment at their next login.
    require_two_factor: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: dt.datetime = _ts()
    # Enterprise: the networks (CIDRs, one a line) the dashboard and the API accept for
    # this workspace; empty means every address (services.workspaces.ip_allowlist).
    ip_allowlist: str = Field(default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""})


class Membership(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("workspace_id", "user_id"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=16)  # qrapp.core.permissions.Role
    created_at: dt.datetime = _ts()


class Invitation(SQLModel, table=True):
    """An e-mailed invitation to a workspace; only the account with that e-mail accepts."""

    __table_args__ = (sa.Index("ix_invitation_workspace_email", "workspace_id", "email"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    email: str = Field(max_length=254)
    role: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = _ts()
    expires_at: dt.datetime = Field(sa_type=UTCDateTime)
    accepted_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
