"""The numbers on the dashboard (overview) and on a code's page (quick stats), from the
rollups the ingest writes; each counts only the actor's workspace."""

from __future__ import annotations

import datetime as dt

import pytest

from qrapp.db import transaction
from qrapp.models import QRCode, Workspace
from qrapp.services.codes import code_stats, qrcodes
from qrapp.services.errors import NotFound
from qrapp.services.workspaces import overview
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.scans import Scan, make_code, record_scans


@pytest.fixture
def people(clean_db):
    return {
        "me": actor(sign_up_and_session("me@stats.example")),
        "stranger": actor(sign_up_and_session("stranger@stats.example")),
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_quick_stats_count_today_the_last_7_days_and_in_total(people):
    me = people["me"]
    code = make_code(me.workspace_id, "Menu")
    now = _now()
    record_scans(
        Scan(code, now),
        Scan(code, now, is_bot=True),  # a bot is not a scan
        Scan(code, now - dt.timedelta(days=3)),
        Scan(code, now - dt.timedelta(days=10)),
    )
    stats = code_stats.quick_stats(actor=me, code_id=code)
    assert (stats.today, stats.last_7_days, stats.total) == (1, 2, 3)
    assert stats.last_scan_at is not None

    # A workspace time zone the database no longer knows falls back to UTC.
    with transaction() as tx:
        ws = tx.session.get(Workspace, me.workspace_id)
        ws.timezone = "Nowhere/Atlantis"
        tx.session.add(ws)
    again = code_stats.quick_stats(actor=me, code_id=code)
    assert (again.today, again.last_7_days, again.total) == (1, 2, 3)


def test_quick_stats_of_another_workspaces_code_are_not_found(people):
    code = make_code(people["me"].workspace_id, "Menu")
    record_scans(Scan(code, _now()))
    with pytest.raises(NotFound) as err:
        code_stats.quick_stats(actor=people["stranger"], code_id=code)
    assert err.value.message == NotFound("QR code").message


def test_overview_counts_live_codes_and_scans_of_the_workspace_only(people):
    me, stranger = people["me"], people["stranger"]
    now = _now()
    menu = make_code(me.workspace_id, "Menu")
    poster = make_code(me.workspace_id, "Poster")
    wifi = qrcodes.create(
        actor=me,
        data=qrcodes.CodeInput(
            name="Wifi",
            is_dynamic=False,
            content_type="wifi",
            payload={"ssid": "Home", "password": "secret123"},
        ),
    )
    old = make_code(me.workspace_id, "Old")
    theirs = make_code(stranger.workspace_id, "Theirs")
    record_scans(
        Scan(menu, now),
        Scan(menu, now - dt.timedelta(days=3)),
        Scan(menu, now - dt.timedelta(days=20)),
        Scan(poster, now - dt.timedelta(days=20)),
        Scan(old, now - dt.timedelta(days=30)),
        Scan(theirs, now),
        Scan(theirs, now),
    )
    with transaction() as tx:
        archived = tx.session.get(QRCode, old)
        archived.status = "archived"  # archived codes leave the dashboard
        tx.session.add(archived)

    mine = overview.overview(actor=me)
    assert (mine.codes, mine.dynamic, mine.scans_total, mine.scans_7_days) == (3, 2, 4, 2)
    assert {c.name for c in mine.recent} == {"Menu", "Poster", "Wifi"}
    assert [c.name for c in mine.top] == ["Menu", "Poster"]  # by scans; none for Wifi
    assert wifi.workspace_id == me.workspace_id

    # The stranger's dashboard holds their code alone, and mine is unchanged by it.
    other = overview.overview(actor=stranger)
    assert (other.codes, other.dynamic, other.scans_total, other.scans_7_days) == (1, 1, 2, 2)
    assert [c.name for c in other.recent] == [c.name for c in other.top] == ["Theirs"]
    assert overview.overview(actor=me) == mine
