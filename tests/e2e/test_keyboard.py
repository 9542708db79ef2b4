"""The main flows with the keyboard only: Tab, typing, Enter, Space; never a click."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.flows import sign_up

PASSWORD = "keyboard passphrase 2026"


def _tab_to(page: Page, element_id: str, most: int = 8) -> int:
    """Press Tab until the element has focus, as a person would; returns the presses."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return presses
    raise AssertionError(f"#{element_id} is not reached with {most} presses of Tab")


def test_log_in_by_keyboard(browser, page: Page, product):
    email = f"keys-{uuid.uuid4().hex[:8]}@example.com"
    other = browser.new_context(base_url=product["url"])
    sign_up(other.new_page(), email, PASSWORD, "Kim")
    other.close()

    page.goto("/login")
    expect(page.locator("#submit")).to_be_enabled()  # the page is live
    # The skip link comes first, then the form's fields in order.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    _tab_to(page, "email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/dashboard"))
    heading = page.locator("main h1")
    expect(heading).to_have_text("Dashboard")
    expect(heading).to_be_focused()
