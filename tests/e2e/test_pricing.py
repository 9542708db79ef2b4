"""The public /pricing page in chromium, and the plan's limit met in the designer."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from qrapp.services.codes import qrcodes
from tests.e2e.flows import session_cookie, sign_up
from tests.e2e.test_accessibility import _audit_here, _axe_source
from tests.integration.helpers import actor

PASSWORD = "pricing passphrase 2026"
ROWS = [
    "Price",
    "Dynamic codes",
    "Static codes",
    "Landing pages",
    "Media storage",
    "Team seats",
    "Rows per bulk job",
    "API requests per minute",
    "Analytics retention",
    "Custom domains",
    "White label",
    "Single sign-on (SSO)",
]


def _choose(radio) -> None:
    """Click a toggle until it shows as chosen, as a person clicks again when nothing
    happened: a click that lands before the prerendered page is hydrated does nothing
    (a full CI run lost one that way)."""
    for _ in range(5):
        radio.click()
        try:
            expect(radio).to_be_checked(timeout=2_000)
            return
        except AssertionError:
            continue
    expect(radio).to_be_checked()


def test_pricing_toggles_change_the_prices_and_the_table_compares_every_limit(browser, product):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        base_url=product["url"],
        bypass_csp=True,  # axe is an inline script
        reduced_motion="reduce",
    )
    page = context.new_page()
    page.goto("/")
    page.click("#nav-pricing")
    page.wait_for_url(re.compile(r"/pricing/?$"))
    pro = page.locator("#price-pro")
    expect(pro).to_have_text(re.compile(r"149\s*kr\s*/ month"))
    # The toggles are radio groups: a name, radios with names, one checked.
    interval = page.get_by_role("radiogroup", name="Billing")
    expect(interval.get_by_role("radio", name="Monthly")).to_be_checked()
    _choose(interval.get_by_role("radio", name=re.compile("Yearly")))
    expect(pro).to_have_text(re.compile(r"1\s*490\s*kr\s*/ year"))
    page.get_by_role("radiogroup", name="Currency").get_by_role("radio", name="EUR").click()
    expect(pro).to_have_text(re.compile(r"€140\s*/ year"))
    # A paid plan leads to billing with the choice, through the log-in when signed out.
    expect(page.locator("#choose-pro")).to_have_attribute(
        "href", "/login?next=%2Fbilling%3Fplan%3Dpro%26interval%3Dyear%26currency%3DEUR"
    )
    expect(page.locator("#choose-free")).to_have_attribute("href", "/signup")

    table = page.locator("#plan-comparison")
    expect(table.locator("thead th[scope=col]")).to_have_text(
        ["Feature", "Free", "Pro", "Business", "Enterprise"]
    )
    expect(table.locator("tbody th[scope=row]")).to_have_text(ROWS)
    free_codes = table.locator("tbody tr", has=page.locator("th", has_text="Dynamic codes"))
    expect(free_codes.locator("td")).to_have_text(["10", "500", "Unlimited", "Unlimited"])
    expect(table.locator("tbody tr").first.locator("td").nth(1)).to_have_text(
        re.compile(r"€140\s*/ year")
    )
    problems = _audit_here(page, _axe_source(), "/pricing", "light")
    # A phone: the cards stack and the table scrolls inside its own box, not the page.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#plan-free")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    context.close()
    assert problems == []
    assert overflow is False


def test_a_free_user_at_ten_dynamic_codes_is_told_in_the_designer(page: Page, product):
    email = f"limit-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, email, PASSWORD, "Lim")
    owner = actor(session_cookie(page)["value"])
    for i in range(9):
        qrcodes.create(
            actor=owner,
            data=qrcodes.CodeInput(name=f"Made {i}", destination=f"https://example.com/{i}"),
        )

    def new_dynamic(name: str) -> None:
        page.goto("/codes/new")
        page.click("#type-dynamic")
        page.fill("#destination", "https://example.com/tenth")
        page.fill("#code-name", name)
        expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
        page.click("#save")

    new_dynamic("The tenth")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    new_dynamic("The eleventh")
    notice = page.locator("#save-plan-limit")
    expect(notice).to_contain_text(
        "Your Free plan includes 10 dynamic codes. Upgrade your plan to add more."
    )
    link = page.locator("#save-plan-limit-plans")
    expect(link).to_have_attribute("href", "/billing")
    expect(link).to_have_text("See plans")
    assert re.search(r"/codes/new/?(\?.*)?$", page.url)  # still in the designer
