"""A downgrade in chromium: a Business workspace with 26 landing pages moves to Pro, which
includes 25. The newest page becomes read-only: its builder says why with a link to the
plans, and publishing it again is refused with that message. It keeps answering: a phone
(JavaScript off) scanning the code that points at it still gets the page."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from qrapp.core.plans import PLANS, PlanId
from qrapp.db import read_session
from qrapp.models import LandingPageVersion
from qrapp.services.accounts import accounts
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.codes import code_pages, qrcodes
from qrapp.services.pages import editing, publishing
from tests.e2e.flows import log_in as log_in_browser
from tests.integration.helpers import PASSWORD, actor, log_in
from tests.support.plans import give_plan

# The limits are service code over SQL, tested on both databases in
# tests/integration/billing; the production set-up adds nothing here.
pytestmark = pytest.mark.embedded_only

PRO_PAGES = PLANS[PlanId.PRO].landing_pages or 0


def test_a_downgrade_leaves_the_newest_page_read_only_and_still_answering(
    page: Page, browser: Browser, product
):
    email = f"downgrade-{uuid.uuid4().hex[:8]}@example.com"
    accounts.create_user_cli(email=email, password=PASSWORD, name="Down Grader")
    owner = actor(log_in(email))
    give_plan(owner.workspace_id, "business")
    pages = [editing.create_page(actor=owner, name=f"Menu {i}") for i in range(PRO_PAGES + 1)]
    newest = pages[-1]
    publishing.publish(actor=owner, page_id=newest.id)
    code = qrcodes.create(
        actor=owner, data=qrcodes.CodeInput(name="Table card", destination="https://e.test/")
    )
    code_pages.set_destination_page(actor=owner, code_id=code.id, page_id=newest.id)

    give_plan(owner.workspace_id, "pro")  # the downgrade (an operator's, as set-plan does)

    log_in_browser(page, email, PASSWORD)
    page.get_by_role("link", name="Landing pages").first.click()
    page.get_by_role("link", name=newest.name, exact=True).click()
    limit = page.locator("#builder-plan-limit")
    expect(limit).to_contain_text("read-only")
    expect(limit).to_contain_text("Pro plan includes 25 landing pages")
    expect(page.locator("#builder-plan-limit-plans")).to_have_attribute("href", "/billing")
    # An older page, within the allowance, is editable as before.
    page.get_by_role("link", name="Landing pages").first.click()
    page.get_by_role("link", name=pages[0].name, exact=True).click()
    expect(page.locator("#builder-plan-limit")).to_have_count(0)

    # Publishing the read-only page again is refused by the service, nothing published.
    with pytest.raises(PlanLimitReached, match="read-only"):
        publishing.publish(actor=owner, page_id=newest.id)
    with read_session() as s:
        versions = s.exec(
            select(LandingPageVersion).where(LandingPageVersion.page_id == newest.id)
        ).all()
    assert len(versions) == 1

    phone_ctx = browser.new_context(java_script_enabled=False, base_url=product["edge_url"])
    phone = phone_ctx.new_page()
    response = phone.goto(f"/{code.short_code}")
    assert response is not None
    assert response.status == 200
    expect(phone.get_by_role("heading", name=newest.name)).to_be_visible()
    phone_ctx.close()
