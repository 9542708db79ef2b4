"""Two-factor login in a real browser: set up an authenticator app in Settings ->
Security (the secret read from the page, codes computed with pyotp), log out, log in with
a code and trust the device; a recovery code works once only; a passkey registered with
chromium's virtual authenticator logs in without a password, and is the second step after
a password. axe checks the page.

Embedded only: nothing here differs with PostgreSQL and Redis (the services' tests run on
both). Chromium refuses WebAuthn on an IP address, so the product's APP_URL is
http://localhost:<port> (tests/e2e/conftest.py)."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from qrapp.core import otp, routes
from qrapp.db import transaction
from qrapp.models import Membership, User, Workspace
from qrapp.services.accounts import accounts, second_factor
from tests.e2e.flows import log_in, log_out, sign_up
from tests.e2e.test_accessibility import _audit_here, _axe_source, _use_colour_mode

pytestmark = pytest.mark.embedded_only

PASSWORD = "two factor passphrase 2026"


def _email(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:8]}@example.com"


def _next_code(secret: str) -> str:
    """A code the server has not seen: the next step's (inside the window of one step),
    since setting up used the current step's code."""
    return otp.code_at_step(secret, otp.step_at(time.time()) + 1)


def _page(browser, product) -> Page:
    # bypass_csp: axe is injected as a script (as in test_accessibility).
    ctx = browser.new_context(
        base_url=product["url"], bypass_csp=True, reduced_motion="reduce", accept_downloads=True
    )
    ctx.set_default_timeout(20_000)
    return ctx.new_page()


def _open_security(page: Page) -> None:
    page.goto(routes.SETTINGS)
    page.get_by_role("link", name="Security settings").click()
    page.wait_for_url(re.compile(r"/settings/security"))
    expect(page.get_by_role("heading", name="Two-factor login")).to_be_visible()


def test_enrol_an_app_then_log_in_with_a_code_and_trust_the_device(browser, product):
    page = _page(browser, product)
    email = _email("totp")
    sign_up(page, email, PASSWORD, "Tove")
    _use_colour_mode(page, "light")
    _open_security(page)
    assert _audit_here(page, _axe_source(), routes.SETTINGS_SECURITY, "light") == []

    page.click("#totp-start")
    expect(page.locator("#totp-qr")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#totp-code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.click("#totp-confirm")
    expect(page.locator("#security-error")).to_contain_text("not right")
    page.fill("#totp-code", pyotp.TOTP(secret).now())
    page.click("#totp-confirm")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    expect(page.locator("#totp-status")).to_contain_text("Recovery codes left: 10")
    shown = page.locator("#recovery-codes li").all_inner_texts()
    with page.expect_download() as info:
        page.click("#download-codes")
    saved = Path(info.value.path()).read_text(encoding="utf-8")
    assert all(code.strip() in saved for code in shown)
    assert _audit_here(page, _axe_source(), routes.SETTINGS_SECURITY + " (codes)", "light") == []

    log_out(page)
    log_in(page, email, PASSWORD)
    expect(page.locator("#second-step")).to_be_visible()
    page.fill("#code", _next_code(secret))
    page.check("#trust")
    page.click("#verify-code")
    page.wait_for_url(re.compile(r"/dashboard"))
    assert any(c["name"] == second_factor.TRUSTED_DEVICE_COOKIE for c in page.context.cookies())

    # A trusted browser skips the code next time.
    log_out(page)
    log_in(page, email, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard"))
    page.context.close()


def test_a_recovery_code_works_once_only(page: Page, product):
    email = _email("recovery")
    accounts.create_user_cli(email=email, password=PASSWORD, name="Rut")
    with transaction() as tx:
        user = tx.session.exec(select(User).where(User.email == email)).one()
        enrolment = second_factor.start_enrolment(tx.session, user)
        codes = second_factor.confirm_enrolment(
            tx.session, user=user, code=pyotp.TOTP(enrolment.secret).now(), ip=""
        )
    assert codes
    log_in(page, email, PASSWORD)
    expect(page.locator("#second-step")).to_be_visible()
    page.fill("#code", codes[0])
    page.click("#verify-code")
    page.wait_for_url(re.compile(r"/dashboard"))

    # New recovery codes need a current code from the app: a wrong one changes nothing.
    _open_security(page)
    expect(page.locator("#totp-status")).to_contain_text("Recovery codes left: 9")
    page.fill("#regen-code", "000000" if _next_code(enrolment.secret) != "000000" else "111111")
    page.click("#regenerate-codes")
    expect(page.locator("#security-error")).to_contain_text("No new codes were made")
    expect(page.locator("#totp-status")).to_contain_text("Recovery codes left: 9")
    page.fill("#regen-code", _next_code(enrolment.secret))
    page.click("#regenerate-codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    expect(page.locator("#totp-status")).to_contain_text("Recovery codes left: 10")

    log_out(page)
    log_in(page, email, PASSWORD)
    expect(page.locator("#second-step")).to_be_visible()
    page.fill("#code", codes[0])
    page.click("#verify-code")
    expect(page.locator("#second-step-error")).to_contain_text("not right")
    expect(page).to_have_url(re.compile(r"/login"))


def _virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_register_a_passkey_and_log_in_with_it_alone(browser, product):
    page = _page(browser, product)
    _virtual_authenticator(page)
    email = _email("passkey")
    sign_up(page, email, PASSWORD, "Pia")
    _open_security(page)
    expect(page.locator("#no-passkeys")).to_be_visible()
    page.fill("#passkey-name", "Test laptop")
    page.click("#passkey-add")
    expect(page.locator("#passkey-list")).to_contain_text("Test laptop")
    expect(page.locator("#security-notice")).to_contain_text("added")

    log_out(page)
    page.click("#passkey-login")
    page.wait_for_url(re.compile(r"/dashboard"))
    expect(page.locator("#greeting")).to_contain_text("Pia")

    # The passkey is also the second step after the password.
    log_out(page)
    log_in(page, email, PASSWORD)
    expect(page.locator("#second-step")).to_be_visible()
    assert "/dashboard" not in page.url
    page.get_by_role("button", name="Use a passkey instead").click()
    page.wait_for_url(re.compile(r"/dashboard"))
    expect(page.locator("#greeting")).to_contain_text("Pia")
    page.context.close()


def test_the_required_two_factor_walk_through_takes_a_passkey(browser, product):
    """A workspace requires two-factor login: at the next login its member may set up a
    passkey instead of an authenticator app, and goes on to the dashboard."""
    page = _page(browser, product)
    _virtual_authenticator(page)
    email = _email("walk")
    accounts.create_user_cli(email=email, password=PASSWORD, name="Vera")
    with transaction() as tx:
        user = tx.session.exec(select(User).where(User.email == email)).one()
        workspace = tx.session.exec(
            select(Workspace)
            .join(Membership, Membership.workspace_id == Workspace.id)  # type: ignore[arg-type]
            .where(Membership.user_id == user.id)
        ).one()
        workspace.require_two_factor = True
        tx.session.add(workspace)
    log_in(page, email, PASSWORD)
    expect(page.locator("#enrol-step")).to_be_visible()
    expect(page.get_by_role("heading", name="Or use a passkey")).to_be_visible()
    page.click("#enrol-passkey")
    expect(page.locator("#enrol-passkey-error")).to_contain_text("Give the passkey a name")
    page.get_by_label("Passkey name").fill("Phone")
    page.click("#enrol-passkey")
    page.wait_for_url(re.compile(r"/dashboard"))
    _open_security(page)
    expect(page.locator("#passkey-list")).to_contain_text("Phone")
    page.context.close()
