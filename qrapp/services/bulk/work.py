"""The worker's side of a bulk job: chunks of rows made into codes, then the ZIP.

Safe to run more than once at the same time and to be killed at any point:
- a chunk takes the job row first (an UPDATE, so chunks of one job queue behind each
  other on both databases), then reads the rows still pending, makes their codes and marks
  them done in the same transaction: a chunk that is run again, or a task delivered twice,
  finds those rows done and makes nothing twice;
- files are rendered after the commit, outside the transaction (no lock held while the
  CPU works); the ZIP step renders whatever a killed worker left without a file;
- one task works for about WORK_SLICE_SECONDS and then queues its own continuation, so a
  single embedded worker still sends mail between the chunks of a long job;
- a job whose heartbeat is older than bulk_stale_seconds is queued again by the periodic
  sweep, and a worker that starts queues every running job again (its old worker may
  have been killed with kill -9; extra tasks for a job find nothing to do and end).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import col, exists, or_, select

from qrapp.core import routes as paths
from qrapp.core.permissions import Permission, role_allows
from qrapp.db import read_session, transaction
from qrapp.models import BulkJob, BulkRow, Membership, QRCode, User
from qrapp.models.bulk import ACTIVE, DONE, FAILED, PENDING, ROW_DONE, ROW_FAILED, RUNNING
from qrapp.models.types import utcnow
from qrapp.queue import enqueue
from qrapp.services.bulk import output
from qrapp.services.bulk.jobs import WORK_TASK
from qrapp.services.bulk.making import ChunkMaker, subject
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.services.mail import app_link, queue_mail
from qrapp.services.webhooks import hooks as webhook_hooks
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

WORK_SLICE_SECONDS = 20.0
MAIL_AFTER = dt.timedelta(minutes=1)
_PAGE = 500


class _Stopped(Exception):
    """The job is no longer running (cancelled, finished, deleted)."""


def run(job_id: uuid.UUID, *, slice_seconds: float = WORK_SLICE_SECONDS) -> None:
    """The task body: make chunks for a while, then continue in a new task or finish."""
    started = time.monotonic()
    try:
        while step(job_id):
            if time.monotonic() - started > slice_seconds:
                enqueue(WORK_TASK, str(job_id))
                return
        finish(job_id)
    except OperationalError:
        raise  # the database is away: the sweep queues the job again later
    except Exception:
        log.exception("bulk job %s failed", job_id)
        _mark_failed(job_id, "Something went wrong while making the codes. Try again.")


def step(job_id: uuid.UUID) -> bool:
    """One chunk and its files; False once no row is pending or the job stopped."""
    size = max(1, get_settings().bulk_chunk_rows)
    while True:
        try:
            made = make_chunk(job_id, limit=size)
            break
        except _Stopped:
            return False
        except IntegrityError:
            # A random short code or a folder clashed with one made meanwhile: make the
            # chunk again in smaller pieces (a single row that still clashes fails).
            if size == 1:
                try:
                    _fail_first_pending(job_id)
                except _Stopped:
                    return False
            size = max(1, size // 4)
    if made is None:
        return False
    options, rows = made
    output.write_row_files(
        job_id, rows, options.get("formats") or ("png",), options.get("png_size", 1024)
    )
    return True


def _take_job(s, job_id: uuid.UUID) -> BulkJob:
    """Lock the job row for this transaction and mark it running with a fresh heartbeat."""
    now = utcnow()
    taken = s.exec(
        sa.update(BulkJob)
        .where(col(BulkJob.id) == job_id, col(BulkJob.status).in_(ACTIVE))
        .values(status=RUNNING, heartbeat_at=now)
    ).rowcount
    if not taken:
        raise _Stopped
    job = s.get(BulkJob, job_id, populate_existing=True)
    assert job is not None
    if job.started_at is None:
        job.started_at = now
        s.add(job)
    return job


def _creator_may_make_codes(s, job: BulkJob) -> bool:
    """The person who started the job must still be allowed to make codes there."""
    if job.created_by is None:
        return False
    membership = s.exec(
        select(Membership).where(
            Membership.user_id == job.created_by, Membership.workspace_id == job.workspace_id
        )
    ).first()
    return membership is not None and role_allows(membership.role, Permission.CODES_EDIT)


def make_chunk(job_id: uuid.UUID, *, limit: int):
    """Make the codes of the next `limit` pending rows in one transaction. Returns
    (options, [(row number, prepared code)]) for the files, or None when no row is pending.
    Raises _Stopped when the job is not running."""
    with transaction() as tx:
        s = tx.session
        job = _take_job(s, job_id)
        if not _creator_may_make_codes(s, job):
            job.status, job.finished_at = FAILED, utcnow()
            job.message = "The person who started this job may no longer make codes here."
            s.add(job)
            return None
        rows = s.exec(
            select(BulkRow)
            .where(BulkRow.job_id == job_id, BulkRow.status == PENDING)
            .order_by(col(BulkRow.row_number))
            .limit(limit)
        ).all()
        if not rows:
            return None
        maker = ChunkMaker(tx, job)
        made, codes = [], []
        failed = 0
        for row in rows:
            try:
                code, ready = maker.make(row.input)
            except FieldErrors as exc:
                row.status, row.message = ROW_FAILED, _message(exc)
                failed += 1
                s.add(row)
            except ServiceError as exc:
                row.status, row.message = ROW_FAILED, exc.message[:500]
                failed += 1
                s.add(row)
            else:
                codes.append((row, code))
                made.append((row.row_number, ready))
        # The codes first, in one batch (their ids are made here, not by the database),
        # then the rows that point at them.
        s.flush()
        for row, code in codes:
            row.status, row.code_id = ROW_DONE, code.id
            s.add(row)
        job.processed += len(rows)
        job.failed += failed
        s.add(job)
        options = dict(job.options)
    if not made and not failed:
        return None
    return options, made


def _message(exc: FieldErrors) -> str:
    field, message = next(iter(exc.errors.items()), ("", exc.message))
    return (f"{field}: {message}" if field else message)[:500]


def _fail_first_pending(job_id: uuid.UUID) -> None:
    with transaction() as tx:
        s = tx.session
        job = _take_job(s, job_id)
        row = s.exec(
            select(BulkRow)
            .where(BulkRow.job_id == job_id, BulkRow.status == PENDING)
            .order_by(col(BulkRow.row_number))
        ).first()
        if row is None:
            return
        row.status = ROW_FAILED
        row.message = "alias: This short link was taken while the job ran. Retry the row."
        job.processed += 1
        job.failed += 1
        s.add(row)
        s.add(job)


def _mark_failed(job_id: uuid.UUID, message: str) -> None:
    with transaction() as tx:
        failed = tx.session.exec(
            sa.update(BulkJob)
            .where(col(BulkJob.id) == job_id, col(BulkJob.status).in_(ACTIVE))
            .values(status=FAILED, finished_at=utcnow(), message=message)
        ).rowcount
        job = tx.session.get(BulkJob, job_id, populate_existing=True)
        if failed and job is not None and _ran_long(job):
            _mail_owner(tx, job)


def _heartbeat(job_id: uuid.UUID) -> None:
    now = utcnow()
    with transaction() as tx:
        still = tx.session.exec(
            sa.update(BulkJob)
            .where(col(BulkJob.id) == job_id, col(BulkJob.status) == RUNNING)
            .values(heartbeat_at=now, finishing_at=now)
        ).rowcount
    if not still:
        raise _Stopped


def _done_rows(job_id: uuid.UUID) -> Iterator[tuple[int, QRCode]]:
    """The job's made rows and their codes in row order, a page per short read."""
    after = -1
    while True:
        with read_session() as s:
            page = s.exec(
                select(BulkRow.row_number, QRCode)
                .join(QRCode, col(QRCode.id) == BulkRow.code_id)
                .where(
                    BulkRow.job_id == job_id,
                    BulkRow.status == ROW_DONE,
                    col(BulkRow.row_number) > after,
                )
                .order_by(col(BulkRow.row_number))
                .limit(_PAGE)
            ).all()
        if not page:
            return
        yield from page
        after = page[-1][0]


def finish(job_id: uuid.UUID) -> None:
    """Write the ZIP once no row is pending; only one worker does (a stale one is taken
    over), and a job cancelled meanwhile stays cancelled."""
    now = utcnow()
    stale = now - dt.timedelta(seconds=get_settings().bulk_stale_seconds)
    with transaction() as tx:
        pending = exists().where(col(BulkRow.job_id) == job_id, col(BulkRow.status) == PENDING)
        claimed = tx.session.exec(
            sa.update(BulkJob)
            .where(
                col(BulkJob.id) == job_id,
                col(BulkJob.status) == RUNNING,
                or_(col(BulkJob.finishing_at).is_(None), col(BulkJob.finishing_at) < stale),
                ~pending,
            )
            .values(finishing_at=now, heartbeat_at=now)
        ).rowcount
        job = tx.session.get(BulkJob, job_id)
    if not claimed or job is None:
        return
    try:
        output.write_outputs(
            job_id, job.options, _done_rows(job_id), subject, lambda: _heartbeat(job_id)
        )
    except _Stopped:
        return  # cancelled while the ZIP was written
    with transaction() as tx:
        job = tx.session.get(BulkJob, job_id, populate_existing=True)
        if job is None or job.status != RUNNING:
            return
        end = utcnow()
        job.status, job.finished_at = DONE, end
        job.zip_key = f"{job_id}/{output.ZIP_NAME}"
        job.zip_expires_at = end + dt.timedelta(days=get_settings().bulk_keep_days)
        tx.session.add(job)
        webhook_hooks.bulk_completed(tx, job)
        if _ran_long(job):
            _mail_owner(tx, job)
    output.drop_row_files(job_id)


def _ran_long(job: BulkJob) -> bool:
    end = job.finished_at or utcnow()
    return job.started_at is not None and end - job.started_at > MAIL_AFTER


def _mail_owner(tx, job: BulkJob) -> None:
    user = tx.session.get(User, job.created_by) if job.created_by else None
    if user is None:
        return
    made = job.processed - job.failed
    failed = f" {job.failed:,} rows failed; you can fix and retry them." if job.failed else ""
    if job.status == DONE:
        subject = f"Bulk job finished: {job.name}"
        after = f"Download the files within {get_settings().bulk_keep_days} days from the Bulk page"
    else:
        subject = f"Bulk job stopped: {job.name}"
        failed += f" {job.message}"
        after = "Retry it from the Bulk page"
    queue_mail(
        tx,
        to=user.email,
        subject=subject,
        text=(
            f"Hello,\n\nYour bulk job “{job.name}” made {made:,} of {job.total:,} codes."
            f"{failed}\n\n{after}:\n{app_link(paths.BULK)}\n"
        ),
    )


def sweep(*, startup: bool = False) -> int:
    """Queue work again for running jobs without progress (all of them when a worker
    starts). Returns how many jobs were queued."""
    settings = get_settings()
    cutoff = utcnow() - dt.timedelta(seconds=0 if startup else settings.bulk_stale_seconds)
    with read_session() as s:
        ids = s.exec(
            select(BulkJob.id).where(
                col(BulkJob.status).in_(ACTIVE),
                sa.func.coalesce(BulkJob.heartbeat_at, BulkJob.created_at) <= cutoff,
            )
        ).all()
    for job_id in ids:
        for _ in range(max(1, settings.bulk_workers)):
            enqueue(WORK_TASK, str(job_id))
    return len(ids)


def purge_files() -> int:
    """Delete the files of jobs past their 7 days (the beat's hourly clean-up); ended jobs
    without a ZIP (cancelled, failed) lose their partial files after the same time."""
    now = utcnow()
    old = now - dt.timedelta(days=get_settings().bulk_keep_days)
    with read_session() as s:
        expired = s.exec(
            select(BulkJob.id).where(col(BulkJob.zip_key) != "", col(BulkJob.zip_expires_at) <= now)
        ).all()
        ended = s.exec(
            select(BulkJob.id).where(
                col(BulkJob.status).notin_(ACTIVE),
                col(BulkJob.finished_at) <= old,
                # Older ones were cleaned by earlier runs.
                col(BulkJob.finished_at) > old - dt.timedelta(days=2),
            )
        ).all()
    for job_id in {*expired, *ended}:
        output.drop_all(job_id)
    if expired:
        with transaction() as tx:
            tx.session.exec(
                sa.update(BulkJob).where(col(BulkJob.id).in_(expired)).values(zip_key="")
            )
    return len(expired)
