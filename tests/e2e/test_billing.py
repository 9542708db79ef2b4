"""The billing page in chromium: the plan, usage meters and plan cards; who sees what
(owners manage, admins read, editors get neither menu item nor page); expiry naming the
paused codes and paying again bringing them back."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from qrapp.core import routes
from qrapp.core.permissions import Role
from qrapp.core.plans import GRACE
from qrapp.db import read_session, transaction
from qrapp.models import Membership, User
from qrapp.models.billing import Invoice
from qrapp.models.types import utcnow
from qrapp.services.authz import actor_for_token
from qrapp.services.billing import stripe_api, stripe_catalog, subscriptions
from qrapp.services.workspaces import workspaces
from qrapp.state.billing import BillingState
from tests.e2e.flows import session_cookie, sign_up, signed_up_sessions
from tests.e2e.test_accessibility import (  # noqa: F401 (audited_page is a fixture)
    _audit_here,
    _axe_source,
    _use_colour_mode,
    audited_page,
)
from tests.integration.helpers import team_workspace
from tests.support import stripe_fake
from tests.support.raw_socket import call_handlers
from tests.support.scans import make_code
from tests.support.waiting import eventually

PASSWORD = "billing passphrase 2026"
DAY = dt.timedelta(days=1)


def _meter(page: Page, key: str):
    return page.locator(f".usage-meter[data-key={key}]")


def _apply(workspace_id, status: str, period_end, now=None, **kw) -> None:
    """What a provider's event would write (the Stripe flow itself is in its own test)."""
    with transaction() as tx:
        subscriptions.apply_subscription(
            tx,
            workspace_id,
            provider=kw.pop("provider", "manual"),
            plan_id=kw.pop("plan_id", "pro"),
            interval="year",
            currency="SEK",
            status=status,
            current_period_end=period_end,
            now=now,
            **kw,
        )


def _move_clock_back(workspace_id, by: dt.timedelta) -> None:
    """As if `by` had passed: the subscription's dates move into the past."""
    with transaction() as tx:
        sub = subscriptions.current(tx.session, workspace_id)
        sub.current_period_end -= by
        sub.grace_until -= by
        tx.session.add(sub)


def test_owner_sees_plan_usage_and_plan_cards_and_comes_preselected_from_pricing(
    page: Page, product
):
    sign_up(page, f"bill-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Britt")
    me = actor_for_token(session_cookie(page)["value"])
    for i in range(3):
        make_code(me.workspace_id, f"Menu {i}")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Billing").click()
    page.wait_for_url(re.compile(r"/billing"))
    expect(page.locator("#billing-plan")).to_have_text("Free")
    expect(page.locator("#billing-standing")).to_have_text("Free")
    expect(page.locator("#billing-fresh")).to_contain_text("Choose a plan below")
    dynamic = _meter(page, "dynamic_codes")
    expect(dynamic).to_contain_text("3 of 10")
    bar = dynamic.get_by_role("progressbar", name="Dynamic codes")
    expect(bar).to_have_attribute("aria-valuenow", "30")
    expect(bar).to_have_attribute("aria-valuetext", "3 of 10")
    expect(_meter(page, "seats")).to_contain_text("1 of 1")
    expect(page.locator("#no-invoices")).to_be_visible()

    # Plan cards: the current plan marked; monthly/yearly and SEK/EUR change the prices.
    free = page.locator(".plan-card[data-plan=free]")
    pro = page.locator(".plan-card[data-plan=pro]")
    expect(free.locator(".current-plan")).to_have_text("Current plan")
    expect(pro).to_contain_text("149 kr")
    expect(pro).to_contain_text("per month")
    page.get_by_role("radio", name="Yearly (2 months free)").click()
    expect(pro).to_contain_text("1\u202f490 kr")
    expect(pro).to_contain_text("per year")
    page.get_by_role("radio", name="EUR").click()
    expect(pro).to_contain_text("€140")
    expect(page.locator("#choose-free")).to_have_count(0)  # nothing to pay for on Free

    # Choosing a plan opens the payment panel; Swish asks for an optional number.
    page.click("#choose-business")
    expect(page.locator("#billing-chooser")).to_contain_text("Subscribe to Business")
    expect(page.locator("#pay")).to_contain_text("€420 a year")
    page.get_by_role("radio", name="Swish").click()
    expect(page.get_by_label("Swish phone number (optional)")).to_be_visible()
    expect(page.locator("#pay")).to_contain_text("4\u202f490 kr a year")  # Swish is SEK only

    # From /pricing: the plan and interval come preselected.
    page.goto("/billing?plan=pro&interval=year")
    expect(page.locator("#billing-chooser")).to_contain_text("Subscribe to Pro")
    expect(page.get_by_role("radio", name="Yearly (2 months free)")).to_be_checked()
    expect(page.locator("#pay")).to_contain_text("1\u202f490 kr a year")
    expect(page.locator("#choose-pro")).to_have_attribute("aria-pressed", "true")

    # Keyboard: the plan buttons are reachable and work with Enter.
    page.focus("#choose-business")
    page.keyboard.press("Enter")
    expect(page.locator("#billing-chooser")).to_contain_text("Subscribe to Business")

    # 390 px wide: everything fits without sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/billing")
    expect(page.locator("#billing-plan")).to_have_text("Free")
    overflow = page.evaluate(
        "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 390 px"


def _team(browser, product):
    """A team with an owner, an admin and an editor, each signed in to it."""
    tag, cookies = signed_up_sessions(
        browser, product["url"], ("owner", "admin", "editor"), PASSWORD
    )
    ws = team_workspace(f"Billing team {tag}")
    with transaction() as tx:
        for who, role in (("owner", Role.OWNER), ("admin", Role.ADMIN), ("editor", Role.EDITOR)):
            user = tx.session.exec(
                select(User).where(User.email == f"{who}-{tag}@example.com")
            ).one()
            tx.session.add(Membership(workspace_id=ws.id, user_id=user.id, role=role.value))
    for who in cookies:
        workspaces.switch(actor=actor_for_token(cookies[who]), workspace_id=ws.id)
    return ws, cookies


def _page_as(browser, product, token: str) -> Page:
    ctx = browser.new_context(base_url=product["url"], viewport={"width": 1280, "height": 800})
    ctx.add_cookies([{"name": "qrapp_session", "value": token, "url": product["url"]}])
    return ctx.new_page()


def test_admins_read_billing_and_editors_have_neither_menu_item_nor_page(browser, product):
    ws, cookies = _team(browser, product)
    _apply(ws.id, "active", utcnow() + 300 * DAY, provider="stripe", subscription_id="sub_x")

    admin = _page_as(browser, product, cookies["admin"])
    admin.goto("/dashboard")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Billing").click()
    expect(admin.locator("#billing-plan")).to_have_text("Pro")
    expect(admin.locator("#billing-read-only")).to_contain_text("only the workspace's owners")
    expect(admin.locator(".plan-card")).to_have_count(4)
    expect(admin.locator(".plan-card button")).to_have_count(0)
    expect(admin.locator("#billing-manage")).to_have_count(0)
    admin.context.close()

    editor = _page_as(browser, product, cookies["editor"])
    editor.goto("/dashboard")
    nav = editor.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Team")).to_be_visible()
    expect(nav.get_by_role("link", name="Billing")).to_have_count(0)
    editor.goto("/billing")
    expect(
        editor.get_by_text("Only the workspace's owners and admins see billing.")
    ).to_be_visible()
    expect(editor.locator("#billing-plan")).to_have_count(0)
    editor.context.close()

    # Called as a script would: the actions refuse both, and say why.
    state = BillingState.get_full_name()
    events = [
        (f"{state}.choose_plan", {"plan_id": "business"}),
        (f"{state}.pay", {}),
        (f"{state}.confirm_cancel", {}),
    ]
    for who in ("admin", "editor"):
        replies = str(call_handlers(product["url"], cookies[who], events, path="/billing"))
        assert "Only the workspace's owners can change its plan or payment" in replies
    with transaction() as tx:
        sub = subscriptions.current(tx.session, ws.id)
        assert sub.plan == "pro"
        assert sub.cancel_at_period_end is False

    owner = _page_as(browser, product, cookies["owner"])
    owner.goto("/billing")
    expect(owner.locator("#billing-plan")).to_have_text("Pro")
    expect(owner.locator("#billing-read-only")).to_have_count(0)
    expect(owner.locator("#open-portal")).to_be_visible()
    expect(owner.locator("#cancel-subscription")).to_be_visible()
    owner.context.close()


def test_expiry_names_the_paused_codes_and_paying_again_brings_them_back(page: Page, product):
    sign_up(page, f"exp-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Erik")
    ws_id = actor_for_token(session_cookie(page)["value"]).workspace_id
    for i in range(12):
        make_code(ws_id, f"Poster {i}")
    t0 = utcnow()
    _apply(ws_id, "active", t0 + 30 * DAY, t0)

    page.goto("/billing")
    expect(page.locator("#billing-plan")).to_have_text("Pro")
    expect(page.locator("#billing-standing")).to_have_text("Active")
    expect(_meter(page, "dynamic_codes")).to_contain_text("12 of 500")
    expect(page.locator("#billing-dates")).to_contain_text("Ends on")

    # The period ended unpaid: grace, every code still scans.
    _apply(ws_id, "past_due", t0 - DAY, t0 - DAY)
    page.reload()
    expect(page.locator("#billing-standing")).to_have_text("Payment due")
    expect(page.locator("#billing-grace")).to_contain_text("Every code still scans")
    expect(page.locator("#billing-dates")).to_contain_text("Every code scans until")

    # Grace over (the clock moved past it, then the beat job): two codes pause.
    _move_clock_back(ws_id, GRACE + DAY)
    assert subscriptions.expire_due() == 1
    page.reload()
    expect(page.locator("#billing-standing")).to_have_text("Expired")
    expect(page.locator("#billing-plan")).to_have_text("Free")
    expect(page.locator("#billing-paused")).to_contain_text("2 dynamic codes are paused")
    expect(page.locator("#billing-paused")).to_contain_text("Pro plan expired")
    expect(_meter(page, "dynamic_codes")).to_contain_text("12 of 10")
    expect(_meter(page, "dynamic_codes")).to_contain_text("read-only")

    # Paid again: every code works at once.
    _apply(ws_id, "active", utcnow() + 365 * DAY)
    page.reload()
    expect(page.locator("#billing-standing")).to_have_text("Active")
    expect(page.locator("#billing-paused")).to_have_count(0)
    expect(page.locator("#billing-plan")).to_have_text("Pro")


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_billing_page(audited_page: Page, mode: str):  # noqa: F811
    page, axe = audited_page, _axe_source()
    sign_up(page, f"axe-b-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Axel")
    _use_colour_mode(page, mode)
    page.goto("/billing?plan=pro&interval=year")
    expect(page.locator("#billing-chooser")).to_be_visible()
    problems = _audit_here(page, axe, "/billing (plan chosen)", mode)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("radio", name="Swish").click()
    expect(page.get_by_label("Swish phone number (optional)")).to_be_visible()
    problems += _audit_here(page, axe, "/billing (Swish, 390 px)", mode)
    assert not problems, "axe found critical/serious violations:\n" + "\n".join(problems)


# --- The whole way with Stripe: localstripe holds the subscription; the hosted Checkout
# step stands in as its signed completion event, POSTed to our webhook route.


def _send_event(product, type_: str, obj: dict) -> None:
    payload = stripe_fake.event(type_, obj)
    body, headers = stripe_fake.signed(payload)
    response = httpx.post(product["url"] + routes.STRIPE_WEBHOOK, content=body, headers=headers)
    assert response.status_code == 200, response.text


def _checkout_by_card(page: Page, product, plan_button: str) -> str:
    """Choose a plan, pay by card, "pay" on the hosted page; returns the subscription id."""
    page.click(plan_button)
    expect(page.get_by_role("radio", name="Card")).to_be_checked()
    page.click("#pay")
    page.wait_for_url(re.compile(r"/_config/stand_in/checkout/"))
    session_id = page.url.rstrip("/").rsplit("/", 1)[1]
    completed = stripe_fake.complete_checkout(session_id)
    _send_event(product, "checkout.session.completed", completed)
    page.goto("/billing?checkout=done")  # Checkout's success_url
    return str(completed["subscription"])


def _scan(product, short: str) -> httpx.Response:
    return httpx.get(f"{product['edge_url']}/{short}", follow_redirects=False, timeout=5)


def test_owner_upgrades_by_card_downgrades_lets_it_expire_and_pays_again(page: Page, product):
    stripe_catalog.sync()
    sign_up(page, f"card-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Carla")
    ws_id = actor_for_token(session_cookie(page)["value"]).workspace_id
    page.goto("/billing")
    expect(page.locator("#billing-plan")).to_have_text("Free")
    page.get_by_role("radio", name="Yearly (2 months free)").click()
    sub_id = _checkout_by_card(page, product, "#choose-pro")
    # The page waits for the worker to process the event, then shows the new plan.
    expect(page.locator("#billing-plan")).to_have_text("Pro")
    expect(page.locator("#billing-standing")).to_have_text("Trial")
    expect(page.locator("#billing-current")).to_contain_text("Card (Stripe), yearly in SEK")
    expect(page.locator("#billing-dates")).to_contain_text("Trial ends")
    expect(_meter(page, "dynamic_codes")).to_contain_text("0 of 500")
    expect(_meter(page, "seats")).to_contain_text("1 of 3")
    assert (_subscription(ws_id).plan, _subscription(ws_id).interval) == ("pro", "year")

    shorts = [f"c{ws_id.hex[:6]}{i:02d}" for i in range(12)]
    for i, short in enumerate(shorts):
        make_code(ws_id, f"Poster {i}", short=short)
    page.reload()
    expect(_meter(page, "dynamic_codes")).to_contain_text("12 of 500")

    # Downgrade: Free is cancelling at the end of the paid period; nothing changes yet.
    page.click("#choose-free")
    expect(page.locator("#billing-chooser")).to_contain_text("cancelled at the end of the paid")
    page.click("#change-plan")
    expect(page.locator("#billing-cancelled")).to_be_visible()
    expect(page.locator("#resume")).to_be_visible()
    expect(page.locator("#billing-plan")).to_have_text("Pro")
    assert {_scan(product, s).status_code for s in shorts} == {302}

    # The period ends: Stripe deletes the subscription and tells us.
    stripe_fake.client().v1.subscriptions.cancel(sub_id)
    _send_event(
        product,
        "customer.subscription.deleted",
        stripe_api.as_dict(stripe_fake.client().v1.subscriptions.retrieve(sub_id)),
    )
    eventually(lambda: _subscription(ws_id).status == "canceled", 30, interval=0.2)
    page.reload()
    expect(page.locator("#billing-standing")).to_have_text("Payment due")
    expect(page.locator("#billing-grace")).to_contain_text("Every code still scans")

    # Grace runs out (the clock moved past it, then the beat job): the newest two pause.
    sub = _subscription(ws_id)
    _move_clock_back(ws_id, sub.grace_until - utcnow() + DAY)
    assert subscriptions.expire_due() == 1
    page.reload()
    expect(page.locator("#billing-standing")).to_have_text("Expired")
    expect(page.locator("#billing-plan")).to_have_text("Free")
    expect(page.locator("#billing-paused")).to_contain_text("2 dynamic codes are paused")
    expect(_meter(page, "dynamic_codes")).to_contain_text("12 of 10")
    eventually(lambda: _scan(product, shorts[11]).status_code == 503, 20, interval=0.2)
    assert _scan(product, shorts[10]).status_code == 503
    assert "Temporarily unavailable" in _scan(product, shorts[11]).text
    assert {_scan(product, s).status_code for s in shorts[:10]} == {302}

    # Paying again (no second trial) brings every code back at once.
    new_sub = _checkout_by_card(page, product, "#choose-pro")
    expect(page.locator("#billing-standing")).to_have_text("Active")
    expect(page.locator("#billing-plan")).to_have_text("Pro")
    expect(page.locator("#billing-paused")).to_have_count(0)
    eventually(lambda: _scan(product, shorts[11]).status_code == 302, 20, interval=0.2)

    # Its invoice, once Stripe says it is paid, is in the list.
    paid = stripe_fake.client().v1.invoices.list(params={"subscription": new_sub}).data[0]
    _send_event(product, "invoice.paid", stripe_api.as_dict(paid))
    eventually(lambda: _invoices(ws_id) == 1, 30, interval=0.2)
    page.reload()
    expect(page.locator(".invoice-row")).to_have_count(1)
    expect(page.locator(".invoice-row")).to_contain_text("1\u202f490 kr")


def _invoices(workspace_id) -> int:
    with read_session() as s:
        return len(s.exec(select(Invoice).where(Invoice.workspace_id == workspace_id)).all())


def _subscription(workspace_id):
    with read_session() as s:
        return subscriptions.current(s, workspace_id)
