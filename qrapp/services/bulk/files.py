"""Which file a bulk download link opens, for a signed-in member of the job's workspace."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path, PurePath

from qrapp.core.permissions import Permission
from qrapp.db import read_session
from qrapp.models import BulkJob
from qrapp.models.types import utcnow
from qrapp.services.authz import Actor, require
from qrapp.services.bulk import output
from qrapp.services.errors import NotFound, ServiceError


@dataclass(frozen=True)
class JobFile:
    workspace_id: uuid.UUID
    path: Path
    filename: str


def job_file(*, actor: Actor, job_id: uuid.UUID, kind: str) -> JobFile:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        job = s.get(BulkJob, job_id)
    if job is None or job.workspace_id != workspace_id:
        raise NotFound("bulk job")
    if not job.zip_key or job.zip_expires_at is None or job.zip_expires_at <= utcnow():
        raise ServiceError("The files of this job are not there (not ready, or deleted).")
    path = output.path_of(job.id, kind)
    if not path.exists():
        raise ServiceError("The files of this job are not there (not ready, or deleted).")
    stem = PurePath(job.filename or "bulk").stem or "bulk"
    filename = f"{stem}-codes.zip" if kind == "zip" else f"{stem}-links.csv"
    return JobFile(workspace_id=job.workspace_id, path=path, filename=filename)
