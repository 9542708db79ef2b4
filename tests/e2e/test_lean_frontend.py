"""The production build as a browser gets it: pages at their own path, hashed assets
cached for a year, a favicon, the signed-in frame in the HTML before the websocket
answers, and every analytics chart drawn by the trimmed plotly bundle.
(Sizes and timings are measured by bench/frontend.py, not asserted here.)"""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from qrapp.api.frontend_files import IMMUTABLE
from tests.e2e.flows import sign_up
from tests.e2e.test_accessibility import _audit_here, _axe_source
from tests.integration.helpers import actor
from tests.support.scans import Scan, make_code, record_scans

PASSWORD = "lean passphrase 2026"


def test_pages_assets_and_favicon_over_http(product):
    with httpx.Client(base_url=product["url"], follow_redirects=False, timeout=20) as http:
        login = http.get("/login")
        assert login.status_code == 200, login.headers.get("location")
        assert login.headers["cache-control"] == "no-cache"
        assert 'rel="icon"' in login.text
        assert "/favicon.svg" in login.text

        # The scripts do not compete with the stylesheet the first paint waits for
        # (qrapp/components/build_hints.py): asked for after the first paint on /login,
        # at low priority on a signed-in page.
        assert "modulepreload" not in login.text.split("<body>")[0]
        assert "requestAnimationFrame(() => setTimeout(go))" in login.text
        codes_page = http.get("/codes").text
        preloads = re.findall(r'<link rel="modulepreload"[^>]*>', codes_page)
        assert preloads
        assert all('fetchpriority="low"' in tag for tag in preloads), preloads

        scripts = re.findall(r'"(/assets/[^"]+\.js)"', login.text)
        styles = re.findall(r'"(/assets/[^"]+\.css)"', login.text)
        assert scripts
        assert styles
        for path in (scripts[0], styles[0]):
            asset = http.get(path, headers={"accept-encoding": "gzip"})
            assert asset.status_code == 200
            assert asset.headers["cache-control"] == IMMUTABLE

        for path, kind in (("/favicon.svg", "image/svg+xml"), ("/favicon.ico", "image/")):
            icon = http.get(path)
            assert icon.status_code == 200
            assert icon.headers["content-type"].startswith(kind)

        # The signed-in frame is in the exported page, not a spinner waiting for the
        # websocket: the navigation and the content's placeholder.
        codes = http.get("/codes")
        assert codes.status_code == 200
        assert 'href="/analytics"' in codes.text
        assert 'id="page-skeleton"' in codes.text


@pytest.mark.embedded_only
def test_every_analytics_chart_draws(browser, page: Page, product):
    email = f"lean-{product['mode']}@example.com"
    sign_up(page, email, PASSWORD, "Lena")
    cookies = page.context.cookies()
    token = next(c["value"] for c in cookies if c["name"] == "qrapp_session")
    code = make_code(actor(token).workspace_id, "Window poster")
    now = dt.datetime.now(dt.UTC)
    record_scans(
        *[
            Scan(code, now - dt.timedelta(days=i % 20, hours=i % 7), country=country)
            for i, country in enumerate(["SE", "US", "DE", "JP"] * 10)
        ],
        publish=False,
    )
    # The KPIs and the first chart are in the page's HTML (qrapp/api/analytics_first.py):
    # they show with every script held back, so before plotly or the websocket. (Another
    # context of the same browser session: axe is an inline script the CSP refuses.)
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, base_url=product["url"], bypass_csp=True
    )
    context.add_cookies(cookies)
    page = context.new_page()
    held, released = [], []
    page.route(
        re.compile(r"/assets/.+\.js$"),
        lambda route: route.continue_() if released else held.append(route),
    )
    page.goto("/analytics", wait_until="commit")
    expect(page.locator("#first-view #kpi-scans")).to_have_text("40")
    expect(page.locator("#first-view svg.fv-chart path")).not_to_have_count(0)
    expect(page.locator("#first-view svg.fv-chart")).to_have_attribute(
        "aria-label", re.compile("scans over time")
    )
    expect(page.locator("#page-skeleton").first).to_be_hidden()  # no skeleton under it
    assert not _audit_here(page, _axe_source(), "/analytics (first view)", "light")
    released.append(True)
    for route in held:
        route.continue_()
    # The live view takes its place once loaded: one set of KPIs, the plotly charts.
    expect(page.locator("#first-view")).to_be_empty()
    expect(page.locator("#kpi-scans")).to_have_count(1)
    expect(page.locator("#kpi-scans")).to_have_text("40")
    # One drawn mark per trace type the bundle registers: a trace type plotly does not
    # know draws an empty chart and only warns in the console.
    for drawn in (
        ".scatterlayer .trace",  # scans over time
        ".choroplethlayer .choroplethlocation",  # where
        ".pielayer .slice",  # devices, technology, sources
        ".heatmaplayer .hm",  # busiest times
    ):
        expect(page.locator(drawn).first).to_be_attached()
    context.close()


@pytest.mark.embedded_only
def test_the_designer_is_fetched_when_a_type_is_chosen(page: Page, product):
    """/codes/new shows the type grid without the editor's code (its own chunk,
    components/designer/lazy.py, named after that module); choosing a type fetches it."""
    sign_up(page, f"lazy-{product['mode']}@example.com", PASSWORD, "Lars")
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto("/codes/new")
    expect(page.locator("#type-dynamic")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not [u for u in scripts if "/assets/lazy-" in u], scripts
    loaded = len(scripts)
    page.click("#type-dynamic")
    expect(page.locator("#save")).to_be_visible()
    expect(page.locator("#destination")).to_be_editable()
    assert [u for u in scripts[loaded:] if "/assets/lazy-" in u], scripts[loaded:]
