"""Enqueue Celery tasks by name, so services never import the worker package.

Call `enqueue` from a transaction's after_commit hook: a rolled-back change then leaves
no task behind.
"""

from __future__ import annotations

import functools
from typing import Any

from celery import Celery

from qrapp.settings import VAR_DIR, get_settings


@functools.cache
def celery_app() -> Celery:
    settings = get_settings()
    if settings.broker_url.startswith("sqla+sqlite"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    app = Celery("qrapp", broker=settings.broker_url)
    app.conf.update(
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        timezone="UTC",
    )
    return app


def enqueue(task_name: str, *args: Any, **kwargs: Any) -> None:
    celery_app().send_task(task_name, args=args, kwargs=kwargs)
