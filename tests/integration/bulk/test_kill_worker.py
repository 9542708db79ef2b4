"""A real Celery worker is killed with SIGKILL in the middle of a bulk job; a new worker
started afterwards finishes it: every row exactly once, no code made twice, a full ZIP.

The test's worker has its own broker, so the suite's worker never takes these tasks."""

from __future__ import annotations

import os
import signal
import zipfile

from sqlmodel import func, select

from qrapp import queue
from qrapp.core.bulk.rows import JobOptions
from qrapp.db import read_session
from qrapp.models import BulkJob, BulkRow, QRCode
from qrapp.models.bulk import ROW_DONE
from qrapp.services.bulk import jobs, output
from tests.integration.bulk.conftest import url_rows
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.environment import patched_env
from tests.support.plans import give_plan
from tests.support.processes import celery_worker, redis_db_url, stop
from tests.support.waiting import eventually

ROWS = 300


def _job(job_id) -> BulkJob:
    with read_session() as s:
        job = s.get(BulkJob, job_id)
        assert job is not None
        return job


def test_a_job_survives_kill_9_of_its_worker(bulk_dir, tmp_path):
    if bulk_dir["name"] == "sqlite":
        broker = f"sqla+sqlite:///{tmp_path / 'kill-broker.sqlite'}"
    else:
        broker = redis_db_url(os.environ["TEST_REDIS_URL"], 6)
    env = {
        "DATABASE_URL": bulk_dir["DATABASE_URL"],
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": bulk_dir["REDIS_URL"],
        "BULK_DIR": bulk_dir["BULK_DIR"],
        "BULK_CHUNK_ROWS": "10",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": bulk_dir["SMTP_PORT"],
        "QRAPP_ENV": "test",
    }
    owner = actor(sign_up_and_session("kill@bulk.example"))
    give_plan(owner.workspace_id, "business")  # more codes than the Free plan holds
    with patched_env(env, also_reset=queue.celery_app.cache_clear):
        options = JobOptions(
            content_type="url", dynamic=True, template_id=None, formats=("png", "svg")
        )
        first = celery_worker(env, tmp_path / "worker-1.log")
        try:
            job = jobs.start_job(
                actor=owner,
                workspace_id=owner.workspace_id,
                options=options,
                rows=url_rows(ROWS),
                filename="kill.csv",
            )
            eventually(
                lambda: _job(job.id).processed >= 30,
                timeout=120,
                interval=0.05,
                message=lambda: (tmp_path / "worker-1.log").read_text()[-3000:],
            )
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            stop(first)
        at_kill = _job(job.id)
        assert at_kill.status == "running"
        assert at_kill.processed < ROWS, "the job ended before the kill: make it longer"

        second = celery_worker(env, tmp_path / "worker-2.log")
        try:
            eventually(
                lambda: _job(job.id).status == "done",
                timeout=300,
                interval=0.2,
                message=lambda: (tmp_path / "worker-2.log").read_text()[-3000:],
            )
        finally:
            stop(second)

    done = _job(job.id)
    assert (done.processed, done.failed) == (ROWS, 0)
    with read_session() as s:
        made = s.exec(
            select(func.count())
            .select_from(QRCode)
            .where(QRCode.workspace_id == owner.workspace_id)
        ).one()
        rows = s.exec(select(BulkRow).where(BulkRow.job_id == job.id)).all()
    assert made == ROWS  # no code made twice, none lost
    assert len(rows) == ROWS
    assert all(r.status == ROW_DONE for r in rows)
    assert len({r.code_id for r in rows}) == ROWS
    names = zipfile.ZipFile(output.path_of(job.id, "zip")).namelist()
    assert len([n for n in names if n.endswith(".png")]) == ROWS
    assert len([n for n in names if n.endswith(".svg")]) == ROWS
    assert len(names) == 2 * ROWS + 1
