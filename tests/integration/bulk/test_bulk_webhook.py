"""A finished bulk job tells the workspace's webhook endpoints (bulk.completed), once."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models.webhooks import WebhookMessage
from qrapp.services.bulk import jobs, work
from qrapp.services.webhooks import addresses, endpoints, queueing
from tests.integration.bulk.conftest import DYNAMIC, url_rows

pytestmark = pytest.mark.integration


def test_a_finished_job_is_announced_once(owner, queued, monkeypatch):
    monkeypatch.setattr(queueing, "schedule", lambda ids, countdown=0: None)  # noqa: ARG005
    # Nothing is delivered: the endpoint only has to be saved (a local, plain-http URL).
    monkeypatch.setattr(addresses, "policy", lambda: (False, True))
    endpoints.create_endpoint(
        actor=owner, url="http://127.0.0.1:9/hooks", event_types=["bulk.completed"]
    )
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=DYNAMIC,
        rows=url_rows(3),
        filename="a.csv",
    )
    work.run(job.id)
    work.run(job.id)  # a late task after the end changes nothing
    with read_session() as s:
        bodies = [json.loads(m.body) for m in s.exec(select(WebhookMessage)).all()]
    assert [b["type"] for b in bodies] == ["bulk.completed"]
    data = bodies[0]["data"]
    assert data["id"] == str(job.id)
    assert data["status"] == "done"
    assert (data["total"], data["made"], data["failed"]) == (3, 3, 0)
