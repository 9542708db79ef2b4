"""Custom-domain checks (issue 17): thin; services.domains.rechecks decides."""

from __future__ import annotations

import uuid

from qrapp.services.domains import rechecks
from workers.celery_app import app


@app.task(name=rechecks.RECHECK_TASK)
def recheck_due() -> int:
    """Re-check every domain whose next check is due (beat, every minute)."""
    return rechecks.recheck_due()


@app.task(name=rechecks.CHECK_TASK)
def check(domain_id: str) -> str | None:
    """Check one domain now (queued after it is added). Idempotent."""
    return rechecks.check_one(uuid.UUID(domain_id))
