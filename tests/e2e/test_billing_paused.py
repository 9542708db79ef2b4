"""A workspace whose paid plan expired, in chromium: a phone (JavaScript off) opening the
short link of a code beyond the Free allowance sees the owner's branded "temporarily
unavailable" page; the owner, signed in, sees which codes are paused and why (the
library's badge, the code page's callout, the dashboard's banner)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from qrapp.core.plans import PLANS, PlanId
from qrapp.db import read_session, transaction
from qrapp.models import Workspace
from qrapp.models.types import utcnow
from qrapp.services.accounts import accounts
from qrapp.services.billing import subscriptions
from qrapp.services.codes import qrcodes
from tests.e2e.flows import log_in as log_in_browser
from tests.integration.helpers import PASSWORD, actor, log_in

DAY = dt.timedelta(days=1)
FREE = PLANS[PlanId.FREE].dynamic_codes or 0


def _apply(ws_id, status: str, period_end: dt.datetime, now: dt.datetime) -> None:
    with transaction() as tx:
        subscriptions.apply_subscription(
            tx,
            ws_id,
            provider="stripe",
            plan_id="pro",
            interval="month",
            currency="SEK",
            status=status,
            current_period_end=period_end,
            now=now,
        )


@pytest.fixture
def expired():
    """An owner with Free + 1 dynamic codes whose Pro plan's grace ran out: the newest
    code is paused by billing. Set up through the services, as the beat job would."""
    email = f"lapsed-{uuid.uuid4().hex[:8]}@example.com"
    accounts.create_user_cli(email=email, password=PASSWORD, name="Lapsed Owner")
    owner = actor(log_in(email))
    t0 = utcnow()
    _apply(owner.workspace_id, "active", t0 + 30 * DAY, t0)
    codes = [
        qrcodes.create(
            actor=owner,
            data=qrcodes.CodeInput(name=f"Flyer {i}", destination=f"https://example.com/{i}"),
        )
        for i in range(FREE + 1)
    ]
    _apply(owner.workspace_id, "past_due", t0 - 20 * DAY, t0 - 20 * DAY)
    subscriptions.expire_due()
    with read_session() as s:
        brand = s.get(Workspace, owner.workspace_id).name
    return {"email": email, "codes": codes, "paused": codes[-1], "brand": brand}


@pytest.fixture
def phone(browser: Browser, product):
    context = browser.new_context(java_script_enabled=False, base_url=product["edge_url"])
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_a_phone_sees_the_owners_unavailable_page(phone: Page, expired):
    response = phone.goto(f"/{expired['paused'].short_code}")
    assert response is not None
    assert response.status == 503
    expect(phone.get_by_role("heading", name="Temporarily unavailable")).to_be_visible()
    expect(phone.locator(".brand")).to_have_text(expired["brand"])
    expect(phone.get_by_text("Please try again later")).to_be_visible()
    # The oldest codes keep redirecting (not followed: example.com is not reachable here).
    kept = phone.request.get(f"/{expired['codes'][0].short_code}", max_redirects=0)
    assert (kept.status, kept.headers["location"]) == (302, "https://example.com/0")


def test_the_owner_sees_which_codes_are_paused_and_why(page: Page, expired):
    log_in_browser(page, expired["email"], PASSWORD)
    expect(page.locator("#billing-banner")).to_contain_text(
        "1 code is paused because the paid plan ended on"
    )
    expect(
        page.locator("#billing-banner").get_by_role("link", name="Go to billing")
    ).to_be_visible()

    page.goto("/codes")
    row = page.get_by_role("row").filter(has_text="Flyer 10")
    expect(row.get_by_text("Paused: plan expired")).to_be_visible()
    # Only the code beyond the Free allowance: the oldest ten stay active.
    expect(page.get_by_role("row").filter(has_text="Paused: plan expired")).to_have_count(1)

    page.goto(f"/codes/{expired['paused'].id}")
    callout = page.locator("#billing-paused")
    expect(callout).to_contain_text("This code is paused because the paid plan ended on")
    expect(callout).to_contain_text("are still counted")
    expect(callout.get_by_role("link", name="Go to billing")).to_have_attribute("href", "/billing")
    # An oldest code, still active, has no callout.
    page.goto(f"/codes/{expired['codes'][0].id}")
    expect(page.get_by_role("heading", name="Flyer 0")).to_be_visible()
    expect(page.locator("#billing-paused")).to_have_count(0)
