"""Exports (CSV injection, XLSX sheets, PDF), tenant isolation of every query and export,
roles, and the retention purge."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import AuditLog, ScanDimensionDaily, ScanEvent, ScanHourly, Workspace
from qrapp.services.analytics import exports, retention
from qrapp.services.analytics.dashboard import dashboard, filter_options
from qrapp.services.analytics.filters import AnalyticsFilter
from qrapp.services.errors import FieldErrors, PermissionDenied
from tests.integration.analytics.fixtures import NOW, stockholm_world, utc
from tests.integration.helpers import actor, add_member, sign_up_and_session
from tests.support.scans import Scan, make_code, record_scans

pytestmark = pytest.mark.integration

WINDOW = AnalyticsFilter(range="custom", start=dt.date(2026, 3, 28), end=dt.date(2026, 3, 30))


def _csv(a, filt=WINDOW) -> list[dict]:
    export, chunks = exports.raw_scans_csv(actor=a, filters=filt, now=NOW)
    assert export.filename == "qrapp-scans-2026-03-28-to-2026-03-30.csv"
    text = "".join(chunks).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_the_windows_human_scans_in_order(clean_db):
    w = stockholm_world()
    rows = _csv(w.actor)
    assert [r["time_utc"] for r in rows] == [
        "2026-03-27T23:30:00+00:00",
        "2026-03-29T00:30:00+00:00",
        "2026-03-29T01:30:00+00:00",
        "2026-03-30T21:30:00+00:00",
    ]
    assert rows[0]["time_local"] == "2026-03-28T00:30:00+01:00"
    assert rows[2]["time_local"] == "2026-03-29T03:30:00+02:00"
    assert {r["bot"] for r in rows} == {"no"}
    with_bots = _csv(w.actor, WINDOW.model_copy(update={"bots": True}))
    assert len(with_bots) == 5
    with read_session() as s:
        actions = s.exec(select(AuditLog.action).where(AuditLog.workspace_id == w.workspace_id))
        assert "analytics.export_csv" in list(actions)


@pytest.mark.parametrize("evil", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_neutralises_formulas(clean_db, evil):
    token = sign_up_and_session("eve@example.com")
    a = actor(token)
    code = make_code(a.workspace_id, evil)
    record_scans(Scan(code, utc(2026, 3, 29, 12), city=evil, browser=evil))
    (row,) = _csv(a)
    assert row["code"] == "'" + evil
    assert row["city"] == "'" + evil
    assert row["browser"] == "'" + evil


def test_xlsx_has_a_sheet_per_breakdown_and_no_formulas(clean_db):
    w = stockholm_world()
    record_scans(Scan(w.code_a, utc(2026, 3, 29, 12), city="=cmd|' /C calc'!A0"))
    export, data = exports.breakdowns_xlsx(actor=w.actor, filters=WINDOW, now=NOW)
    assert export.filename.endswith(".xlsx")
    book = zipfile.ZipFile(io.BytesIO(data))
    workbook = book.read("xl/workbook.xml").decode()
    for title in (
        "Summary",
        "Time series",
        "Countries",
        "Cities",
        "Devices",
        "Browsers",
        "Referrers",
        "Codes",
        "Weekday x hour",
    ):
        assert f'name="{title}"' in workbook
    sheets = "".join(
        book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")
    )
    assert "<f>" not in sheets  # no formula cells at all
    shared = book.read("xl/sharedStrings.xml").decode()
    assert "&apos;=cmd" in shared or "'=cmd" in shared


def test_pdf_report_renders(clean_db):
    w = stockholm_world()
    export, pdf = exports.report_pdf(actor=w.actor, filters=WINDOW, now=NOW)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 3000
    assert export.media_type == "application/pdf"


def test_another_workspace_sees_nothing_of_ours(clean_db):
    w = stockholm_world()
    other = actor(sign_up_and_session("bob@example.com"))
    record_scans(Scan(make_code(other.workspace_id, "Bob's"), utc(2026, 3, 29, 9), country="NO"))
    # Bob's whole view, and Bob asking for Ana's code by id: only Bob's data or nothing.
    mine = dashboard(actor=other, filters=WINDOW, now=NOW)
    assert mine.kpis.scans == 1
    assert {r.value for r in mine.breakdowns["country"]} == {"NO"}
    assert [c.name for c in mine.top_codes] == ["Bob's"]
    assert mine.feed
    assert all(f.code_name == "Bob's" for f in mine.feed)
    probe = WINDOW.model_copy(update={"codes": (w.code_a,)})
    snoop = dashboard(actor=other, filters=probe, now=NOW)
    assert snoop.kpis.scans == 0
    assert snoop.feed == []
    assert snoop.top_codes == []
    assert snoop.code is None  # not even its name
    assert _csv(other, probe) == []
    assert [r["code"] for r in _csv(other)] == ["Bob's"]
    _, data = exports.breakdowns_xlsx(actor=other, filters=probe, now=NOW)
    assert b"Menu" not in data
    options = filter_options(actor=other)
    assert [n for _, n in options.codes] == ["Bob's"]


def test_roles_viewers_see_but_do_not_export(clean_db):
    w = stockholm_world()
    viewer_token = sign_up_and_session("vic@example.com")
    viewer = actor(viewer_token)
    add_member(w.workspace_id, viewer.user_id, Role.VIEWER)
    from qrapp.services.workspaces import workspaces

    workspaces.switch(actor=viewer, workspace_id=w.workspace_id)
    viewer = actor(viewer_token)
    assert dashboard(actor=viewer, filters=WINDOW, now=NOW).kpis.scans == 4
    for fn in (exports.raw_scans_csv, exports.breakdowns_xlsx, exports.report_pdf):
        with pytest.raises(PermissionDenied):
            fn(actor=viewer, filters=WINDOW, now=NOW)
    with pytest.raises(PermissionDenied):
        retention.set_retention(actor=viewer, days=30)


def _counts(workspace_id):
    with read_session() as s:
        return tuple(
            len(s.exec(select(m).where(m.workspace_id == workspace_id)).all())
            for m in (ScanEvent, ScanHourly, ScanDimensionDaily)
        )


def test_retention_purges_old_events_and_rollups_per_workspace(clean_db):
    now = utc(2026, 6, 1, 12)
    short = actor(sign_up_and_session("short@example.com"))
    long_ = actor(sign_up_and_session("long@example.com"))
    retention.set_retention(actor=short, days=30)
    with pytest.raises(FieldErrors):
        retention.set_retention(actor=short, days=7)
    assert retention.get_retention(actor=short) == 30
    assert retention.get_retention(actor=long_) == 365  # the setting's default
    for who in (short, long_):
        code = make_code(who.workspace_id)
        record_scans(
            Scan(code, now - dt.timedelta(days=40)),
            Scan(code, now - dt.timedelta(days=10), country="FI"),
        )
    assert _counts(short.workspace_id) == (2, 2, 16)
    result = retention.purge_expired_scans(now=now)
    assert (result.events, result.hourly, result.daily) == (1, 1, 8)
    assert _counts(short.workspace_id) == (1, 1, 8)
    assert _counts(long_.workspace_id) == (2, 2, 16)
    # Idempotent.
    assert retention.purge_expired_scans(now=now).total == 0
    d = dashboard(actor=short, filters=AnalyticsFilter(range="90d"), now=now)
    assert d.kpis.scans == 1
    assert d.breakdowns["country"][0].value == "FI"
    with read_session() as s:
        assert s.get(Workspace, short.workspace_id).retention_days == 30


def test_retention_purge_in_batches(clean_db, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 3)
    now = utc(2026, 6, 1, 12)
    a = actor(sign_up_and_session("batch@example.com"))
    code = make_code(a.workspace_id)
    record_scans(*[Scan(code, now - dt.timedelta(days=400, hours=i)) for i in range(7)])
    result = retention.purge_expired_scans(now=now)
    assert result.events == 7
    assert result.hourly == 7
    assert _counts(a.workspace_id) == (0, 0, 0)


def test_beat_schedules_the_purge_task(clean_db):
    from workers import tasks
    from workers.celery_app import app

    entry = app.conf.beat_schedule["purge-expired-scans"]
    assert entry["task"] == "qrapp.analytics.purge_expired_scans"
    assert entry["task"] in app.tasks
    old = actor(sign_up_and_session("old@example.com"))
    code = make_code(old.workspace_id)
    record_scans(Scan(code, utc(2020, 1, 1)))
    # event, hour, 8 dimension days; code day, workspace hour, 8 workspace dimension days
    # and 8 workspace dimension hours.
    assert tasks.purge_expired_scans.apply().get() == 1 + 1 + 8 + 1 + 1 + 8 + 8
