"""Bulk jobs: each test gets its own files folder; tasks the services queue are recorded
instead of sent (the suite's worker would work on them meanwhile), so a test drives the
worker's functions itself, in order. test_kill_worker.py uses a real worker instead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qrapp import queue
from qrapp.core.bulk.rows import JobOptions, RowInput
from qrapp.services.bulk import jobs, work
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.environment import patched_env
from tests.support.plans import give_plan


@pytest.fixture
def bulk_dir(clean_db, tmp_path) -> Iterator[dict]:
    with patched_env({"BULK_DIR": str(tmp_path / "bulk")}, also_reset=queue.celery_app.cache_clear):
        yield {**clean_db, "BULK_DIR": str(tmp_path / "bulk")}


@pytest.fixture
def queued(bulk_dir, monkeypatch) -> list[tuple]:
    sent: list[tuple] = []
    monkeypatch.setattr(jobs, "enqueue", lambda *args: sent.append(args))
    monkeypatch.setattr(work, "enqueue", lambda *args: sent.append(args))
    return sent


@pytest.fixture
def owner_token(queued) -> str:
    token = sign_up_and_session("owner@bulk.example", "Olga")
    # Jobs here make more codes than the Free plan holds (its limits: billing/test_limits).
    give_plan(actor(token).workspace_id, "business")
    return token


@pytest.fixture
def stranger_token(queued) -> str:
    return sign_up_and_session("stranger@other.example")


@pytest.fixture
def owner(owner_token):
    return actor(owner_token)


@pytest.fixture
def stranger(stranger_token):
    return actor(stranger_token)


def url_rows(n: int, start: int = 1) -> list[RowInput]:
    return [
        RowInput(
            row=i,
            name=f"Poster {i}",
            payload={},
            destination=f"https://example.com/p/{i}",
            alias="",
            tags=(),
            folder="",
        )
        for i in range(start, start + n)
    ]


DYNAMIC = JobOptions(content_type="url", dynamic=True, template_id=None, png_size=128)
