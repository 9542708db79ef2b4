"""Thin tasks: plain data in, a service call, idempotent where they are retried."""

from __future__ import annotations

import uuid

from celery.signals import worker_ready

from qrapp.services import mail, maintenance
from qrapp.services.accounts import accounts, signup
from qrapp.services.analytics import retention
from qrapp.services.billing import notices as billing_notices
from qrapp.services.billing import stripe_events, subscriptions
from qrapp.services.bulk import jobs as bulk_jobs
from qrapp.services.scans import ingest
from workers.celery_app import app


@app.task(
    name=mail.SEND_TASK,
    autoretry_for=(OSError,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=8,
)
def send_mail(message: dict[str, str]) -> None:
    mail.send_now(message)


@app.task(name="qrapp.auth.purge_expired")
def purge_expired() -> int:
    return maintenance.purge_expired_auth_rows()


@app.task(name="qrapp.analytics.purge_expired_scans")
def purge_expired_scans() -> int:
    """Idempotent: deletes what is past each workspace's retention, in short batches."""
    return retention.purge_expired_scans().total


@app.task(name="qrapp.scans.purge_visitor_rows")
def purge_visitor_rows() -> int:
    """Visitor hashes rotate daily; older first-scan markers can never match again."""
    return ingest.purge_visitor_rows()


@app.task(name="qrapp.scans.ingest_once")
def ingest_once() -> int:
    """Drain the scan stream once (a safety net beside the ingest process; idempotent)."""
    return ingest.run_once().inserted


@app.task(
    name=signup.SIGN_UP_MAIL_TASK,
    autoretry_for=(OSError,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=8,
)
def sign_up_mail(pending_id: str, token: str) -> None:
    """Idempotent: the outcome is decided once and kept; a retry resends the same mail."""
    signup.send_sign_up_mail(pending_id=pending_id, token=token)


@app.task(
    name=accounts.RESET_LINK_MAIL_TASK,
    autoretry_for=(OSError,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=8,
)
def password_reset_mail(email: str) -> None:
    """A retry issues a fresh link; each mailed link works on its own."""
    accounts.send_password_reset_mail(email=email)


@app.task(name=bulk_jobs.WORK_TASK)
def bulk_work(job_id: str) -> None:
    """Idempotent: rows are taken from the database, each made once (services.bulk.work).
    Imported here: the renderer and decoder weigh tens of MB an idle worker need not hold."""
    from qrapp.services.bulk import work

    work.run(uuid.UUID(job_id))


@app.task(name=bulk_jobs.SWEEP_TASK)
def bulk_sweep(startup: bool = False) -> int:
    """Queue running bulk jobs that lost their worker again."""
    from qrapp.services.bulk import work

    return work.sweep(startup=startup)


@app.task(name=bulk_jobs.PURGE_TASK)
def bulk_purge() -> int:
    """Bulk jobs' ZIPs are kept 7 days."""
    from qrapp.services.bulk import work

    return work.purge_files()


@app.task(
    name=stripe_events.PROCESS_TASK,
    autoretry_for=(*stripe_events.TRANSIENT, OSError),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=10,
)
def process_stripe_event(event_row_id: str) -> None:
    """Idempotent: a processed event is skipped, and processing re-reads Stripe's state."""
    stripe_events.process(event_row_id)


@app.task(name=stripe_events.REQUEUE_TASK)
def requeue_stripe_events() -> int:
    return stripe_events.requeue_stale()


@worker_ready.connect
def _pick_up_bulk_jobs(**_kwargs) -> None:
    """A worker killed mid-job (kill -9) acknowledged nothing and told nobody: a starting
    worker queues every running job again (extra tasks for a live job find no row to make)."""
    bulk_sweep.apply_async(kwargs={"startup": True})


@app.task(name=subscriptions.EXPIRE_TASK)
def billing_expire_due() -> int:
    """Idempotent: settles subscriptions whose period or grace ran out (codes pause)."""
    return subscriptions.expire_due()


@app.task(name=billing_notices.WARN_TASK)
def billing_send_warnings() -> int:
    """Idempotent: each warning is recorded (BillingNotice) with the mail it queues."""
    return billing_notices.send_due_warnings()
