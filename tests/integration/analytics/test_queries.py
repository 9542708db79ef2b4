"""Dashboard aggregations against the hand-computed Stockholm data set (see fixtures)."""

from __future__ import annotations

import datetime as dt

import pytest

from qrapp.db import read_session
from qrapp.services.analytics.dashboard import dashboard, live_feed
from qrapp.services.analytics.filters import AnalyticsFilter
from tests.integration.analytics.fixtures import NOW, stockholm_world, utc
from tests.support.scans import Scan, record_scans

pytestmark = pytest.mark.integration

WINDOW = AnalyticsFilter(range="custom", start=dt.date(2026, 3, 28), end=dt.date(2026, 3, 30))


def _raw_counts(workspace_id, start, end, bots=False):
    """The same figure straight from the raw table, as a cross-check."""
    from sqlmodel import select

    from qrapp.models import ScanEvent

    with read_session() as s:
        rows = s.exec(
            select(ScanEvent).where(
                ScanEvent.workspace_id == workspace_id,
                ScanEvent.occurred_at >= start,
                ScanEvent.occurred_at < end,
            )
        ).all()
    return sum(1 for r in rows if bots or not r.is_bot)


def test_kpis_series_and_heatmap_in_local_time_across_dst(clean_db):
    w = stockholm_world()
    d = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    # Window: local 28 Mar 00:00 CET .. 31 Mar 00:00 CEST
    assert d.window.start == utc(2026, 3, 27, 23)
    assert d.window.end == utc(2026, 3, 30, 22)
    assert d.timezone == "Europe/Stockholm"
    assert d.window.granularity == "day"
    k = d.kpis
    assert (k.scans, k.uniques, k.bots, k.humans) == (4, 3, 1, 4)
    assert k.human_share == pytest.approx(0.8)
    assert k.scans == _raw_counts(w.workspace_id, d.window.start, d.window.end)
    # Previous period (25..27 Mar local) holds the one scan of local 27 Mar 23:30.
    assert k.previous_scans == 1
    assert k.change == pytest.approx(3.0)
    assert [(p.label, p.scans, p.uniques) for p in d.series] == [
        ("2026-03-28", 1, 1),
        ("2026-03-29", 2, 1),
        ("2026-03-30", 1, 1),
    ]
    sat, sun, mon = 5, 6, 0
    hm = d.heatmap
    assert hm[sat][0] == 1  # 00:30 CET
    assert hm[sun][1] == 1
    assert hm[sun][3] == 1  # 01:30 CET, 03:30 CEST; no 02:00 exists
    assert hm[sun][2] == 0
    assert hm[mon][23] == 1  # 23:30 CEST
    assert sum(map(sum, hm)) == 4


def test_bots_only_when_asked(clean_db):
    w = stockholm_world()
    d = dashboard(actor=w.actor, filters=WINDOW.model_copy(update={"bots": True}), now=NOW)
    assert d.kpis.scans == 5
    assert d.kpis.uniques == 3  # a bot is never a unique visitor
    assert [p.scans for p in d.series] == [1, 3, 1]
    countries = {r.value: r.scans for r in d.breakdowns["country"]}
    assert countries == {"SE": 3, "DE": 1, "US": 1}
    human = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    assert {r.value: r.scans for r in human.breakdowns["country"]} == {"SE": 3, "DE": 1}
    assert human.feed
    assert all(not row.is_bot for row in human.feed)
    assert any(row.is_bot for row in d.feed)


def test_breakdowns_cut_partial_utc_days_exactly(clean_db):
    """The window starts at 23:00 UTC and ends at 22:00 UTC: the scans of 27 Mar 22:30 UTC
    and 30 Mar 22:30 UTC sit in rollup days the window touches, yet must not count."""
    w = stockholm_world()
    d = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    b = d.breakdowns
    assert {r.value: (r.scans, r.uniques) for r in b["country"]} == {"SE": (3, 2), "DE": (1, 1)}
    assert [r.label for r in b["city"]] == ["Stockholm", "Berlin"]
    assert {r.label: r.scans for r in b["device"]} == {"Mobile": 3, "Desktop": 1}
    assert {r.label: r.scans for r in b["source"]} == {"QR scan": 3, "Link click": 1}
    assert {r.label: r.scans for r in b["referrer"]} == {"Direct / none": 3, "news.example": 1}
    assert {r.label: r.scans for r in b["os"]} == {"iOS": 2, "Android": 1, "Windows": 1}
    assert b["country"][0].share == pytest.approx(0.75)
    # Naming both codes takes the per-code path (raw events for the partial days, one
    # GROUPING SETS scan on PostgreSQL): every dimension agrees with the workspace view.
    both = dashboard(
        actor=w.actor, filters=WINDOW.model_copy(update={"codes": (w.code_a, w.code_b)}), now=NOW
    )

    def rows(view):
        return {k: [(r.value, r.scans, r.uniques) for r in v] for k, v in view.breakdowns.items()}

    assert rows(both) == rows(d)
    assert all(rows(d)[k] for k in ("country", "city", "device", "os", "browser", "source"))
    # In UTC the same dates are whole rollup days.
    from tests.integration.analytics.fixtures import set_zone

    set_zone(w.workspace_id, "UTC")
    utc_view = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    assert {r.value: r.scans for r in utc_view.breakdowns["country"]} == {"SE": 3, "DE": 1}
    assert [p.scans for p in utc_view.series] == [0, 2, 2]  # 28: -, 29: 2, 30: 2 (UTC)


def test_top_codes_and_code_tag_filters(clean_db):
    w = stockholm_world()
    d = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    assert [(c.name, c.scans) for c in d.top_codes] == [("Menu", 3), ("Flyer", 1)]
    only_b = dashboard(
        actor=w.actor, filters=WINDOW.model_copy(update={"codes": (w.code_b,)}), now=NOW
    )
    assert only_b.kpis.scans == 1
    assert only_b.code is not None
    assert only_b.code.name == "Flyer"
    assert {r.value for r in only_b.breakdowns["country"]} == {"DE"}
    menu = dashboard(actor=w.actor, filters=WINDOW.model_copy(update={"tags": ("menu",)}), now=NOW)
    assert menu.kpis.scans == 3
    nothing = dashboard(
        actor=w.actor, filters=WINDOW.model_copy(update={"tags": ("nope",)}), now=NOW
    )
    assert nothing.kpis.scans == 0
    assert nothing.top_codes == []
    assert nothing.feed == []


def test_hour_granularity_today_and_scans_today(clean_db):
    w = stockholm_world()
    now = utc(2026, 3, 30, 21, 45)  # local 23:45 on 30 Mar
    d = dashboard(actor=w.actor, filters=AnalyticsFilter(range="today"), now=now)
    assert d.window.granularity == "hour"
    assert len(d.series) == 24
    assert d.series[23].label == "2026-03-30T23:00"
    assert d.series[23].scans == 1
    assert d.kpis.scans_today == 1 == d.kpis.scans
    # The DST day has 23 local hours.
    dst = dashboard(
        actor=w.actor,
        filters=AnalyticsFilter(
            range="custom", start=dt.date(2026, 3, 29), end=dt.date(2026, 3, 29)
        ),
        now=NOW,
    )
    assert len(dst.series) == 23
    assert "2026-03-29T02:00" not in [p.label for p in dst.series]
    assert {p.label: p.scans for p in dst.series if p.scans} == {
        "2026-03-29T01:00": 1,
        "2026-03-29T03:00": 1,
    }


def test_live_feed_newest_first_and_marker_changes(clean_db):
    from qrapp.services.analytics import live

    w = stockholm_world()
    before = live.marker(w.workspace_id)
    d = dashboard(actor=w.actor, filters=WINDOW, now=NOW)
    assert d.feed[0].occurred_at == utc(2026, 3, 30, 22, 30)
    assert d.feed[0].local_time == "Mar 31, 00:30:00"
    assert d.feed[0].code_name == "Menu"
    record_scans(Scan(w.code_b, utc(2026, 3, 31, 11, 0), country="FR", city="Paris"))
    assert live.marker(w.workspace_id) != before
    assert live_feed(actor=w.actor, filters=WINDOW)[0].country == "FR"


def test_empty_workspace_says_so(clean_db):
    from tests.integration.helpers import actor, sign_up_and_session

    a = actor(sign_up_and_session("empty@example.com"))
    d = dashboard(actor=a, filters=AnalyticsFilter(), now=NOW)
    assert not d.has_codes
    assert not d.has_any_scans
    assert d.kpis.scans == 0
    assert d.kpis.change is None
    assert len(d.series) == 30
    assert all(p.scans == 0 for p in d.series)
