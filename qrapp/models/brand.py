"""A workspace's brand (white label): what visitors see on its pages instead of ours."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from qrapp.models.types import UTCDateTime, utcnow


class WorkspaceBrand(SQLModel, table=True):
    """One row per workspace that set a brand. Colours are "#rrggbb" or "" (the default);
    the logo and favicon are images of the workspace's media library (a deleted asset
    simply drops out of the brand)."""

    __tablename__ = "workspace_brand"

    workspace_id: uuid.UUID = Field(
        foreign_key="workspace.id", ondelete="CASCADE", primary_key=True
    )
    name: str = Field(default="", max_length=80)
    logo_asset_id: uuid.UUID | None = Field(
        default=None, foreign_key="media_asset.id", ondelete="SET NULL"
    )
    favicon_asset_id: uuid.UUID | None = Field(
        default=None, foreign_key="media_asset.id", ondelete="SET NULL"
    )
    primary_colour: str = Field(default="", max_length=7)
    accent_colour: str = Field(default="", max_length=7)
    support_email: str = Field(default="", max_length=254)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
