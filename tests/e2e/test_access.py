"""Settings -> Security and the audit log in the browser: one person signed in from two
browsers signs the other one out (its idle tab goes to the login page within seconds), and an
admin filters the audit log by action and downloads it as CSV. axe on both pages."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from qrapp.services import api_keys
from qrapp.services.authz import actor_for_token
from tests.e2e.flows import log_in, session_cookie, sign_up
from tests.e2e.test_accessibility import _audit_here, _axe_source

pytestmark = pytest.mark.embedded_only

PASSWORD = "access lane passphrase 2026"


@pytest.fixture
def page(browser, product):
    """This file's pages are checked with axe, an inline script: without the CSP."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        base_url=product["url"],
        bypass_csp=True,
        reduced_motion="reduce",
    )
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_sign_out_another_browser_from_settings_security(page: Page, browser, product):
    email = f"two-browsers-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, email, PASSWORD, "Tove")

    other_ctx = browser.new_context(base_url=product["url"])
    other = other_ctx.new_page()
    log_in(other, email, PASSWORD)
    other.wait_for_url(re.compile(r"/dashboard"))
    other_token = session_cookie(other)["value"]

    page.goto("/settings")
    page.click("#security-link")
    page.wait_for_url(re.compile(r"/settings/security"))
    sessions = page.locator("#sessions li")
    expect(sessions).to_have_count(2)
    expect(page.locator(".current-session")).to_contain_text("This device")
    axe = _axe_source()
    assert _audit_here(page, axe, "/settings/security", "light") == []

    # Sign out the other browser (the row that is not this device).
    page.locator("li.session:not(.current-session) .session-sign-out").click()
    expect(page.get_by_text("Signed out that session.")).to_be_visible()
    expect(sessions).to_have_count(1)
    with pytest.raises(Exception, match="session has ended"):
        actor_for_token(other_token)

    # The other browser's tab, left idle on its dashboard (no click, no event), is sent
    # to the login page within seconds (the shell's session watch).
    other.wait_for_url(re.compile(r"/login"), timeout=10_000)
    expect(other.locator("#email")).to_be_visible()
    other.goto("/dashboard")
    other.wait_for_url(re.compile(r"/login"))
    other_ctx.close()
    # This browser is still signed in.
    page.reload()
    expect(page.locator(".current-session")).to_have_count(1)


def test_an_admin_filters_the_audit_log_and_downloads_it(page: Page, product):
    sign_up(page, f"auditor-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Ada")
    owner = actor_for_token(session_cookie(page)["value"])
    api_keys.create_key(actor=owner, name="Shop", scopes=["codes:read"], ip="203.0.113.1")
    api_keys.create_key(actor=owner, name="CRM", scopes=["codes:read"], ip="203.0.113.1")

    page.goto("/settings")
    page.click("#audit-link")
    page.wait_for_url(re.compile(r"/settings/audit"))
    rows = page.locator("#audit-table .audit-row")
    expect(rows.first).to_be_visible()
    expect(page.locator("#audit-table")).to_contain_text("Signed in")
    expect(page.locator("#audit-table")).to_contain_text("Created an API key")

    page.get_by_label("Action").select_option(label="Created an API key")
    page.click("#audit-apply")
    expect(rows).to_have_count(2)
    for i in range(2):
        expect(rows.nth(i)).to_contain_text("Created an API key")
    expect(page.locator("#audit-table")).to_contain_text("API key “Shop”")
    axe = _axe_source()
    assert _audit_here(page, axe, "/settings/audit", "light") == []

    with page.expect_download() as info:
        page.click("#audit-csv")
    download = info.value
    assert re.fullmatch(r"audit-log-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    table = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert table[0][:4] == ["When (UTC)", "Who", "Action", "Action code"]
    assert len(table) == 3
    assert {r[3] for r in table[1:]} == {"api_key.created"}
    assert {r[4] for r in table[1:]} == {"API key “Shop”", "API key “CRM”"}

    # A filter that matches nothing shows the empty state.
    page.get_by_label("From (UTC)").fill("2000-01-01")
    page.get_by_label("To (UTC)").fill("2000-01-02")
    page.click("#audit-apply")
    expect(page.get_by_text("Nothing in the audit log matches")).to_be_visible()
