"""REST v1 bulk jobs: start one from an uploaded file (the dry run's checks, per row),
follow its progress, and get the signed link to its files."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from qrapp import queue
from qrapp.services.bulk import jobs, work
from tests.integration.api.conftest import bearer
from tests.support.environment import patched_env

pytestmark = pytest.mark.integration

GOOD = b"name,url\nMenu,https://example.com/menu\nFlyer,https://example.com/flyer\n"
ONE_BAD = b"name,url\nMenu,https://example.com/menu\nBroken,javascript:alert(1)\n"


@pytest.fixture
def queued(world, tmp_path, monkeypatch) -> Iterator[list]:
    """Tasks are recorded, not sent: the test runs the worker's function itself."""
    sent: list = []
    with patched_env({"BULK_DIR": str(tmp_path / "bulk")}, also_reset=queue.celery_app.cache_clear):
        monkeypatch.setattr(jobs, "enqueue", lambda *args: sent.append(args))
        monkeypatch.setattr(work, "enqueue", lambda *args: sent.append(args))
        yield sent


def _start(api_client, key, data: bytes, **form):
    return api_client.post(
        "/api/v1/bulk-jobs",
        files={"file": ("codes.csv", data, "text/csv")},
        data={k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in form.items()},
        headers=key,
    )


def test_a_job_runs_and_its_files_are_linked(world, make_key, api_client, queued):
    key = bearer(make_key(world["a_owner"], ["bulk:write"]))
    got = _start(api_client, key, GOOD, formats="png,svg", png_size=256)
    assert got.status_code == 202, got.text
    job = got.json()
    assert got.headers["location"] == f"/api/v1/bulk-jobs/{job['id']}"
    assert job["status"] == "queued"
    assert job["total"] == 2
    assert job["processed"] == 0
    not_ready = api_client.get(f"/api/v1/bulk-jobs/{job['id']}/result", headers=key)
    assert not_ready.status_code == 422
    assert not_ready.json()["detail"] == "The files of this job are not ready yet."
    work.run(uuid.UUID(job["id"]))
    done = api_client.get(f"/api/v1/bulk-jobs/{job['id']}", headers=key).json()
    assert done["status"] == "done"
    assert done["processed"] == 2
    assert done["failed"] == 0
    assert done["files_ready"] is True
    link = api_client.get(f"/api/v1/bulk-jobs/{job['id']}/result?kind=links", headers=key)
    assert link.status_code == 200
    assert f"{job['id']}" in link.json()["url"]
    assert "s=" in link.json()["url"]


def test_a_refused_row_stops_the_job_unless_asked_to_skip(world, make_key, api_client, queued):
    key = bearer(make_key(world["a_owner"], ["bulk:write"]))
    refused = _start(api_client, key, ONE_BAD)
    assert refused.status_code == 422
    fields = [e["field"] for e in refused.json()["errors"]]
    assert fields == ["rows.2.url"]
    assert queued == []
    skipped = _start(api_client, key, ONE_BAD, skip_invalid_rows=True)
    assert skipped.status_code == 202
    assert skipped.json()["total"] == 1


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"formats": "gif"}, "formats"),
        ({"png_size": 10}, "png_size"),
        ({"mapping": '{"url": "Nope"}'}, "mapping.url"),
        ({"mapping": "[1]"}, "mapping"),
    ],
)
def test_bad_options_name_their_field(world, make_key, api_client, queued, form, field):
    key = bearer(make_key(world["a_owner"], ["bulk:write"]))
    got = _start(api_client, key, GOOD, **form)
    assert got.status_code == 422, got.text
    assert got.json()["errors"][0]["field"] == field
    assert queued == []


def test_a_file_that_is_not_a_table_is_a_422_on_file(world, make_key, api_client, queued):
    key = bearer(make_key(world["a_owner"], ["bulk:write"]))
    got = api_client.post(
        "/api/v1/bulk-jobs",
        files={"file": ("codes.xlsx", b"not a spreadsheet", "application/octet-stream")},
        headers=key,
    )
    assert got.status_code == 422
    assert got.json()["errors"][0]["field"] == "file"


def test_rows_beyond_the_plan_are_a_402_and_start_nothing(world, make_key, api_client, queued):
    key = bearer(make_key(world["a_owner"], ["bulk:write"]))
    rows = "".join(f"C{i},https://example.com/{i}\n" for i in range(10))
    got = _start(api_client, key, ("name,url\n" + rows).encode())
    assert got.status_code == 402, got.text
    assert queued == []
