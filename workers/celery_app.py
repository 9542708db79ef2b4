"""The Celery app of the worker and beat processes.

Broker: Redis when REDIS_URL is set; otherwise kombu's SQLAlchemy transport on a SQLite
file under var/. That transport keeps messages in a transactional table, so they survive
a restart and several processes on one machine can share it, with no server to run;
the filesystem transport would need a shared folder polled file by file and has no
transaction around taking a message.
"""

from __future__ import annotations

import click
from celery import bootsteps
from celery.schedules import crontab

from qrapp.queue import celery_app

app = celery_app()
app.conf.update(
    imports=[
        "workers.tasks",
        "workers.paypal_klarna_tasks",
        "workers.webhook_tasks",
        "workers.domain_tasks",
    ],
    beat_schedule={
        "purge-expired-auth-rows": {
            "task": "qrapp.auth.purge_expired",
            "schedule": crontab(minute=17),
        },
        "purge-expired-scans": {
            "task": "qrapp.analytics.purge_expired_scans",
            "schedule": crontab(hour=3, minute=41),
        },
        "bulk-sweep": {"task": "qrapp.bulk.sweep", "schedule": 60.0},
        "purge-bulk-files": {"task": "qrapp.bulk.purge", "schedule": crontab(minute=23)},
        "requeue-stripe-events": {"task": "qrapp.billing.requeue_stripe_events", "schedule": 300.0},
        "purge-scan-visitor-rows": {
            "task": "qrapp.scans.purge_visitor_rows",
            "schedule": crontab(minute=41),
        },
        # Grace and paid periods end on a date, not on an event: within 10 minutes of it
        # the codes beyond the Free allowance pause (qrapp.services.billing).
        "billing-expire-due": {"task": "qrapp.billing.expire_due", "schedule": 600.0},
        # Warnings are about days (7 and 1 before); hourly is soon enough.
        "billing-warnings": {"task": "qrapp.billing.send_warnings", "schedule": crontab(minute=7)},
        # Klarna renewals a day ahead, hourly: a declined one is retried daily (grace).
        "klarna-charge-due": {
            "task": "qrapp.billing.klarna_charge_due",
            "schedule": crontab(minute=29),
        },
        "paypal-process-pending": {
            "task": "qrapp.billing.paypal_process_pending",
            "schedule": 300.0,
        },
        # Retries are queued with a countdown; this catches any whose queue entry was lost.
        "webhooks-sweep": {"task": "qrapp.webhooks.sweep", "schedule": 60.0},
        # Pending domains retried with backoff, verified ones daily (next_check_at).
        "domains-recheck": {"task": "qrapp.domains.recheck_due", "schedule": 60.0},
    },
    beat_schedule_filename=None,
)


class ThreadedBeat(bootsteps.StartStopStep):
    """Beat as a thread inside the worker (`--beat-thread`), for the embedded default.

    Celery's own `--beat` forks beat into a second process of about 70 MB; one person's
    product has exactly one worker, so its beat can share that process. Production runs
    one separate `celery beat` (README, production notes).
    """

    label = "ThreadedBeat"
    conditional = True

    def __init__(self, w, beat_thread: bool = False, **kwargs):
        self.enabled = bool(beat_thread)
        super().__init__(w, **kwargs)

    def create(self, w):
        from celery.beat import EmbeddedService

        return EmbeddedService(
            w.app, schedule_filename=w.schedule_filename, scheduler_cls=w.scheduler, thread=True
        )


app.user_options["worker"].add(
    click.Option(
        ["--beat-thread"],
        is_flag=True,
        default=False,
        help="Run beat as a thread inside this worker (the embedded default).",
    )
)
app.steps["worker"].add(ThreadedBeat)
