"""Bulk jobs: many codes made from the rows of a spreadsheet by the worker(s).

The BulkJob row is the source of truth (status, counts, settings, who and when); every
row of the file is a BulkRow, so a re-delivered task or a second worker finds the rows
still pending in the database and never makes a code twice: a row's code is created in
the same transaction that marks the row done, and (job, row number) is the primary key.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow

# Job statuses. "running" covers making the codes and writing the ZIP.
QUEUED, RUNNING, DONE, CANCELLED, FAILED = "queued", "running", "done", "cancelled", "failed"
ACTIVE = (QUEUED, RUNNING)
# Row statuses.
PENDING, ROW_DONE, ROW_FAILED = "pending", "done", "failed"


class BulkJob(SQLModel, table=True):
    __tablename__ = "bulk_job"
    __table_args__ = (
        sa.Index("ix_bulk_job_workspace_created", "workspace_id", "created_at"),
        sa.Index("ix_bulk_job_status", "status"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE")
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    name: str = Field(max_length=120)
    filename: str = Field(default="", max_length=255)
    status: str = Field(default=QUEUED, max_length=12)
    total: int = Field(default=0)
    # Rows handled (made or failed) and, of those, failed.
    processed: int = Field(default=0)
    failed: int = Field(default=0)
    # JobOptions as JSON, plus the template's design resolved when the job started.
    options: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    folder_id: uuid.UUID | None = Field(default=None, foreign_key="folder.id", ondelete="SET NULL")
    message: str = Field(default="", max_length=500)  # why a job failed
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Touched by every chunk: a running job whose heartbeat is old lost its worker.
    heartbeat_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set by the one worker that writes the ZIP (a stale one is taken over).
    finishing_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    zip_key: str = Field(default="", max_length=255)
    zip_expires_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class BulkRow(SQLModel, table=True):
    __tablename__ = "bulk_row"
    __table_args__ = (sa.Index("ix_bulk_row_job_status", "job_id", "status", "row_number"),)

    job_id: uuid.UUID = Field(primary_key=True, foreign_key="bulk_job.id", ondelete="CASCADE")
    row_number: int = Field(primary_key=True)
    input: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    status: str = Field(default=PENDING, max_length=12)
    code_id: uuid.UUID | None = Field(default=None, foreign_key="qr_code.id", ondelete="SET NULL")
    message: str = Field(default="", max_length=500)
