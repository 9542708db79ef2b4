"""Settings -> Webhooks in a real browser: an admin adds an endpoint pointing at a local
receiver, makes a code, sees the signed delivery in the log and resends it; a viewer
neither sees the page nor gets anything from its handlers."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import select
from standardwebhooks.webhooks import Webhook

from qrapp.core.permissions import Role
from qrapp.db import transaction
from qrapp.models import Membership, User
from qrapp.services.authz import actor_for_session, actor_for_token
from qrapp.services.webhooks import endpoints
from qrapp.services.workspaces import workspaces
from qrapp.state.webhooks import WebhooksState
from tests.e2e.flows import signed_up_sessions
from tests.e2e.test_accessibility import _audit_here, _axe_source, _use_colour_mode
from tests.support.raw_socket import call_handler
from tests.support.waiting import eventually
from tests.support.webhook_receiver import Receiver

PASSWORD = "webhook passphrase 2026"


def _team(browser, product) -> dict[str, str]:
    names = ("owner", "admin", "viewer")
    tag, cookies = signed_up_sessions(browser, product["url"], names, PASSWORD)
    with transaction() as tx:
        ws_id = actor_for_session(tx.session, cookies["owner"]).workspace_id
        for who, role in (("admin", Role.ADMIN), ("viewer", Role.VIEWER)):
            user = tx.session.exec(
                select(User).where(User.email == f"{who}-{tag}@example.com")
            ).one()
            tx.session.add(Membership(workspace_id=ws_id, user_id=user.id, role=role.value))
    for who in ("admin", "viewer"):
        workspaces.switch(actor=actor_for_token(cookies[who]), workspace_id=ws_id)
    return cookies


def _page_as(browser, product, token: str):
    # bypass_csp: axe is injected as a script (as in test_accessibility).
    ctx = browser.new_context(base_url=product["url"], bypass_csp=True, reduced_motion="reduce")
    ctx.add_cookies([{"name": "qrapp_session", "value": token, "url": product["url"]}])
    return ctx.new_page()


def test_an_admin_adds_an_endpoint_sees_the_delivery_and_resends_it(browser, product):
    cookies = _team(browser, product)
    receiver = Receiver().start()
    try:
        page = _page_as(browser, product, cookies["admin"])
        page.goto("/settings")
        _use_colour_mode(page, "light")
        page.get_by_role("link", name="Webhooks").click()
        page.wait_for_url(re.compile(r"/settings/webhooks"))
        expect(page.get_by_text("No webhook endpoints yet")).to_be_visible()

        # A bad URL is explained at the field; nothing is added.
        page.get_by_label("Endpoint URL").fill("ftp://nowhere")
        page.get_by_role("checkbox", name=re.compile(r"code\.created")).check()
        page.get_by_role("button", name="Add endpoint").click()
        expect(page.locator("#webhook-url-error")).to_contain_text("https://")
        expect(page.locator(".endpoint-card")).to_have_count(0)
        expect(page.get_by_label("Endpoint URL")).to_have_value("ftp://nowhere")

        page.get_by_label("Endpoint URL").fill(receiver.url)
        page.get_by_label("Description (optional)").fill("Our CRM")
        page.get_by_role("button", name="Add endpoint").click()
        card = page.locator(".endpoint-card")
        expect(card).to_have_count(1)
        expect(card).to_contain_text(receiver.url)
        expect(page.get_by_label("Endpoint URL")).to_have_value("")
        expect(card).to_contain_text("code.created")
        secret = card.locator(".endpoint-secret").inner_text()
        assert secret.startswith("whsec_")

        # The admin makes a code in the designer, as a person would.
        page.goto("/codes/new?type=dynamic")
        page.fill("#destination", "https://example.com/menu")
        page.fill("#code-name", "Poster")
        expect(page.locator("#save")).to_be_enabled()
        page.click("#save")
        page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
        code_id = page.url.rsplit("/", 1)[1]
        (first,) = eventually(lambda: receiver.received(), 60)
        payload = Webhook(secret).verify(first.body, first.headers)
        assert payload["type"] == "code.created"
        assert payload["data"]["id"] == code_id
        assert payload["data"]["name"] == "Poster"

        page.goto("/settings/webhooks")
        card.get_by_role("button", name="Delivery log").click()
        rows = page.locator(".delivery-row")

        def delivered() -> bool:
            page.get_by_role("button", name="Refresh").click()
            return rows.first.locator(".delivery-status").inner_text() == "delivered"

        eventually(delivered, 30, interval=0.5)
        expect(rows).to_have_count(1)
        expect(rows.first.locator(".delivery-code")).to_have_text("204")
        rows.first.get_by_role("button", name=re.compile("^Resend")).click()
        expect(page.locator("#webhooks-notice")).to_contain_text("sent again")
        second = eventually(lambda: len(receiver.received()) == 2 and receiver.received()[1], 60)
        assert second.headers["webhook-id"] == first.headers["webhook-id"]
        Webhook(secret).verify(second.body, second.headers)

        def two_attempts() -> bool:
            page.get_by_role("button", name="Refresh").click()
            return rows.first.locator(".delivery-attempts").inner_text() == "2"

        eventually(two_attempts, 30, interval=0.5)
        # axe on the page with an endpoint, its log and a request body open.
        rows.first.get_by_text("Request body").click()
        expect(rows.first.locator("pre").first).to_contain_text("code.created")
        problems = _audit_here(page, _axe_source(), "/settings/webhooks (log)", "light")
        assert not problems, "\n".join(problems)
        page.context.close()
    finally:
        receiver.stop()


def test_a_viewer_does_not_see_webhooks_and_its_handlers_are_refused(browser, product):
    cookies = _team(browser, product)
    page = _page_as(browser, product, cookies["viewer"])
    page.goto("/settings")
    expect(page.locator("#change-password")).to_be_visible()
    expect(page.get_by_role("link", name="Webhooks")).to_have_count(0)
    page.goto("/settings/webhooks")
    expect(page.locator("#webhooks-not-allowed")).to_be_visible()
    expect(page.locator("#add-endpoint")).to_have_count(0)
    page.context.close()

    state = WebhooksState.get_full_name()
    form = {"url": "https://example.com/hooks", "event-code.created": "on"}
    replies = call_handler(
        product["url"],
        cookies["viewer"],
        f"{state}.add_endpoint",
        {"form": form},
        "/settings/webhooks",
    )
    assert "does not allow that" in str(replies)
    admin = actor_for_token(cookies["admin"])
    assert endpoints.list_endpoints(actor=admin) == []
