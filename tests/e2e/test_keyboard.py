"""The main flows with the keyboard only: Tab, typing, Enter, Space; never a click."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Locator, Page, expect

from tests.e2e.flows import sign_up

PASSWORD = "keyboard passphrase 2026"


def _press_until_focused(page: Page, target: Locator, key: str = "Tab", most: int = 12) -> None:
    """Press Tab (or Shift+Tab) until the target has focus, as a person would."""
    for _ in range(most):
        page.keyboard.press(key)
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reached with {most} presses of {key}")


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
    _press_until_focused(page, page.locator("#email"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/dashboard"))
    heading = page.locator("main h1")
    expect(heading).to_have_text("Dashboard")
    expect(heading).to_be_focused()

    # In-app navigation puts focus on the new page's heading, not on <body>.
    analytics = page.get_by_role("navigation", name="Main").get_by_role("link", name="Analytics")
    _press_until_focused(page, analytics, "Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/analytics"))
    expect(page.locator("main h1")).to_have_text("Analytics")
    expect(page.locator("main h1")).to_be_focused()
