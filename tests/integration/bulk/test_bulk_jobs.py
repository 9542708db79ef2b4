"""Bulk jobs through the services and the worker's functions, on SQLite and PostgreSQL:
every row made exactly once, cancel, retry of failed rows, limits, the ZIP and its
manifest, and the mail at the end of a long job."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import threading
import zipfile

import pytest
import zxingcpp
from PIL import Image
from sqlmodel import col, func, select

from qrapp.core.bulk.rows import JobOptions, RowInput
from qrapp.db import read_session, transaction
from qrapp.models import BulkJob, BulkRow, Folder, QRCode
from qrapp.services.bulk import jobs, output, work
from qrapp.services.errors import NotFound, ServiceError
from tests.integration.bulk.conftest import DYNAMIC, url_rows
from tests.support.environment import patched_env
from tests.support.mailsink import body_of


def _codes(workspace_id) -> list[QRCode]:
    with read_session() as s:
        return list(s.exec(select(QRCode).where(QRCode.workspace_id == workspace_id)).all())


def _job(job_id) -> BulkJob:
    with read_session() as s:
        job = s.get(BulkJob, job_id)
        assert job is not None
        return job


def _zip(job_id) -> zipfile.ZipFile:
    return zipfile.ZipFile(output.path_of(job_id, "zip"))


def test_a_job_makes_every_row_once_into_the_library_and_a_zip(owner, queued):
    rows = [
        *url_rows(2),
        RowInput(3, '=HYPERLINK("http://evil")', {}, "https://example.com/3", "", ("x",), ""),
        RowInput(4, "Poster 1", {}, "https://example.com/4", "", (), ""),  # same name as row 1
        RowInput(5, "../../etc/passwd", {}, "https://example.com/5", "", (), ""),
    ]
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=dataclasses.replace(DYNAMIC, formats=("png", "svg")),
        rows=rows,
        filename="posters.csv",
    )
    assert [q[0] for q in queued] == [jobs.WORK_TASK] * 2
    assert jobs.job_view(actor=owner, job_id=job.id).status == "queued"

    work.run(job.id)

    view = jobs.job_view(actor=owner, job_id=job.id)
    assert (view.status, view.total, view.processed, view.failed, view.has_zip) == (
        "done",
        5,
        5,
        0,
        True,
    )
    codes = _codes(owner.workspace_id)
    assert len(codes) == 5
    with read_session() as s:
        folder = s.get(Folder, _job(job.id).folder_id)
    assert folder is not None
    assert folder.name == job.name
    assert all(c.folder_id == folder.id and job.name[:40] in c.tags for c in codes)
    assert all(c.is_dynamic and c.short_code for c in codes)

    archive = _zip(job.id)
    names = sorted(archive.namelist())
    assert "manifest.csv" in names
    assert "1-Poster 1.png" in names
    assert "4-Poster 1.png" in names
    assert "5-..-..-etc-passwd.svg" in names or "5-etc-passwd.svg" in names
    assert not any(n.startswith(("/", "..")) or "/" in n for n in names)
    assert len([n for n in names if n.endswith(".png")]) == 5
    assert len([n for n in names if n.endswith(".svg")]) == 5

    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert manifest[0] == ["row", "name", "short_url", "destination", "file"]
    by_row = {r[0]: r for r in manifest[1:]}
    assert by_row["3"][1].startswith("'=HYPERLINK")  # neutralised against formula injection
    code_1 = next(c for c in codes if c.destination == "https://example.com/p/1")
    assert by_row["1"][2].endswith("/" + code_1.short_code)
    assert by_row["1"][4] == "1-Poster 1.png;1-Poster 1.svg"

    png = Image.open(io.BytesIO(archive.read("1-Poster 1.png"))).convert("L")
    assert [r.text for r in zxingcpp.read_barcodes(png)] == [by_row["1"][2]]

    links = output.path_of(job.id, "links").read_text("utf-8-sig").splitlines()
    assert links[0] == "row,name,short_url"
    assert len(links) == 6
    assert not (output.job_dir(job.id) / "files").exists()  # row files gone once zipped


def test_a_chunk_run_twice_or_two_workers_at_once_make_no_duplicate(owner, queued):
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=DYNAMIC,
        rows=url_rows(40),
        filename="a.csv",
    )
    first = work.make_chunk(job.id, limit=5)
    assert first is not None
    assert [n for n, _ in first[1]] == [1, 2, 3, 4, 5]
    again = work.make_chunk(job.id, limit=5)  # a re-delivered task: the next rows, not these
    assert again is not None
    assert [n for n, _ in again[1]] == [6, 7, 8, 9, 10]

    threads = [threading.Thread(target=work.run, args=(job.id,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    work.run(job.id)  # a late task after the end changes nothing

    assert _job(job.id).status == "done"
    codes = _codes(owner.workspace_id)
    assert len(codes) == 40
    assert len({c.destination for c in codes}) == 40
    with read_session() as s:
        code_ids = s.exec(select(BulkRow.code_id).where(BulkRow.job_id == job.id)).all()
    assert len(set(code_ids)) == 40
    assert None not in code_ids
    assert _job(job.id).processed == 40
    assert len([n for n in _zip(job.id).namelist() if n.endswith(".png")]) == 40


def test_cancel_stops_between_chunks_and_keeps_what_was_made(owner, stranger, queued):
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=DYNAMIC,
        rows=url_rows(10),
        filename="a.csv",
    )
    work.make_chunk(job.id, limit=3)
    with pytest.raises(NotFound):
        jobs.cancel_job(actor=stranger, job_id=job.id)
    jobs.cancel_job(actor=owner, job_id=job.id)
    work.run(job.id)
    view = jobs.job_view(actor=owner, job_id=job.id)
    assert (view.status, view.processed, view.has_zip) == ("cancelled", 3, False)
    assert len(_codes(owner.workspace_id)) == 3
    with pytest.raises(ServiceError, match="already ended"):
        jobs.cancel_job(actor=owner, job_id=job.id)
    with pytest.raises(ServiceError, match="not ready"):
        jobs.download_link(actor=owner, job_id=job.id, kind="zip")
    with pytest.raises(ServiceError, match="was cancelled"):
        jobs.retry_failed(actor=owner, job_id=job.id, rows=[])


def _disk_full(*_args):
    raise OSError(28, "No space left on device")


def test_a_job_stopped_by_an_error_fails_clearly_and_resumes_on_retry(owner, queued, monkeypatch):
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=DYNAMIC,
        rows=url_rows(6),
        filename="a.csv",
    )
    work.make_chunk(job.id, limit=2)
    real = output.write_row_files
    monkeypatch.setattr(output, "write_row_files", _disk_full)
    work.run(job.id)
    view = jobs.job_view(actor=owner, job_id=job.id)
    assert (view.status, view.message) == (
        "failed",
        "Something went wrong while making the codes. Try again.",
    )
    monkeypatch.setattr(output, "write_row_files", real)
    jobs.retry_failed(actor=owner, job_id=job.id, rows=[])
    work.run(job.id)
    view = jobs.job_view(actor=owner, job_id=job.id)
    assert (view.status, view.processed, view.failed) == ("done", 6, 0)
    assert len(_codes(owner.workspace_id)) == 6
    assert len([n for n in _zip(job.id).namelist() if n.endswith(".png")]) == 6


def test_failed_rows_are_reported_and_retried_with_the_fixed_file(owner, queued):
    rows = [
        *url_rows(2),
        RowInput(3, "Bad", {}, "javascript:alert(1)", "", (), ""),
        RowInput(4, "Aliased", {}, "https://example.com/a", "spring-sale", (), ""),
        RowInput(5, "Aliased too", {}, "https://example.com/b", "spring-sale", (), ""),
    ]
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=DYNAMIC,
        rows=rows,
        filename="a.csv",
    )
    work.run(job.id)
    view = jobs.job_view(actor=owner, job_id=job.id)
    assert (view.status, view.processed, view.failed) == ("done", 5, 2)
    problems = {p.row: p for p in view.problems}
    assert set(problems) == {3, 5}
    assert problems[3].field == "url"
    assert problems[5].field == "alias"
    assert "already taken" in problems[5].message
    assert len(_codes(owner.workspace_id)) == 3

    with pytest.raises(ServiceError, match="None of the rows"):
        jobs.retry_failed(actor=owner, job_id=job.id, rows=url_rows(1))
    fixed = [
        RowInput(3, "Good now", {}, "https://example.com/fixed", "", (), ""),
        RowInput(5, "Aliased too", {}, "https://example.com/b", "autumn-sale", (), ""),
    ]
    jobs.retry_failed(actor=owner, job_id=job.id, rows=fixed)
    assert jobs.job_view(actor=owner, job_id=job.id).status == "queued"
    work.run(job.id)
    view = jobs.job_view(actor=owner, job_id=job.id)
    assert (view.status, view.processed, view.failed, view.problems) == ("done", 5, 0, [])
    assert {c.short_code for c in _codes(owner.workspace_id)} >= {"spring-sale", "autumn-sale"}
    assert len(_codes(owner.workspace_id)) == 5
    with pytest.raises(ServiceError, match="no failed rows"):
        jobs.retry_failed(actor=owner, job_id=job.id, rows=[])


def test_static_codes_go_to_the_library_and_the_zip(owner, queued):
    rows = [
        RowInput(1, "Guest wifi", {"ssid": "Cafe", "password": "espresso123"}, "", "", (), ""),
        RowInput(2, "No ssid", {"password": "espresso123"}, "", "", (), ""),
    ]
    options = JobOptions(content_type="wifi", dynamic=False, template_id=None, png_size=256)
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=options,
        rows=rows,
        filename="wifi.xlsx",
    )
    work.run(job.id)
    view = jobs.job_view(actor=owner, job_id=job.id)
    assert (view.status, view.failed) == ("done", 1)
    assert view.problems[0].field.startswith("payload.")
    (code,) = _codes(owner.workspace_id)
    assert not code.is_dynamic
    assert code.payload["ssid"] == "Cafe"
    archive = _zip(job.id)
    png = Image.open(io.BytesIO(archive.read("1-Guest wifi.png"))).convert("L")
    assert zxingcpp.read_barcodes(png)[0].text.startswith("WIFI:")


def test_limits_refuse_with_a_clear_message_and_store_nothing(owner, queued, bulk_dir):
    with patched_env({"BULK_MAX_ROWS": "3", "BULK_MAX_RUNNING_JOBS": "1"}):
        with pytest.raises(ServiceError, match=r"This job has 4 rows; a job takes at most 3\."):
            jobs.start_job(
                actor=owner,
                workspace_id=owner.workspace_id,
                options=DYNAMIC,
                rows=url_rows(4),
                filename="a.csv",
            )
        jobs.start_job(
            actor=owner,
            workspace_id=owner.workspace_id,
            options=DYNAMIC,
            rows=url_rows(2),
            filename="a.csv",
        )
        with pytest.raises(ServiceError, match="already has 1 bulk job running"):
            jobs.start_job(
                actor=owner,
                workspace_id=owner.workspace_id,
                options=DYNAMIC,
                rows=url_rows(2),
                filename="b.csv",
            )
    with read_session() as s:
        assert s.exec(select(func.count()).select_from(BulkJob)).one() == 1
        assert s.exec(select(func.count()).select_from(BulkRow)).one() == 2
        assert s.exec(select(func.count()).select_from(Folder)).one() == 1


def test_other_workspaces_see_nothing(owner, stranger, queued):
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=DYNAMIC,
        rows=url_rows(1),
        filename="a.csv",
    )
    assert jobs.list_jobs(actor=stranger, workspace_id=stranger.workspace_id) == []
    for call in (jobs.job_view, jobs.cancel_job):
        with pytest.raises(NotFound):
            call(actor=stranger, job_id=job.id)
    with pytest.raises(NotFound):
        jobs.download_link(actor=stranger, job_id=job.id, kind="zip")
    with pytest.raises(ServiceError):
        jobs.start_job(
            actor=stranger,
            workspace_id=owner.workspace_id,
            options=DYNAMIC,
            rows=url_rows(1),
            filename="a.csv",
        )
    assert [v.id for v in jobs.list_jobs(actor=owner, workspace_id=owner.workspace_id)] == [job.id]


def test_the_owner_gets_a_mail_when_a_long_job_ends(owner, queued, mail):
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=DYNAMIC,
        rows=url_rows(3),
        filename="long.csv",
    )
    work.make_chunk(job.id, limit=1)
    with transaction() as tx:  # as if the first chunk had been two minutes ago
        j = tx.session.get(BulkJob, job.id)
        j.started_at = j.started_at - dt.timedelta(minutes=2)
        tx.session.add(j)
    work.run(job.id)
    message = mail.wait_for("owner@bulk.example", "Bulk job finished: long")
    assert "made 3 of 3 codes" in body_of(message)


def test_a_stalled_job_is_queued_again_and_old_files_are_purged(owner, queued):
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=DYNAMIC,
        rows=url_rows(2),
        filename="a.csv",
    )
    queued.clear()
    assert work.sweep() == 0  # just queued: not stalled
    assert work.sweep(startup=True) == 1
    assert [q for q in queued if q[0] == jobs.WORK_TASK]
    work.run(job.id)
    assert output.path_of(job.id, "zip").exists()
    with transaction() as tx:
        j = tx.session.get(BulkJob, job.id)
        j.zip_expires_at = j.zip_expires_at - dt.timedelta(days=8)
        tx.session.add(j)
    assert work.purge_files() == 1
    assert not output.job_dir(job.id).exists()
    with pytest.raises(ServiceError, match="deleted after 7 days"):
        jobs.download_link(actor=owner, job_id=job.id, kind="zip")
    with read_session() as s:
        assert s.exec(select(BulkJob.zip_key).where(col(BulkJob.id) == job.id)).one() == ""
