"""Page A/B tests in chromium: the owner starts a test from the builder (the A/B test link,
the goal, labelled weights), visitors with JavaScript off each see one variant and keep
it, clicks on the goal are counted per variant, the owner reads the results table and
makes the winner the page."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from qrapp.core.pages.document import blank_document, new_block
from qrapp.services.accounts import accounts
from qrapp.services.pages import ab_results, editing, publishing
from tests.e2e.flows import log_in
from tests.integration.helpers import PASSWORD, actor
from tests.integration.helpers import log_in as api_log_in
from tests.support.other_site import other_site
from tests.support.plans import give_plan

pytestmark = pytest.mark.e2e

ORIGINAL = "Spring sale"
CHALLENGER = "Spring sale: 20% off today"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1"


def _doc(heading_text: str, shop: str) -> dict:
    doc = blank_document("Offer")
    heading = new_block("heading")
    heading["props"] |= {"text": heading_text, "level": 1}
    button = new_block("button")
    button["props"] |= {"label": "Buy now", "url": f"{shop}/buy"}
    doc["blocks"] = [heading, button]
    return doc


def _publish(owner, page_id, doc) -> None:
    page = editing.get_page(actor=owner, page_id=page_id)
    editing.save_draft(
        actor=owner, page_id=page_id, document=doc, base_revision=page.draft_revision
    )
    publishing.publish(actor=owner, page_id=page_id)


def _visitor(browser: Browser, edge_url: str, n: int):
    # Each visitor is its own browser (its own cookies) with its own user agent: on one
    # machine they share an IP, and the edge tells visitors apart by IP and user agent.
    context = browser.new_context(
        java_script_enabled=False, base_url=edge_url, user_agent=f"{PHONE} visitor/{n}"
    )
    context.set_default_timeout(20_000)
    return context


def _seen(page: Page) -> str:
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    return "B" if heading.inner_text() == CHALLENGER else "A"


def test_owner_starts_a_test_visitors_split_and_the_winner_becomes_the_page(
    page: Page, browser: Browser, product
):
    with other_site("Shop") as shop:
        email = f"ab-{uuid.uuid4().hex[:8]}@example.com"
        accounts.create_user_cli(email=email, password=PASSWORD, name="Ab")
        owner = actor(api_log_in(email))
        give_plan(owner.workspace_id, "pro")  # room for the variant's page
        landing = editing.create_page(actor=owner, name="Offer")
        _publish(owner, landing.id, _doc(ORIGINAL, shop))

        # The owner signs in and starts the test from the page's builder.
        builder_path = f"/landing-pages/{landing.id}"
        log_in(page, email, PASSWORD, next_path=builder_path)
        page.wait_for_url(re.compile(re.escape(builder_path) + "/?$"))
        page.get_by_role("link", name="A/B test").click()
        page.wait_for_url(re.compile(r"/ab-test/?$"))
        page.get_by_label("What counts as a conversion").select_option(
            label="Click on Button: Buy now"
        )
        page.get_by_label("Share of visitors for A (the page)").fill("50")
        page.get_by_label("Share of visitors for B (the copy)").fill("50")
        page.get_by_role("button", name="Start the test").click()
        expect(page.locator("#ab-status")).to_have_text("Running")
        expect(page.locator("#ab-results .ab-row")).to_have_count(2)
        expect(page.locator("#ab-verdict")).to_contain_text("Not enough data yet")

        # B gets its own headline (its page is a copy, edited and published like any).
        view = ab_results.results_of(actor=owner, page_id=landing.id)
        b_page = uuid.UUID(view.variants[1].page_id)
        b_doc = editing.get_page(actor=owner, page_id=b_page).draft
        # As a person edits B in the builder: the same blocks (the goal button keeps its
        # id, so its clicks count for B too), another headline.
        b_doc["blocks"][0]["props"]["text"] = CHALLENGER
        _publish(owner, b_page, b_doc)

        seen: dict[str, int] = {"A": 0, "B": 0}
        clicked: dict[str, int] = {"A": 0, "B": 0}
        for n in range(16):
            context = _visitor(browser, product["edge_url"], n)
            visitor = context.new_page()
            visitor.goto(f"/p/{landing.slug}")
            key = _seen(visitor)
            seen[key] += 1
            visitor.reload()
            assert _seen(visitor) == key  # the same visitor keeps their variant
            if n % 2 == 0:
                visitor.get_by_role("link", name="Buy now").click()
                visitor.wait_for_url(f"{shop}/buy")
                clicked[key] += 1
            context.close()
        assert seen["A"] > 0
        assert seen["B"] > 0

        # The owner sees every visitor and click counted per variant.
        rows = page.locator("#ab-results .ab-row")

        def counts() -> list[str]:  # visitors and conversions of A, then of B
            expect(rows).to_have_count(2)
            return [rows.nth(i).locator("td").nth(j).inner_text() for i in (0, 1) for j in (1, 2)]

        want = [str(seen["A"]), str(clicked["A"]), str(seen["B"]), str(clicked["B"])]
        deadline = time.monotonic() + 60
        while counts() != want and time.monotonic() < deadline:
            page.reload()
        assert counts() == want

        # Make B the page: every visitor now gets B's content, without a test.
        page.get_by_role("button", name="Make B the page").click()
        expect(page.locator("#ab-winner")).to_have_text("B was made the page.")
        expect(page.locator("#ab-status")).to_have_text("Stopped")
        context = _visitor(browser, product["edge_url"], 99)
        late = context.new_page()
        deadline = time.monotonic() + 20
        late.goto(f"/p/{landing.slug}")
        while _seen(late) != "B" and time.monotonic() < deadline:
            late.reload()
        assert _seen(late) == "B"
        context.close()
