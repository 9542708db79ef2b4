"""The beat job's side: re-check the domains whose time has come (pending and failed ones
with backoff, verified ones daily, lost ones to see whether their records are back)."""

from __future__ import annotations

import logging
import uuid

from sqlmodel import col, select

from qrapp.db import read_session
from qrapp.models.domains import CustomDomain
from qrapp.models.types import utcnow
from qrapp.services.domains import verification
from qrapp.services.domains.manage import record_check

log = logging.getLogger(__name__)

RECHECK_TASK = "qrapp.domains.recheck_due"
CHECK_TASK = "qrapp.domains.check"
BATCH = 50  # a run that falls behind continues on the next beat (every minute)


def due_ids(limit: int = BATCH) -> list[uuid.UUID]:
    with read_session() as s:
        return list(
            s.exec(
                select(CustomDomain.id)
                .where(col(CustomDomain.next_check_at) <= utcnow())
                .order_by(col(CustomDomain.next_check_at))
                .limit(limit)
            ).all()
        )


def check_one(domain_id: uuid.UUID) -> str | None:
    """Check one domain now; its status after, or None when it is gone. Idempotent."""
    with read_session() as s:
        row = s.get(CustomDomain, domain_id)
    if row is None:
        return None
    result = verification.run_check(row)  # DNS/HTTP outside any transaction
    return record_check(domain_id, result).status


def recheck_due() -> int:
    done = 0
    for domain_id in due_ids():
        try:
            check_one(domain_id)
            done += 1
        except Exception:  # one broken row must not stop the others
            log.exception("domain check of %s failed", domain_id)
    return done
