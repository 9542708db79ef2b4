"""The rule builder and "Simulate a scan" on a code's page, in a real browser: values come
from the chosen field's own list, the form starts over after a rule is added, summaries
are in people's words, an A/B split needs no condition, and the simulator names the step
of the edge's decision that decided (a paused code: "Paused")."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from qrapp.services.authz import actor_for_token
from qrapp.services.codes import qrcodes
from tests.e2e.flows import session_cookie, sign_up

# The rule builder's form, the same in both set-ups (CONTRIBUTING.md); the edge applying
# rules is tested in both by test_designer.py and the integration tier.
pytestmark = pytest.mark.embedded_only

PASSWORD = "rules passphrase 1"


def _code_page(page: Page) -> str:
    """Sign a new person up and open the page of a dynamic code of theirs."""
    sign_up(page, f"rita-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Rita")
    actor = actor_for_token(session_cookie(page)["value"])
    code = qrcodes.create(
        actor=actor,
        data=qrcodes.CodeInput(name="Poster", destination="https://example.com/everyone"),
    )
    page.goto(f"/codes/{code.id}")
    expect(page.locator("#add-rule")).to_be_visible()
    return str(code.id)


def _open_menu(page: Page, row: int = 0) -> Locator:
    page.locator(".rule-values").nth(row).click()
    menu = page.locator(".rule-menu")
    expect(menu).to_be_visible()
    return menu


def _inside_viewport(page: Page, locator: Locator) -> None:
    viewport = page.viewport_size
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0, box
    assert box["y"] >= 0, box
    assert box["x"] + box["width"] <= viewport["width"], (box, viewport)
    assert box["y"] + box["height"] <= viewport["height"], (box, viewport)


def test_rule_builder_values_reset_summaries_split_and_simulated_pause(page: Page, product):
    _code_page(page)
    field = page.locator(".rule-field").first

    # Device: the menu offers the device types.
    menu = _open_menu(page)
    menu.get_by_role("checkbox", name="Mobile", exact=True).click()
    expect(page.locator(".rule-values").first).to_contain_text("Mobile")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()

    # Changing the field empties the value and the list becomes the new field's.
    field.select_option("os")
    expect(page.locator(".rule-values").first).to_have_text("Choose…")
    menu = _open_menu(page)
    expect(menu.get_by_role("checkbox", name="iOS", exact=True)).to_be_visible()
    expect(menu.get_by_role("checkbox", name="Mobile", exact=True)).to_have_count(0)
    _inside_viewport(page, menu)
    menu.get_by_role("textbox", name="Search values").fill("andr")
    expect(menu.get_by_role("checkbox")).to_have_count(1)
    expect(menu.get_by_role("checkbox", name="Android")).to_be_visible()
    menu.get_by_role("textbox", name="Search values").fill("")
    menu.get_by_role("checkbox", name="iOS", exact=True).click()
    expect(menu.get_by_role("checkbox", name="iOS", exact=True)).to_be_checked()
    page.keyboard.press("Escape")

    # The country list is long (about 250): its menu still fits in the window, near the
    # bottom of the page too, and scrolls inside.
    page.click("#add-condition")
    page.locator(".rule-field").nth(1).select_option("country")
    page.locator(".rule-values").nth(1).scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    menu = _open_menu(page, 1)
    expect(menu.get_by_role("checkbox", name="Sweden", exact=True)).to_be_attached()
    _inside_viewport(page, menu)
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Remove condition").nth(1).click()
    expect(page.locator(".rule-condition")).to_have_count(1)

    page.get_by_placeholder("Name (optional), e.g. iPhones in Sweden").fill("iPhone users")
    page.fill("#rule-destination", "https://m.example.com/")
    page.click("#add-rule")
    rows = page.locator(".rule-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Operating system is one of iOS")
    expect(rows.first).to_contain_text("iPhone users")

    # The form starts over.
    expect(page.locator(".rule-condition")).to_have_count(1)
    expect(field).to_have_value("device")
    expect(page.locator(".rule-values").first).to_have_text("Choose…")
    expect(page.locator("#rule-destination")).to_have_value("")
    expect(page.get_by_placeholder("Name (optional), e.g. iPhones in Sweden")).to_have_value("")

    # A pure A/B split: no condition at all.
    page.get_by_role("button", name="Remove condition").click()
    expect(page.locator(".rule-condition")).to_have_count(0)
    page.click("#ab-split")
    expect(page.locator("#no-conditions")).to_contain_text("every scan is shared out")
    page.locator(".variant-destination input").nth(0).fill("https://a.example.com/")
    page.locator(".variant-destination input").nth(1).fill("https://b.example.com/")
    page.click("#add-rule")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Every scan (A/B split)")
    expect(page.locator("#ab-split")).not_to_be_checked()

    # The simulator: an iPhone gets rule 1, named; another phone gets the split.
    page.select_option("#sim-os", "ios")
    page.click("#simulate")
    expect(page.locator("#sim-why")).to_have_text(
        "Rule 1 'iPhone users' matched → https://m.example.com/"
    )
    page.select_option("#sim-os", "android")
    page.click("#simulate")
    expect(page.locator("#sim-why")).to_contain_text(re.compile(r"Rule 2 matched, A/B variant"))
    expect(page.locator("#sim-step")).to_have_text("Rule")

    # Paused: validity decides before any rule, as at the edge.
    page.click("#pause")
    expect(page.locator("#activate")).to_be_visible()
    page.click("#simulate")
    expect(page.locator("#sim-why")).to_have_text("Paused: the visitor sees the paused page")
    expect(page.locator("#sim-step")).to_have_text("Validity")
    expect(page.locator("#sim-result")).to_have_count(0)
