"""Bulk jobs as people see them: start one from the dry run's valid rows, cancel it,
retry its failed rows, list them with their progress, and get a download link.

The work itself is done by the worker(s) (services.bulk.work); this module only stores
rows and enqueues. Every function authorizes its actor and scopes by workspace.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from qrapp.core.bulk.mapping import is_dynamic
from qrapp.core.permissions import Permission
from qrapp.core.plans import Resource
from qrapp.core.render import FORMATS, MAX_SIZE, MIN_SIZE
from qrapp.db import Transaction, read_session, transaction
from qrapp.models import BulkJob, BulkRow, DesignTemplate, Folder
from qrapp.models.bulk import ACTIVE, CANCELLED, FAILED, PENDING, QUEUED, ROW_FAILED
from qrapp.models.types import utcnow
from qrapp.queue import enqueue
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.bulk import links
from qrapp.services.errors import NotFound, PermissionDenied, ServiceError
from qrapp.settings import get_settings

if TYPE_CHECKING:
    from qrapp.core.bulk.rows import JobOptions, RowInput, RowProblem

WORK_TASK = "qrapp.bulk.work"
SWEEP_TASK = "qrapp.bulk.sweep"
PURGE_TASK = "qrapp.bulk.purge"
MAX_PROBLEMS = 500
_INSERT_BATCH = 1000


@dataclass(frozen=True)
class JobView:
    id: uuid.UUID
    name: str
    status: str  # queued | running | done | cancelled | failed
    total: int
    processed: int  # rows handled, made or failed
    failed: int
    rate_per_s: float
    eta_s: float | None  # None when not running or not yet measurable
    created_at: dt.datetime
    finished_at: dt.datetime | None
    has_zip: bool
    problems: list[RowProblem]
    message: str = ""  # why a job failed


def _job_or_raise(session: Session, workspace_id: uuid.UUID, job_id: uuid.UUID) -> BulkJob:
    job = session.get(BulkJob, job_id)
    if job is None or job.workspace_id != workspace_id:
        raise NotFound("bulk job")
    return job


def _has_zip(job: BulkJob, now: dt.datetime) -> bool:
    return bool(job.zip_key) and job.zip_expires_at is not None and job.zip_expires_at > now


def _view(job: BulkJob, problems: list[RowProblem], now: dt.datetime) -> JobView:
    rate, eta = 0.0, None
    if job.started_at is not None and job.processed:
        seconds = max(((job.finished_at or now) - job.started_at).total_seconds(), 0.001)
        rate = job.processed / seconds
        if job.status in ACTIVE:
            eta = (job.total - job.processed) / rate
    return JobView(
        id=job.id,
        name=job.name,
        status=job.status,
        total=job.total,
        processed=job.processed,
        failed=job.failed,
        rate_per_s=round(rate, 1),
        eta_s=round(eta, 1) if eta is not None else None,
        created_at=job.created_at,
        finished_at=job.finished_at,
        has_zip=_has_zip(job, now),
        problems=problems,
        message=job.message,
    )


def _job_name(filename: str, now: dt.datetime) -> str:
    stem = PurePath(filename or "bulk").stem.strip() or "bulk"
    return f"{stem[:50]} {now:%Y-%m-%d %H:%M}"


def _free_folder(session: Session, workspace_id: uuid.UUID, name: str) -> Folder:
    """A new folder named after the job ("name (2)" when the name is taken)."""
    taken = set(
        session.exec(
            select(Folder.name).where(
                Folder.workspace_id == workspace_id, col(Folder.name).startswith(name[:70])
            )
        ).all()
    )
    candidate, n = name[:80], 2
    while candidate in taken:
        candidate, n = f"{name[:70]} ({n})", n + 1
    folder = Folder(workspace_id=workspace_id, name=candidate)
    session.add(folder)
    return folder


def _check_options(options: JobOptions) -> None:
    formats = tuple(options.formats)
    if not formats or any(f not in FORMATS for f in formats):
        raise ServiceError(f"Choose file formats among {', '.join(FORMATS)}.", field="formats")
    if not MIN_SIZE <= options.png_size <= MAX_SIZE:
        raise ServiceError(f"PNG size must be {MIN_SIZE} to {MAX_SIZE} pixels.", field="png_size")
    if "{row}" not in options.name_pattern and "{name}" not in options.name_pattern:
        raise ServiceError("The file name pattern needs {row} or {name}.", field="name_pattern")


def _template_design(
    session: Session, workspace_id: uuid.UUID, template_id: str | None
) -> dict[str, Any]:
    if not template_id:
        return {}
    try:
        tid = uuid.UUID(str(template_id))
    except ValueError:
        raise NotFound("design template") from None
    template = session.get(DesignTemplate, tid)
    if template is None or template.workspace_id != workspace_id:
        raise NotFound("design template")
    return dict(template.design)


def _check_running_limit(session: Session, workspace_id: uuid.UUID) -> None:
    limit = get_settings().bulk_max_running_jobs
    running = session.exec(
        select(func.count())
        .select_from(BulkJob)
        .where(BulkJob.workspace_id == workspace_id, col(BulkJob.status).in_(ACTIVE))
    ).one()
    if running >= limit:
        raise ServiceError(
            f"This workspace already has {running} bulk job{'s' if running != 1 else ''} "
            f"running (at most {limit} at once). Wait for one to finish, or cancel one."
        )


def _check_plan(session: Session, workspace_id: uuid.UUID, options: JobOptions, n: int) -> None:
    """The plan's rows per job, and room for every code the job would make (counted at
    the start with the valid rows, under the workspace lock)."""
    entitlements.lock_workspace(session, workspace_id)
    the_plan = entitlements.plan_for(session, workspace_id)
    row_limit = the_plan.bulk_rows
    if row_limit is not None and n > row_limit:
        raise entitlements.PlanLimitReached(
            Resource.BULK_ROWS,
            the_plan,
            f"This job has {n:,} rows; your {the_plan.name} plan takes "
            f"{entitlements.quantity(row_limit, Resource.BULK_ROWS)}. "
            "Upgrade your plan for larger jobs, or split the file.",
        )
    resource = entitlements.code_resource(is_dynamic(options.content_type, options.dynamic))
    limit = the_plan.limit(resource)
    used = entitlements.count(session, workspace_id, resource)
    if limit is not None and used + n > limit:
        raise entitlements.PlanLimitReached(
            resource,
            the_plan,
            f"This job would make {entitlements.quantity(n, resource)}; your "
            f"{the_plan.name} plan includes {entitlements.quantity(limit, resource)} and "
            f"this workspace has {used:,}. Upgrade your plan to make more.",
        )


def _enqueue_workers(tx: Transaction, job_id: uuid.UUID) -> None:
    for _ in range(max(1, get_settings().bulk_workers)):
        tx.after_commit(lambda: enqueue(WORK_TASK, str(job_id)))


def start_job(
    *,
    actor: Actor,
    workspace_id: uuid.UUID,
    options: JobOptions,
    rows: list[RowInput],
    filename: str,
) -> BulkJob:
    """Store the job and its rows (all or nothing), then hand it to the worker(s)."""
    if require(actor, Permission.CODES_EDIT) != workspace_id:
        raise PermissionDenied()
    if not rows:
        raise ServiceError("There are no valid rows to make codes from.")
    limit = get_settings().bulk_max_rows
    if len(rows) > limit:
        raise ServiceError(f"This job has {len(rows):,} rows; a job takes at most {limit:,}.")
    numbers = [r.row for r in rows]
    if len(set(numbers)) != len(numbers):
        raise ServiceError("Two rows have the same row number.")
    _check_options(options)
    now = utcnow()
    with transaction() as tx:
        s = tx.session
        _check_plan(s, workspace_id, options, len(rows))
        _check_running_limit(s, workspace_id)
        design = _template_design(s, workspace_id, options.template_id)
        name = _job_name(filename, now)
        folder = _free_folder(s, workspace_id, name)
        s.flush()
        job = BulkJob(
            workspace_id=workspace_id,
            created_by=actor.user_id,
            name=name,
            filename=(filename or "")[:255],
            status=QUEUED,
            total=len(rows),
            options={
                **dataclasses.asdict(options),
                "design": design,
                "tag": name[:40],
                "folder": folder.name,
            },
            folder_id=folder.id,
            created_at=now,
        )
        s.add(job)
        s.flush()
        for start in range(0, len(rows), _INSERT_BATCH):
            s.execute(
                sa.insert(BulkRow),
                [
                    {
                        "job_id": job.id,
                        "row_number": r.row,
                        "input": _jsonable(r),
                        "status": PENDING,
                        "message": "",
                    }
                    for r in rows[start : start + _INSERT_BATCH]
                ],
            )
        audit.record(
            s,
            action=AuditAction.BULK_JOB_STARTED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="bulk_job",
            target_id=str(job.id),
            details={"rows": len(rows), "dynamic": options.dynamic, "file": job.filename},
        )
        _enqueue_workers(tx, job.id)
    return job


def _jsonable(row: RowInput) -> dict[str, Any]:
    data = dataclasses.asdict(row)
    data["tags"] = list(data.get("tags") or ())
    return data


def cancel_job(*, actor: Actor, job_id: uuid.UUID) -> None:
    """Stop the job between chunks; the codes already made stay in the library."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    with transaction() as tx:
        job = _job_or_raise(tx.session, workspace_id, job_id)
        if job.status not in ACTIVE:
            raise ServiceError("This job has already ended.")
        done = tx.session.exec(
            sa.update(BulkJob)
            .where(col(BulkJob.id) == job_id, col(BulkJob.status).in_(ACTIVE))
            .values(status="cancelled", finished_at=utcnow())
        ).rowcount
        if not done:
            raise ServiceError("This job has already ended.")
        audit.record(
            tx.session,
            action=AuditAction.BULK_JOB_CANCELLED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="bulk_job",
            target_id=str(job_id),
            details={"processed": job.processed, "total": job.total},
        )


def retry_failed(*, actor: Actor, job_id: uuid.UUID, rows: list[RowInput]) -> BulkJob:
    """Run the job's failed rows again, with the corrected input of `rows` where it has
    the same row number (from the fixed file's dry run); an empty `rows` retries them as
    they were (for failures that were not the row's fault)."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    fixed = {r.row: r for r in rows}
    with transaction() as tx:
        s = tx.session
        job = _job_or_raise(s, workspace_id, job_id)
        if job.status in ACTIVE:
            raise ServiceError("This job is still running; retry its failed rows once it ends.")
        if job.status == CANCELLED:
            raise ServiceError(
                "This job was cancelled. Start a new job with the rows it did not make."
            )
        failed = s.exec(
            select(BulkRow).where(BulkRow.job_id == job_id, BulkRow.status == ROW_FAILED)
        ).all()
        # A job that stopped on an error (not a row's) resumes its pending rows too.
        if not failed and job.status != FAILED:
            raise ServiceError("This job has no failed rows to retry.")
        if fixed and failed and not any(r.row_number in fixed for r in failed):
            raise ServiceError("None of the rows in this file failed in this job.")
        _check_running_limit(s, workspace_id)
        again = [r for r in failed if not fixed or r.row_number in fixed]
        for r in again:
            if r.row_number in fixed:
                r.input = _jsonable(fixed[r.row_number])
            r.status, r.message = PENDING, ""
            s.add(r)
        job.processed -= len(again)
        job.failed -= len(again)
        job.status, job.finished_at, job.finishing_at, job.message = QUEUED, None, None, ""
        s.add(job)
        audit.record(
            s,
            action=AuditAction.BULK_JOB_RETRIED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="bulk_job",
            target_id=str(job_id),
            details={"rows": len(again)},
        )
        _enqueue_workers(tx, job.id)
    return job


def list_jobs(*, actor: Actor, workspace_id: uuid.UUID, limit: int = 50) -> list[JobView]:
    """The workspace's newest jobs (without their row problems: see job_view)."""
    if require(actor, Permission.WORKSPACE_VIEW) != workspace_id:
        raise PermissionDenied()
    now = utcnow()
    with read_session() as s:
        jobs = s.exec(
            select(BulkJob)
            .where(BulkJob.workspace_id == workspace_id)
            .order_by(col(BulkJob.created_at).desc())
            .limit(max(1, min(limit, 200)))
        ).all()
        return [_view(j, [], now) for j in jobs]


def job_view(*, actor: Actor, job_id: uuid.UUID) -> JobView:
    """One job's progress and the messages of its failed rows (the first 500)."""
    from qrapp.core.bulk.rows import RowProblem

    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        job = _job_or_raise(s, workspace_id, job_id)
        failed = s.exec(
            select(BulkRow.row_number, BulkRow.message)
            .where(BulkRow.job_id == job_id, BulkRow.status == ROW_FAILED)
            .order_by(col(BulkRow.row_number))
            .limit(MAX_PROBLEMS)
        ).all()
        problems = [_problem(RowProblem, n, m) for n, m in failed]
        return _view(job, problems, utcnow())


def _problem(cls: Any, row: int, message: str) -> RowProblem:
    # Stored as "field: message" by the worker; the field is "" for whole-row problems.
    field, sep, text = message.partition(": ")
    if not sep or " " in field:
        field, text = "", message
    return cls(row=row, field=field, message=text)


def download_link(*, actor: Actor, job_id: uuid.UUID, kind: Literal["zip", "links"]) -> str:
    """An expiring signed URL of the job's ZIP or of its CSV of short links."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    if kind not in links.KINDS:
        raise ServiceError("Choose the ZIP or the CSV of links.")
    with read_session() as s:
        job = _job_or_raise(s, workspace_id, job_id)
    now = utcnow()
    if not _has_zip(job, now):
        if job.zip_expires_at is not None:
            raise ServiceError("The files of this job were deleted after 7 days.")
        raise ServiceError("The files of this job are not ready yet.")
    assert job.zip_expires_at is not None
    return links.signed_url(job.id, workspace_id, kind, not_after=job.zip_expires_at.timestamp())
