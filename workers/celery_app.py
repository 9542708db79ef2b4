"""The Celery app of the worker and beat processes.

Broker: Redis when REDIS_URL is set; otherwise kombu's SQLAlchemy transport on a SQLite
file under var/. That transport keeps messages in a transactional table, so they survive
a restart and several processes on one machine can share it, with no server to run;
the filesystem transport would need a shared folder polled file by file and has no
transaction around taking a message.
"""

from __future__ import annotations

from celery.schedules import crontab

from qrapp.queue import celery_app

app = celery_app()
app.conf.update(
    imports=["workers.tasks"],
    beat_schedule={
        "purge-expired-auth-rows": {
            "task": "qrapp.auth.purge_expired",
            "schedule": crontab(minute=17),
        },
        "purge-expired-scans": {
            "task": "qrapp.analytics.purge_expired_scans",
            "schedule": crontab(hour=3, minute=41),
        },
        "purge-scan-visitor-rows": {
            "task": "qrapp.scans.purge_visitor_rows",
            "schedule": crontab(minute=41),
        },
    },
    beat_schedule_filename=None,
)
