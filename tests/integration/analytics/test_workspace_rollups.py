"""The workspace rollups (and the per-code daily one) always equal the per-code rollups
and raw events summed up: after ingest, after the retention purge, after codes are
deleted, and after the migration backfills them. And the unfiltered dashboard, which reads
them, shows exactly what the per-code path shows for the same codes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from alembic import command
from sqlmodel import func, select

from qrapp import db
from qrapp.core.scan_dimensions import dimension_values
from qrapp.db import read_session
from qrapp.migrations import alembic_config
from qrapp.models import (
    QRCode,
    ScanCodeDaily,
    ScanDimensionDaily,
    ScanEvent,
    ScanHourly,
    ScanVisitor,
    ScanWorkspaceDimensionDaily,
    ScanWorkspaceDimensionHourly,
    ScanWorkspaceHourly,
)
from qrapp.services.analytics import retention
from qrapp.services.analytics.dashboard import dashboard
from qrapp.services.analytics.filters import AnalyticsFilter
from qrapp.services.codes import library, qrcodes
from tests.integration.analytics.fixtures import NOW, stockholm_world, utc
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.scans import Scan, make_code, record_scans

pytestmark = pytest.mark.integration

WINDOW = AnalyticsFilter(range="custom", start=dt.date(2026, 3, 28), end=dt.date(2026, 3, 30))


def _nonzero(acc: dict) -> dict:
    return {k: tuple(v) for k, v in acc.items() if any(v)}


def _expected(workspace_id):
    """What the new tables must hold, from the per-code rollups and the raw events."""
    hourly, code_daily, dim_daily, dim_hourly = (defaultdict(lambda: [0, 0, 0]) for _ in "1234")

    def add(target, row):
        for i, name in enumerate(("scans", "uniques", "bots")):
            target[i] += getattr(row, name)

    with read_session() as s:
        for h in s.exec(select(ScanHourly).where(ScanHourly.workspace_id == workspace_id)):
            add(hourly[h.hour], h)
        for d in s.exec(
            select(ScanDimensionDaily).where(ScanDimensionDaily.workspace_id == workspace_id)
        ):
            add(dim_daily[(d.day, d.dimension, d.value)], d)
            if d.dimension == "source":
                add(code_daily[(d.qrcode_id, d.day)], d)
        for e in s.exec(select(ScanEvent).where(ScanEvent.workspace_id == workspace_id)):
            hour = e.occurred_at.replace(minute=0, second=0, microsecond=0)
            counts = (0, 0, 1) if e.is_bot else (1, int(e.is_unique), 0)
            values = dimension_values(
                country=e.country,
                city=e.city,
                device_type=e.device_type,
                os=e.os,
                browser=e.browser,
                language=e.language,
                referrer_host=e.referrer_host,
                source=e.source,
            )
            for dimension, value in values.items():
                target = dim_hourly[(hour, dimension, value)]
                for i, c in enumerate(counts):
                    target[i] += c
    return tuple(map(_nonzero, (hourly, code_daily, dim_daily, dim_hourly)))


def _stored(workspace_id):
    def rows(model, key):
        with read_session() as s:
            found = s.exec(select(model).where(model.workspace_id == workspace_id)).all()
        return _nonzero({key(r): (r.scans, r.uniques, r.bots) for r in found})

    return (
        rows(ScanWorkspaceHourly, lambda r: r.hour),
        rows(ScanCodeDaily, lambda r: (r.qrcode_id, r.day)),
        rows(ScanWorkspaceDimensionDaily, lambda r: (r.day, r.dimension, r.value)),
        rows(ScanWorkspaceDimensionHourly, lambda r: (r.hour, r.dimension, r.value)),
    )


def assert_rollups_match(workspace_id, *, empty: bool = False) -> None:
    """The stored workspace rollups equal the sums; `empty`: both are expected to be empty
    (otherwise an empty workspace would match without checking anything)."""
    expected, stored = _expected(workspace_id), _stored(workspace_id)
    assert not any(expected) if empty else all(expected), "expected sums"
    names = ("ws hourly", "code daily", "ws dimension daily", "ws dimension hourly")
    for name, want, got in zip(names, expected, stored, strict=True):
        assert got == want, name


def _all_codes(workspace_id) -> tuple:
    with read_session() as s:
        return tuple(s.exec(select(QRCode.id).where(QRCode.workspace_id == workspace_id)).all())


def assert_views_agree(w, filt: AnalyticsFilter, now: dt.datetime) -> None:
    """The unfiltered view (workspace rollups) equals the view filtered to every code of
    the workspace (per-code rollups and raw events)."""
    whole = dashboard(actor=w.actor, filters=filt, now=now)
    codes = _all_codes(w.workspace_id)
    # With no codes or no scans both views are empty and agree without proving anything.
    assert codes, "the workspace has no codes to compare"
    assert whole.kpis.scans + whole.kpis.bots, "the view has no scans to compare"
    per_code = dashboard(actor=w.actor, filters=filt.model_copy(update={"codes": codes}), now=now)
    for name in ("kpis", "series", "previous_series", "heatmap", "breakdowns", "top_codes"):
        assert getattr(whole, name) == getattr(per_code, name), name


def _more_scans(w) -> None:
    """Scans over several UTC days, bots, and a second workspace beside it."""
    scans = []
    for i in range(40):
        t = utc(2026, 3, 20, 5) + dt.timedelta(hours=7 * i, minutes=13)
        scans.append(
            Scan(
                w.code_a if i % 3 else w.code_b,
                t,
                country=("SE", "DE", "US")[i % 3],
                city=("Stockholm", "Berlin", "")[i % 3],
                is_bot=i % 7 == 0,
                is_unique=i % 2 == 0,
                source="link" if i % 5 == 0 else "qr",
                referrer_host="x.example" if i % 4 == 0 else "",
            )
        )
    record_scans(*scans)


@pytest.mark.parametrize(
    "filt",
    [
        WINDOW,
        AnalyticsFilter(range="30d"),
        AnalyticsFilter(range="7d", bots=True),
        AnalyticsFilter(range="today"),
    ],
)
def test_after_ingest_the_workspace_view_equals_the_per_code_view(clean_db, filt):
    w = stockholm_world()
    _more_scans(w)
    other = actor(sign_up_and_session("other@example.com"))
    record_scans(Scan(make_code(other.workspace_id), utc(2026, 3, 29, 10)))
    assert_rollups_match(w.workspace_id)
    assert_rollups_match(other.workspace_id)
    assert_views_agree(w, filt, NOW)
    # A running window: "now" inside an hour, a day and a partial UTC day.
    assert_views_agree(w, filt, NOW + dt.timedelta(minutes=17))


def test_the_hand_computed_figures_hold_on_the_workspace_rollups(clean_db):
    w = stockholm_world()
    d = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    assert (d.kpis.scans, d.kpis.uniques, d.kpis.bots) == (4, 3, 1)
    countries = {r.value: r.scans for r in d.breakdowns["country"]}
    assert countries == {"SE": 3, "DE": 1}


def test_retention_purge_keeps_them_equal(clean_db):
    w = stockholm_world()
    _more_scans(w)
    now = utc(2026, 4, 20, 12)
    retention.purge_workspace(w.workspace_id, 30, now)  # cut-off 21 Mar 12:00 UTC
    assert_rollups_match(w.workspace_id)
    cutoff = now - dt.timedelta(days=30)
    with read_session() as s:
        assert not s.exec(
            select(ScanWorkspaceHourly).where(ScanWorkspaceHourly.hour < cutoff.replace(minute=0))
        ).all()
        assert not s.exec(
            select(ScanWorkspaceDimensionDaily).where(
                ScanWorkspaceDimensionDaily.day < cutoff.date()
            )
        ).all()
    assert_views_agree(w, AnalyticsFilter(range="30d"), now)


def test_deleting_codes_subtracts_them(clean_db):
    w = stockholm_world()
    _more_scans(w)
    extra = make_code(w.workspace_id, "Poster")
    record_scans(Scan(extra, utc(2026, 3, 29, 8)), Scan(extra, utc(2026, 3, 30, 8), is_bot=True))
    before = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    only_b = WINDOW.model_copy(update={"codes": (w.code_b,)})
    b_scans = dashboard(actor=w.actor, filters=only_b, now=NOW).kpis.scans
    assert b_scans > 0

    assert _raw_rows(w.code_b) > (0, 0)
    qrcodes.delete(actor=w.actor, code_id=w.code_b)
    assert _raw_rows(w.code_b) == (0, 0)  # no foreign key cascades: forget_codes deletes
    assert _raw_rows(w.code_a) > (0, 0)
    assert_rollups_match(w.workspace_id)
    assert_views_agree(w, WINDOW, NOW)
    after = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    assert after.kpis.scans == before.kpis.scans - b_scans

    assert library.bulk(actor=w.actor, action="delete", code_ids=[extra, w.code_a]) == 2
    assert_rollups_match(w.workspace_id, empty=True)
    empty = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    assert empty.kpis.scans == 0
    assert empty.kpis.bots == 0
    assert all(not rows for rows in empty.breakdowns.values())
    assert empty.top_codes == []
    assert _raw_rows(w.code_a) == (0, 0)
    assert _raw_rows(extra) == (0, 0)


def _raw_rows(code_id) -> tuple[int, int]:
    """(scan_event rows, scan_visitor rows) of a code."""
    with read_session() as s:
        events = s.exec(select(func.count()).where(ScanEvent.qrcode_id == code_id)).one()
        visitors = s.exec(select(func.count()).where(ScanVisitor.qrcode_id == code_id)).one()
    return events, visitors


def test_the_migration_backfills_them_from_the_per_code_rollups(clean_db):
    w = stockholm_world()
    _more_scans(w)
    expected = _expected(w.workspace_id)
    with db.engine().begin() as conn:
        command.downgrade(alembic_config(conn), "0005")
    with db.engine().begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    assert _stored(w.workspace_id) == expected
    assert_views_agree(w, WINDOW, NOW)
