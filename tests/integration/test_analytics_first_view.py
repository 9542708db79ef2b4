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
