"""Teams in the browser: create a team workspace, invite by e-mail, accept, roles."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from qrapp.services.authz import actor_for_token
from tests.e2e.flows import session_cookie, sign_up
from tests.support.mailsink import link_in
from tests.support.plans import give_plan

PASSWORD = "team passphrase 2026"


def test_invite_a_colleague_who_signs_up_from_the_link(page: Page, browser, product):
    tag = uuid.uuid4().hex[:8]
    sign_up(page, f"lead-{tag}@example.com", PASSWORD, "Lena")
    page.click("#workspace-switcher")
    page.get_by_text("New team workspace").click()
    page.fill("input[name=name]", "Marketing")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.locator("#ws-name")).to_have_text("Marketing")
    # A seat for the colleague (the Free plan has the owner's only: billing/test_limits).
    give_plan(actor_for_token(session_cookie(page)["value"]).workspace_id, "pro")

    page.goto("/team")
    colleague = f"colleague-{tag}@example.com"
    page.fill("#invite-email", colleague)
    page.select_option("#invite-role", "viewer")
    page.click("#send-invite")
    expect(page.locator(".invite-row")).to_have_count(1)
    link = link_in(product["mail"].wait_for(colleague, "invited you"), "/invite")

    other = browser.new_context(base_url=product["url"]).new_page()
    other.goto(link)
    expect(other.get_by_text("Marketing")).to_be_visible()
    other.get_by_role("link", name="Sign up").click()
    other.wait_for_url(re.compile(r"/signup"))
    other.fill("#name", "Cora")
    other.fill("#email", colleague)
    other.fill("#password", PASSWORD)
    other.fill("#password_again", PASSWORD)
    other.click("#submit")
    # The confirmation link, opened in the same browser, signs in and returns to the invite.
    expect(other.locator("#signup-pending")).to_be_visible()
    other.goto(link_in(product["mail"].wait_for(colleague, "Confirm your e-mail"), "/verify-email"))
    other.wait_for_url(re.compile(r"/invite"))
    other.click("#accept-invite")
    other.wait_for_url(re.compile(r"/dashboard"))
    expect(other.locator("#ws-name")).to_have_text("Marketing")
    expect(other.locator("#workspace-switcher")).to_contain_text("Viewer")
    # A viewer sees the team read-only: no invite form, no role menus.
    other.goto("/team")
    expect(other.locator(".member-row")).to_have_count(2)
    expect(other.locator("#invite-email")).to_have_count(0)
    other.context.close()

    page.goto("/team")
    expect(page.locator(".member-row")).to_have_count(2)
    expect(page.locator(".invite-row")).to_have_count(0)
