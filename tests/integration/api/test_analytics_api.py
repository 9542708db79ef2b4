"""REST v1 analytics: the dashboard's figures with its filters, per workspace and per
code, and the raw scans a page at a time (the same rows as the CSV export)."""

from __future__ import annotations

import pytest

from tests.integration.analytics.fixtures import stockholm_world
from tests.integration.api.conftest import bearer

pytestmark = pytest.mark.integration

WINDOW = "range=custom&from=2026-03-28&to=2026-03-30"


@pytest.fixture
def ana(clean_db, make_key):
    w = stockholm_world()
    return w, bearer(make_key(w.actor, ["analytics:read"]))


def test_the_workspaces_figures_match_the_dashboard(ana, api_client):
    _w, key = ana
    got = api_client.get(f"/api/v1/analytics?{WINDOW}", headers=key)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["window"]["timezone"] == "Europe/Stockholm"
    assert body["window"]["first_day"] == "2026-03-28"
    assert body["window"]["granularity"] == "day"
    # Human scans in the window (the CSV export has the same four).
    assert body["totals"]["scans"] == 4
    assert body["totals"]["bots"] == 1
    assert body["totals"]["previous_scans"] == 1
    assert [p["label"] for p in body["series"]] == ["2026-03-28", "2026-03-29", "2026-03-30"]
    assert [p["scans"] for p in body["series"]] == [1, 2, 1]
    countries = {r["value"]: r["scans"] for r in body["breakdowns"]["country"]}
    assert countries == {"SE": 3, "DE": 1}
    assert {c["name"] for c in body["top_codes"]} == {"Menu", "Flyer"}
    with_bots = api_client.get(f"/api/v1/analytics?{WINDOW}&bots=true", headers=key).json()
    assert with_bots["totals"]["scans"] == 5
    flyer = api_client.get(f"/api/v1/analytics?{WINDOW}&tag=flyer", headers=key).json()
    assert flyer["totals"]["scans"] == 1


def test_one_codes_figures(ana, api_client):
    w, key = ana
    got = api_client.get(f"/api/v1/codes/{w.code_b}/analytics?{WINDOW}", headers=key)
    assert got.status_code == 200
    body = got.json()
    assert body["totals"]["scans"] == 1
    assert [r["value"] for r in body["breakdowns"]["referrer"]] == ["news.example"]


def test_a_custom_range_needs_both_dates(ana, api_client):
    _, key = ana
    got = api_client.get("/api/v1/analytics?range=custom&from=2026-03-28", headers=key)
    assert got.status_code == 422
    assert got.json()["errors"] == [
        {"field": "to", "message": "A custom range needs both `from` and `to` dates."}
    ]
    bad = api_client.get("/api/v1/analytics?range=fortnight", headers=key)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "range"


def test_raw_scans_page_with_a_cursor_oldest_first(ana, api_client):
    w, key = ana
    seen, url = [], f"/api/v1/scans?{WINDOW}&limit=3"
    while True:
        got = api_client.get(url, headers=key)
        assert got.status_code == 200, got.text
        page = got.json()
        assert len(page["items"]) <= 3
        seen += page["items"]
        if not page["next_cursor"]:
            break
        url = f"/api/v1/scans?{WINDOW}&limit=3&cursor={page['next_cursor']}"
    assert [s["occurred_at"][:16] for s in seen] == [
        "2026-03-27T23:30",
        "2026-03-29T00:30",
        "2026-03-29T01:30",
        "2026-03-30T21:30",
    ]
    assert not any(s["is_bot"] for s in seen)
    assert seen[-1]["code_id"] == str(w.code_b)
    assert seen[-1]["source"] == "link"
    assert "visitor_hash" not in seen[0]
    both = api_client.get(f"/api/v1/scans?{WINDOW}&bots=true&limit=1000", headers=key).json()
    assert len(both["items"]) == 5
    assert both["next_cursor"] is None
    too_big = api_client.get("/api/v1/scans?limit=1001", headers=key)
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "limit"


def test_another_workspace_sees_none_of_these_scans(ana, api_client, make_key):
    from tests.integration.helpers import actor, sign_up_and_session

    other = actor(sign_up_and_session("bo@other.example"))
    key = bearer(make_key(other, ["analytics:read"]))
    got = api_client.get(f"/api/v1/scans?{WINDOW}&bots=true", headers=key).json()
    assert got["items"] == []
    w, _ = ana
    figures = api_client.get(f"/api/v1/analytics?{WINDOW}&code={w.code_a}", headers=key).json()
    assert figures["totals"]["scans"] == 0
