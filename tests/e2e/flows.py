"""What a person does in the browser, step by step."""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote

from playwright.sync_api import Page, expect

from qrapp.core import routes
from qrapp.services.accounts import accounts
from qrapp.settings import get_settings
from tests.integration.helpers import sign_up_and_session
from tests.support.mailsink import link_in, mark, wait_for_new


def sign_up(page: Page, email: str, password: str, name: str) -> None:
    """A new account, signed in in this browser, on the dashboard: for the many tests whose
    subject comes after the sign-up. The account is made the operator's way (`qrapp user
    create`: the same create_account as a confirmed sign-up), the password goes through the
    login service with this browser's binding cookie, and the browser opens the real
    hand-off link that sets its session cookie. That skips the sign-up form, the mail
    round trip through the worker and two page loads (about 3 s of 5 on a busy two-core
    machine), about 80 times a run. The sign-up itself goes through the form where it is
    the subject: test_account_flow.py, test_team.py (the invited colleague) and
    test_security.py's CSP sweep."""
    accounts.create_user_cli(email=email, password=password, name=name)
    # Any page gives the browser its binding cookie; the HTML alone is enough.
    page.request.get(routes.LOGIN)
    cookie = get_settings().login_binding_cookie_name
    binding = next(c["value"] for c in page.context.cookies() if c["name"] == cookie)
    handoff = accounts.log_in(email=email, password=password, binding=binding)
    page.goto(routes.auth_session(handoff, quote(routes.DASHBOARD_WELCOME, safe="/")))
    page.wait_for_url(re.compile(r"/dashboard"))
    expect(page.locator("#greeting")).to_contain_text(name)


def sign_up_in_the_form(page: Page, email: str, password: str, name: str) -> None:
    """Sign up in the form, open the confirmation link from the mail in the same browser,
    and land signed in on the dashboard."""
    page.goto("/signup")
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#password_again", password)
    since = mark()
    page.click("#submit")
    expect(page.locator("#signup-pending")).to_contain_text(email)
    page.goto(link_in(wait_for_new(email, "Confirm your e-mail", since), "/verify-email"))
    page.wait_for_url(re.compile(r"/dashboard"))
    expect(page.locator("#greeting")).to_contain_text(name)


def log_in(page: Page, email: str, password: str, next_path: str | None = None) -> None:
    page.goto("/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#submit")


def log_out(page: Page) -> None:
    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url(re.compile(r"/login/?\?bye=1"))
    expect(page.locator("#notice")).to_contain_text("logged out")


def session_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "qrapp_session"), None)


def signed_up_sessions(browser, base_url: str, names: tuple[str, ...], password: str):
    """Several new accounts, each with a session of its own (what its browser's cookie
    would hold); returns (tag, {name: token}). Their e-mails are f"{name}-{tag}@example.com".
    Made the operator's way, with the hand-off a confirmation link gives (see sign_up):
    the tests that use them call handlers or open pages with the token, the sign-up is
    not their subject. (`browser` and `base_url` are kept for the callers.)"""
    tag = uuid.uuid4().hex[:8]
    tokens = {}
    for who in names:
        tokens[who] = sign_up_and_session(f"{who}-{tag}@example.com", who.title(), password)
    return tag, tokens
