"""The bulk page's pure parts: job rows as the list shows them, the words for rate and
time left, the column choices, the spool of uploads (owner checks) and the upload cap."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass, field

import pytest

from qrapp.api.upload_limit import BULK_UPLOAD_BYTES, MAX_UPLOAD_BYTES, UploadLimit
from qrapp.core.permissions import Role
from qrapp.services.authz import Actor
from qrapp.services.bulk import spool
from qrapp.services.errors import PermissionDenied
from qrapp.settings import get_settings
from qrapp.state.bulk_views import column_choices, eta_text, job_row, rate_text


@dataclass
class View:
    status: str
    total: int = 100
    processed: int = 0
    failed: int = 0
    rate_per_s: float = 0.0
    eta_s: float | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    name: str = "items.csv"
    created_at: dt.datetime = dt.datetime(2026, 11, 30, 14, 5)
    finished_at: dt.datetime | None = None
    has_zip: bool = False
    problems: list = field(default_factory=list)
    message: str = ""


def test_a_running_job_shows_its_share_counts_rate_and_time_left():
    row = job_row(View("running", total=400, processed=100, failed=2, rate_per_s=25, eta_s=12))
    assert row["active"]
    assert row["can_cancel"]
    assert not row["can_retry"]
    assert row["percent"] == 25  # processed counts made and failed rows alike
    assert row["counts"] == "98 of 400 codes made, 2 failed"
    assert row["rate"] == "25 codes/s"
    assert row["eta"] == "less than a minute left"
    assert row["status_label"] == "Running"


def test_an_ended_job_with_failures_offers_a_retry_and_no_rate():
    row = job_row(View("done", processed=100, failed=3, rate_per_s=40, eta_s=0), zip_href="/z")
    assert not row["active"]
    assert not row["can_cancel"]
    assert row["can_retry"]
    assert row["rate"] == ""
    assert row["eta"] == ""
    assert row["zip_href"] == "/z"
    assert row["created"] == "2026-11-30 14:05"


def test_words_for_rate_and_time_left():
    assert rate_text(0) == ""
    assert rate_text(None) == ""
    assert rate_text(2.25) == "2.2 codes/s"
    assert rate_text(1234.4) == "1,234 codes/s"
    assert eta_text(None) == ""
    assert eta_text(2) == "a few seconds left"
    assert eta_text(600) == "about 10 min left"
    assert eta_text(2 * 3600 + 300) == "about 2 h 5 min left"


def test_column_choices_start_with_not_used_and_count_from_one():
    assert column_choices(["Name", ""]) == [
        {"value": "", "label": "Not used"},
        {"value": "0", "label": "Name (column 1)"},
        {"value": "1", "label": "(no header) (column 2)"},
    ]


def _actor(role: Role = Role.EDITOR, workspace: uuid.UUID | None = None) -> Actor:
    return Actor(
        user_id=uuid.uuid4(),
        email="a@example.com",
        name="A",
        email_verified=True,
        session_id=uuid.uuid4(),
        workspace_id=workspace or uuid.uuid4(),
        role=role,
    )


@pytest.fixture
def bulk_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BULK_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_the_spool_gives_an_upload_back_only_to_who_uploaded_it(bulk_dir):
    owner = _actor()
    key = spool.save_upload(actor=owner, filename="items.csv", data=b"Name\nA\n")
    assert (bulk_dir / "uploads" / f"{key}.data").read_bytes() == b"Name\nA\n"
    assert spool.load_upload(actor=owner, key=key).data == b"Name\nA\n"
    spool.save_report(actor=owner, key=key, report_csv=b"row,field,message\n")
    assert spool.load_report(actor=owner, key=key) == b"row,field,message\n"

    colleague = _actor(workspace=owner.workspace_id)
    stranger = _actor()
    for other in (colleague, stranger):
        with pytest.raises(spool.UploadGone):
            spool.load_upload(actor=other, key=key)
    with pytest.raises(PermissionDenied):
        spool.load_upload(actor=_actor(Role.VIEWER, owner.workspace_id), key=key)
    for bad in ("../../etc/passwd", "", "x" * 32):
        with pytest.raises(spool.UploadGone):
            spool.load_upload(actor=owner, key=bad)

    spool.discard(actor=owner, key=key)
    with pytest.raises(spool.UploadGone):
        spool.load_upload(actor=owner, key=key)


def _status(handler: bytes, length: int) -> int:
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "path": "/_upload",
        "headers": [(b"content-length", b"%d" % length), (b"reflex-event-handler", handler)],
    }
    asyncio.run(UploadLimit(app)(scope, receive, send))
    return sent[0]["status"]


def test_the_bulk_upload_takes_a_bigger_file_than_a_logo():
    bulk = b"reflex___state____state.qrapp___state___bulk____bulk_state.upload_file"
    logo = b"reflex___state____state.qrapp___state___designer____designer_state.upload_logo"
    size = MAX_UPLOAD_BYTES + 1
    assert _status(logo, size) == 413
    assert _status(bulk, size) == 200
    assert _status(bulk, BULK_UPLOAD_BYTES + 1) == 413
