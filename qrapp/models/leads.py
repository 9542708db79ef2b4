"""Leads: what visitors sent through a page's lead form. The edge puts a submission on the
scan stream; the ingest stores it here (services.scans.lead_ingest), once per event id."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


class LeadSubmission(SQLModel, table=True):
    """One lead. `fields` is [{name, label, value}] as the form was when it was sent (the
    owner may edit the form later); `consent_text` the consent the visitor ticked ("" when
    the form asked none). No IP is kept."""

    __tablename__ = "lead_submission"
    __table_args__ = (sa.Index("ix_lead_submission_page_created", "page_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    # The edge's event id: a redelivered stream message stores nothing twice.
    event_id: uuid.UUID = Field(unique=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    page_id: uuid.UUID = Field(foreign_key="landing_page.id", ondelete="CASCADE")
    block_id: str = Field(max_length=24)
    version: int = Field(default=0)
    fields: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    consent_text: str = Field(default="", sa_type=sa.Text)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
