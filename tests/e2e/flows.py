"""What a person does in the browser, step by step."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.mailsink import link_in, mark, wait_for_new


def sign_up(page: Page, email: str, password: str, name: str) -> None:
    """Sign up, open the confirmation link from the mail in the same browser, and land
    signed in on the dashboard."""
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
    """Sign several people up, each in their own browser; returns (tag, {name: token}).
    Their e-mails are f"{name}-{tag}@example.com"."""
    import uuid

    tag = uuid.uuid4().hex[:8]
    tokens = {}
    for who in names:
        ctx = browser.new_context(base_url=base_url)
        page = ctx.new_page()
        sign_up(page, f"{who}-{tag}@example.com", password, who.title())
        tokens[who] = session_cookie(page)["value"]
        ctx.close()
    return tag, tokens
