"""Thin tasks: plain data in, a service call, idempotent where they are retried."""

from __future__ import annotations

from qrapp.services import mail, maintenance
from qrapp.services.accounts import accounts, signup
from qrapp.services.analytics import retention
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
