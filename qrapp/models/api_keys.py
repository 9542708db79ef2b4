"""API keys and their daily use. The secret is never stored: only its SHA-256 (a key
carries 160 random bits, so a fast hash is enough; a slow one would cost every request)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


def _when(**kw: Any) -> Any:
    return Field(default=None, sa_type=UTCDateTime, **kw)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=80)
    # The key's public part (`qrk_<lookup>_<secret>`): found by it, then the secret compared.
    lookup: str = Field(max_length=16, sa_column_kwargs={"unique": True})
    secret_hash: str = Field(max_length=64)
    # Rotation: the old secret keeps working until previous_valid_until.
    previous_secret_hash: str = Field(default="", max_length=64)
    previous_valid_until: dt.datetime | None = _when()
    scopes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime | None = _when()
    last_used_at: dt.datetime | None = _when()
    revoked_at: dt.datetime | None = _when()


class ApiKeyUsage(SQLModel, table=True):
    """Requests and errors (4xx/5xx answers) per key per UTC day, for the usage chart."""

    __tablename__ = "api_key_usage"

    key_id: uuid.UUID = Field(foreign_key="api_key.id", ondelete="CASCADE", primary_key=True)
    day: dt.date = Field(primary_key=True)
    requests: int = Field(default=0)
    errors: int = Field(default=0)
