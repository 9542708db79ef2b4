"""The Celery task names of webhook delivery, and putting messages on the queue."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from qrapp.queue import celery_app

DELIVER_TASK = "qrapp.webhooks.deliver"
SWEEP_TASK = "qrapp.webhooks.sweep"


def schedule(message_ids: Iterable[uuid.UUID], countdown: float = 0) -> None:
    """Ask the worker to attempt these messages (after `countdown` seconds). Delivery
    claims each due message itself, so a message queued twice is sent once."""
    app = celery_app()
    for message_id in message_ids:
        app.send_task(DELIVER_TASK, args=[str(message_id)], countdown=max(0.0, countdown))
