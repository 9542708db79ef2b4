"""Uploaded media of a workspace: one row per upload, its variants (resized images, WebP,
a PDF's first-page thumbnail) listed in `variants` and stored under server-chosen keys."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow

MEDIA_KINDS = ("image", "pdf", "video", "audio", "file")


class MediaAsset(SQLModel, table=True):
    """`variants` maps a variant name ("original", "w480", "w480.webp", "thumb", ...) to
    {"key", "content_type", "size", "width", "height"}; `size` is the sum of all variants
    (what counts against the workspace's quota). `name` is the sanitised original file
    name, kept only to show and as the download name; storage keys never use it."""

    __tablename__ = "media_asset"
    __table_args__ = (sa.Index("ix_media_asset_workspace_created", "workspace_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    kind: str = Field(max_length=8)  # one of MEDIA_KINDS
    name: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int = Field(default=0, sa_type=sa.BigInteger)
    checksum: str = Field(max_length=64)  # SHA-256 of the uploaded bytes
    width: int = Field(default=0)
    height: int = Field(default=0)
    variants: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
