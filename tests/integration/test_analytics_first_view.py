"""/analytics with its KPIs and first chart in the HTML (qrapp/api/analytics_first.py),
on a build folder laid out as `reflex run --env prod` exports it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from qrapp.api.analytics_first import PLACEHOLDER
from qrapp.api.app import transform
from qrapp.services.analytics import handoff, live
from qrapp.services.analytics.filters import AnalyticsFilter
from qrapp.settings import get_settings
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.scans import Scan, make_code, record_scans

EXPORTED = f"<!doctype html><body><main>{PLACEHOLDER}<div id='page-skeleton'></div></main>"


@pytest.fixture
def client(clean_db, tmp_path, monkeypatch) -> TestClient:
    monkeypatch.setenv("REFLEX_WEB_WORKDIR", str(tmp_path))
    built = tmp_path / "build" / "client"
    (built / "analytics").mkdir(parents=True)
    (built / "analytics" / "index.html").write_text(EXPORTED)
    frontend = PrecompressedStaticFiles(directory=built, html=True, encodings=["gzip"])
    return TestClient(transform(Starlette(routes=[Mount("/", app=frontend)])))


def page_code(client: TestClient) -> str:
    return client.code_id  # type: ignore[attr-defined]


def _signed_in(client: TestClient, *, scans: int) -> None:
    token = sign_up_and_session(f"first-{uuid.uuid4().hex[:8]}@example.com", "Fay")
    code = make_code(actor(token).workspace_id, "Shop <window>")
    now = dt.datetime.now(dt.UTC)
    record_scans(
        *[Scan(code, now - dt.timedelta(days=i % 9, hours=1)) for i in range(scans)],
        publish=False,
    )
    client.cookies.set(get_settings().session_cookie_name, token)
    client.code_id = str(code)  # type: ignore[attr-defined]


def test_the_kpis_and_first_chart_are_in_the_page(client):
    _signed_in(client, scans=12)
    page = client.get("/analytics")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    assert "etag" not in page.headers
    assert "content-security-policy" in page.headers
    html = page.text
    assert '<p class="fv-value" id="kpi-scans">12</p>' in html
    assert 'svg class="fv-chart"' in html
    assert 'aria-label="Chart of scans over time.' in html
    assert "<script" not in html.split(PLACEHOLDER[:-6])[1]  # nothing to run, no new hash

    # The URL's filter is the view's.
    assert "Last 30 days" in html
    week = client.get("/analytics", params={"range": "7d"}).text
    assert "Last 7 days" in week
    assert "Last 30 days" not in week
    # Names are text, never markup.
    one = client.get("/analytics", params={"code": page_code(client)}).text
    assert '<h2 id="view-title">Shop &lt;window&gt;</h2>' in one


def test_anyone_else_gets_the_exported_page(client):
    assert client.get("/analytics").text == EXPORTED  # no cookie
    client.cookies.set(get_settings().session_cookie_name, "not-a-session")
    answer = client.get("/analytics")
    assert answer.text == EXPORTED
    assert answer.headers["cache-control"] == "no-cache"


@pytest.fixture
def reads(monkeypatch) -> list[AnalyticsFilter]:
    """The filters of every dashboard read behind the first view and the page's load."""
    handoff.forget_all()
    seen: list[AnalyticsFilter] = []
    real = handoff.dashboard.dashboard

    def counting(*, actor, filters, now=None):
        seen.append(filters)
        return real(actor=actor, filters=filters, now=now)

    monkeypatch.setattr(handoff.dashboard, "dashboard", counting)
    return seen


def _load(client: TestClient, filters: AnalyticsFilter = AnalyticsFilter()):
    """What state/analytics.py's load does: the marker, then the dashboard."""
    who = actor(client.cookies.get(get_settings().session_cookie_name))
    return handoff.read_for_load(actor=who, filters=filters, marker=live.marker(who.workspace_id))


def test_the_load_after_the_first_view_reuses_its_read_once(client, reads):
    _signed_in(client, scans=12)
    assert 'id="kpi-scans">12<' in client.get("/analytics").text
    assert len(reads) == 1

    assert _load(client).kpis.scans == 12
    assert len(reads) == 1  # the first view's read, handed over
    assert _load(client).kpis.scans == 12
    assert len(reads) == 2  # taken once: a second load reads again

    # Another filter than the first view's is read afresh.
    client.get("/analytics", params={"range": "7d"})
    assert _load(client).filter.range == "30d"
    assert len(reads) == 4


def test_a_scan_after_the_first_view_is_in_the_load(client, reads):
    _signed_in(client, scans=3)
    assert 'id="kpi-scans">3<' in client.get("/analytics").text
    code = uuid.UUID(page_code(client))
    record_scans(Scan(code, dt.datetime.now(dt.UTC)), publish=False)
    assert _load(client).kpis.scans == 4  # the marker moved: not the kept view
    assert len(reads) == 2


def test_a_kept_view_expires(client, reads, monkeypatch):
    _signed_in(client, scans=2)
    client.get("/analytics")
    later = handoff.clock() + handoff.REUSE_SECONDS + 1
    monkeypatch.setattr(handoff, "clock", lambda: later)
    assert _load(client).kpis.scans == 2
    assert len(reads) == 2


def test_another_person_never_gets_the_kept_view(client, reads):
    _signed_in(client, scans=5)
    client.get("/analytics")
    stranger = actor(sign_up_and_session(f"other-{uuid.uuid4().hex[:8]}@example.com", "Oz"))
    data = handoff.read_for_load(
        actor=stranger, filters=AnalyticsFilter(), marker=live.marker(stranger.workspace_id)
    )
    assert data.kpis.scans == 0
    assert len(reads) == 2
