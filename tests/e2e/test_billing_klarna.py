"""Paying with Klarna in chromium: the owner chooses Klarna on /billing, pays on Klarna's
Hosted Payment Page (the simulator's, started by tests/e2e/conftest.py and reached by the
product), and comes back to /billing on the paid plan. Our page loads no Klarna script."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from qrapp.db import read_session
from qrapp.models.billing_providers import KlarnaToken
from qrapp.services.authz import actor_for_token
from tests.e2e.flows import session_cookie, sign_up

pytestmark = pytest.mark.embedded_only  # the same page and route in both set-ups


def test_owner_pays_with_klarna_on_its_hosted_page(page: Page, product, klarna_for_product):
    sim = klarna_for_product
    sign_up(page, f"klarna-{uuid.uuid4().hex[:8]}@example.com", "klarna passphrase 2026", "Kim")
    me = actor_for_token(session_cookie(page)["value"])
    page.goto("/billing")
    expect(page.locator("#billing-plan")).to_have_text("Free")

    page.click("#choose-pro")
    page.get_by_role("radio", name="Klarna").click()
    expect(page.locator("#billing-chooser")).to_contain_text("Klarna's own page")
    expect(page.locator("#pay")).to_contain_text("149 kr a month")
    page.click("#pay")

    # Klarna's hosted page (the simulator's), in this tab.
    page.wait_for_url(re.compile(re.escape(sim.url) + r"/hpp/"))
    expect(page.get_by_text("149.00 SEK")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()

    # Back through our return route to /billing, on the paid plan.
    page.wait_for_url(re.compile(r"/billing\?klarna=paid"))
    expect(page.locator("#billing-klarna-notice")).to_contain_text("Klarna confirmed")
    expect(page.locator("#billing-plan")).to_have_text("Pro")
    expect(page.locator("#billing-error")).to_have_count(0)
    with read_session() as s:
        token = s.get(KlarnaToken, me.workspace_id)
    assert token is not None
    [order] = sim.accepted_orders(token.token_id)
    assert (order["order_amount"], order["purchase_currency"]) == (14900, "SEK")
