"""Outgoing webhook deliveries (issue 14 §6): thin; services.webhooks.delivery decides."""

from __future__ import annotations

import uuid

from qrapp.services.webhooks import delivery
from qrapp.services.webhooks.queueing import DELIVER_TASK, SWEEP_TASK
from workers.celery_app import app


@app.task(name=DELIVER_TASK)
def deliver(message_id: str) -> str | None:
    """Idempotent: only a due, pending message is attempted, by one worker (a claim)."""
    return delivery.attempt(uuid.UUID(message_id))


@app.task(name=SWEEP_TASK)
def sweep() -> int:
    """Queue due messages whose queue entry was lost (a crash, a restart)."""
    return delivery.sweep()
