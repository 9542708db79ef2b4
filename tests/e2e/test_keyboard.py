"""The main flows with the keyboard alone: Tab, Shift+Tab, Enter, Space, arrow keys and
typing. No click and no fill: where focus goes after each step is part of what is tested.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models import QRCode
from tests.e2e.flows import session_cookie, sign_up
from tests.integration.helpers import actor
from tests.support.scans import make_code

# Focus and keys are the browser's and the page's, the same in both set-ups (CONTRIBUTING.md).
pytestmark = pytest.mark.embedded_only

PASSWORD = "keyboard passphrase 2026"
# Enough presses to cross the sidebar and a whole designer form, few enough to fail fast
# when a control is not reachable at all.
MAX_PRESSES = 120


def _press_until_focused(page: Page, target: Locator, key: str = "Tab", most: int = 12) -> None:
    """Press Tab (or Shift+Tab) until the target has focus, as a person would."""
    for _ in range(most):
        page.keyboard.press(key)
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reached with {most} presses of {key}")


def _focused_matches(page: Page, selector: str) -> bool:
    return page.evaluate(
        "sel => !!document.activeElement && document.activeElement.matches(sel)", selector
    )


def tab_to(page: Page, selector: str, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    for _ in range(MAX_PRESSES):
        page.keyboard.press(key)
        if _focused_matches(page, selector):
            return
    described = page.evaluate(
        "() => { const e = document.activeElement; return e ? e.outerHTML.slice(0, 200) : '' }"
    )
    raise AssertionError(f"{key} never reached {selector}; focus is on {described}")


def _signed_up(page: Page, who: str) -> str:
    sign_up(page, f"{who}-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, who.title())
    return session_cookie(page)["value"]


def test_a_code_is_created_from_the_type_grid_to_save_by_keyboard(page: Page, product):
    _signed_up(page, "kira")
    page.goto("/codes")
    expect(page.locator("#new-code")).to_be_visible()
    # "New QR code" is one tab stop (a link that looks like a button), not two.
    tab_to(page, "a:has(#new-code)")
    page.keyboard.press("Tab")
    assert not _focused_matches(page, "#new-code")
    tab_to(page, "a:has(#new-code)", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/codes/new/?$"))
    expect(page.locator("#type-grid-title")).to_be_visible()

    # The type cards are buttons: Tab reaches them and Enter chooses one.
    tab_to(page, "#type-dynamic")
    expect(page.locator("#type-dynamic")).to_have_accessible_name(re.compile("^Dynamic URL"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/codes/new/?\?type=dynamic"))
    # Focus goes to the form's heading, not back to the top of the page.
    expect(page.locator("#designer-title")).to_be_focused()
    expect(page.locator("#designer-title")).to_have_text("New code: Dynamic URL")

    tab_to(page, "#destination")
    page.keyboard.type("https://example.com/keyboard")

    # A preset is a toggle button: Space presses it, aria-pressed says which is on.
    tab_to(page, "#preset-ocean")
    expect(page.locator("#preset-ocean")).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("Space")
    expect(page.locator("#preset-ocean")).to_have_attribute("aria-pressed", "true")

    # The design tabs: arrow keys move between them; the shapes are radios, so the
    # arrow keys change the chosen shape.
    tab_to(page, "[role=tab][aria-selected=true]")
    page.keyboard.press("ArrowRight")
    shapes_tab = page.get_by_role("tab", name="Shapes")
    expect(shapes_tab).to_be_focused()
    expect(shapes_tab).to_have_attribute("aria-selected", "true")
    tab_to(page, "input[name=modules]")
    before = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("ArrowRight")
    after = page.evaluate("() => document.activeElement.value")
    assert after != before
    expect(page.locator(f"input[name=modules][value='{after}']")).to_be_checked()
    expect(page.get_by_role("radiogroup", name="Module shape")).to_be_visible()

    tab_to(page, "#code-name")
    page.keyboard.type("Keyboard poster")
    tab_to(page, "#tags")
    page.keyboard.type("print")
    # Save is disabled (and so not a tab stop) until the preview says the code scans.
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
    expect(page.locator("#save")).to_be_enabled()
    tab_to(page, "#save")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    # The result of Save takes the focus: the new code's heading.
    heading = page.locator("h2#code-name")
    expect(heading).to_have_text("Keyboard poster")
    expect(heading).to_be_focused()
    with read_session() as s:
        code = s.exec(select(QRCode).where(QRCode.name == "Keyboard poster")).one()
    assert code.destination == "https://example.com/keyboard"
    assert code.design["modules"] == after
    assert code.tags == ["print"]


def test_a_destination_is_changed_by_keyboard(page: Page, product):
    token = _signed_up(page, "kemal")
    code_id = make_code(actor(token).workspace_id, "Shop window")
    page.goto(f"/codes/{code_id}")
    expect(page.locator("h2#code-name")).to_have_text("Shop window")

    tab_to(page, "#new-destination")
    expect(page.locator("#new-destination")).to_have_accessible_name("Destination")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("not a url")
    tab_to(page, "#save-destination")
    page.keyboard.press("Enter")
    expect(page.locator("#destination-error")).to_be_visible()
    with read_session() as s:
        assert s.get(QRCode, code_id).destination == "https://example.com/"

    # Back to the field: Shift+Tab, fix it, save again; focus lands on the confirmation.
    tab_to(page, "#new-destination", key="Shift+Tab")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("https://example.com/window")
    tab_to(page, "#save-destination")
    page.keyboard.press("Enter")
    notice = page.locator("#destination-saved")
    expect(notice).to_have_text(re.compile("The next scan goes there"))
    expect(notice).to_be_focused()
    expect(page.locator("#destination-error")).to_have_count(0)
    with read_session() as s:
        assert s.get(QRCode, code_id).destination == "https://example.com/window"


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
