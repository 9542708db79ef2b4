"""Bulk jobs: start one from a CSV or XLSX upload, read its progress, get its files' link.

The same steps as the bulk page and `qrapp bulk`: the dry run checks every row
(services/bulk/dry_run.py), then services/bulk/jobs.py stores the valid rows and hands
them to the workers.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from pydantic import BaseModel, Field

from qrapp.api.v1.deps import caller
from qrapp.api.v1.text import Text
from qrapp.core import routes
from qrapp.core.api_scopes import Scope
from qrapp.core.bulk.mapping import guess_mapping
from qrapp.core.bulk.reading import BulkFileError, read_table
from qrapp.core.bulk.rows import JobOptions
from qrapp.services.authz import Actor
from qrapp.services.bulk import dry_run, jobs
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.settings import get_settings

router = APIRouter(prefix="/bulk-jobs", tags=["bulk jobs"])

Runner = Annotated[Actor, Depends(caller(Scope.BULK_WRITE))]

MAX_FILE_BYTES = 20 * 1024 * 1024  # as the bulk page's upload
SHOWN_PROBLEMS = 100


class RowProblem(BaseModel):
    row: int = Field(description="The data row's number, 1 for the first row under the header.")
    field: str
    message: str


class BulkJob(BaseModel):
    id: uuid.UUID
    name: str
    status: str = Field(description="queued, running, done, cancelled or failed")
    total: int
    processed: int
    failed: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    files_ready: bool = Field(description="The ZIP and the CSV of links can be fetched.")
    message: str
    problems: list[RowProblem] = Field(description="Rows that failed (the first 500).")

    @classmethod
    def of(cls, view: jobs.JobView) -> BulkJob:
        return cls(
            id=view.id,
            name=view.name,
            status=view.status,
            total=view.total,
            processed=view.processed,
            failed=view.failed,
            created_at=view.created_at,
            finished_at=view.finished_at,
            files_ready=view.has_zip,
            message=view.message,
            problems=[
                RowProblem(row=p.row, field=p.field, message=p.message) for p in view.problems
            ],
        )


class ResultLink(BaseModel):
    url: str = Field(description="A signed link that expires with the job's files.")


def _mapping(raw: str, headers: list[str]) -> dict[str, int] | None:
    """`{"url": "Website", "name": 0}`: field keys to a header's name or a 0-based column."""
    if not raw.strip():
        return None
    try:
        given = json.loads(raw)
    except ValueError:
        given = None
    if not isinstance(given, dict):
        raise FieldErrors({"mapping": "Send a JSON object of field keys to columns."})
    out: dict[str, int] = {}
    for key, column in given.items():
        if isinstance(column, int) and not isinstance(column, bool):
            out[str(key)] = column
        elif isinstance(column, str) and column in headers:
            out[str(key)] = headers.index(column)
        else:
            raise FieldErrors({f"mapping.{key}": f"No column {column!r} in the file."})
    return out


@router.post(
    "",
    operation_id="startBulkJob",
    summary="Start a bulk job from a CSV or XLSX file",
    status_code=202,
    response_model=BulkJob,
)
def start_bulk_job(
    actor: Runner,
    response: Response,
    file: Annotated[UploadFile, File(description="CSV or XLSX, a header row first.")],
    content_type: Annotated[
        Text, Form(description="url for dynamic codes, or a static type.")
    ] = "url",
    dynamic: Annotated[bool, Form()] = True,
    template_id: Annotated[Text | None, Form(description="A saved design's id.")] = None,
    formats: Annotated[Text, Form(description="Comma-separated: png, svg, pdf, eps.")] = "png",
    png_size: Annotated[int, Form()] = 1024,
    name_pattern: Annotated[Text, Form()] = "{row}-{name}",
    mapping: Annotated[
        Text, Form(description='JSON: field key -> header or column, e.g. {"url": "Link"}.')
    ] = "",
    skip_invalid_rows: Annotated[
        bool, Form(description="Start with the valid rows when some are refused.")
    ] = False,
) -> BulkJob:
    data = file.file.read(MAX_FILE_BYTES + 1)
    filename = (file.filename or "upload.csv").rsplit("/", 1)[-1][:200]
    if len(data) > MAX_FILE_BYTES:
        raise FieldErrors({"file": f"{filename} is over {MAX_FILE_BYTES // (1024 * 1024)} MB."})
    options = JobOptions(
        content_type=content_type,
        dynamic=dynamic,
        template_id=template_id or None,
        formats=tuple(f.strip().lower() for f in formats.split(",") if f.strip()),
        png_size=png_size,
        name_pattern=" ".join(name_pattern.split()) or "{row}-{name}",
    )
    try:
        table = read_table(data, filename, max_rows=get_settings().bulk_max_rows)
    except BulkFileError as exc:
        raise FieldErrors({"file": exc.message}) from None
    headers = [str(h) for h in table.headers]
    chosen = _mapping(mapping, headers)
    if chosen is None:
        chosen = guess_mapping(headers, content_type, dynamic)
    assert actor.workspace_id is not None
    report = dry_run.dry_run(
        actor=actor,
        workspace_id=actor.workspace_id,
        data=data,
        filename=filename,
        mapping=chosen,
        options=options,
    )
    refused = report.problems
    if refused and not skip_invalid_rows:
        raise FieldErrors(
            {f"rows.{p.row}.{p.field or 'row'}": p.message for p in refused[:SHOWN_PROBLEMS]}
        )
    if not report.valid:
        raise ServiceError("No row is valid: fix the file and send it again.")
    if not report.template_scans:
        raise ServiceError(report.template_verdict, field="template_id")
    job = jobs.start_job(
        actor=actor,
        workspace_id=actor.workspace_id,
        options=options,
        rows=list(report.valid),
        filename=filename,
    )
    response.headers["Location"] = f"{routes.API_V1}/bulk-jobs/{job.id}"
    return BulkJob.of(jobs.job_view(actor=actor, job_id=job.id))


@router.get("/{job_id}", operation_id="getBulkJob", summary="A bulk job's progress")
def get_bulk_job(job_id: uuid.UUID, actor: Runner) -> BulkJob:
    return BulkJob.of(jobs.job_view(actor=actor, job_id=job_id))


@router.get(
    "/{job_id}/result",
    operation_id="getBulkJobResult",
    summary="A signed link to a finished job's ZIP or CSV of links",
)
def get_bulk_job_result(
    job_id: uuid.UUID,
    actor: Runner,
    kind: Annotated[Literal["zip", "links"], Query()] = "zip",
) -> ResultLink:
    return ResultLink(url=jobs.download_link(actor=actor, job_id=job_id, kind=kind))
