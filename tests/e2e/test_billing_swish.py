"""Paying for Pro with Swish on the billing page, in chromium: the QR code a computer shows
(decoded: it holds the request's token the way Swish's app reads it), the payer approving
in the simulator as their Swish app would, Swish's callback reaching the product over
https, and the page showing the payment, the plan and the receipt without a reload; on a
phone, the link that opens the Swish app instead of a code it cannot scan.

Embedded only: the Swish path is the same services and the same background poll in both
set-ups (the production set-up's state manager is covered by the card flow in
test_billing.py); the simulator and its certificates add nothing per database."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from qrapp.core import routes
from qrapp.db import read_session
from qrapp.models.billing import Invoice
from qrapp.models.billing_swish import SwishPayment
from qrapp.services.authz import actor_for_token
from qrapp.services.billing import swish
from tests.e2e.flows import session_cookie, sign_up
from tests.support.swish_e2e import SwishWorld
from tests.unit.qr.helpers import svg_text

pytestmark = pytest.mark.embedded_only

PASSWORD = "swish passphrase 2026"
QR_ALT = "Swish QR code: scan it with the Swish app to pay"
PHONE = {"width": 390, "height": 844}


def _start_pro_monthly_by_swish(page: Page) -> None:
    page.goto("/billing")
    page.click("#choose-pro")
    expect(page.locator("#billing-chooser")).to_contain_text("Subscribe to Pro")
    page.get_by_role("radio", name="Swish").click()
    expect(page.locator("#pay")).to_contain_text("149 kr a month")
    page.click("#pay")


def _token_of(workspace_id, world: SwishWorld) -> str:
    """The m-commerce token Swish gave the workspace's (one) payment request."""
    with read_session() as s:
        ids = s.exec(select(SwishPayment.id).where(SwishPayment.workspace_id == workspace_id))
        (payment_id,) = ids.all()
    return world.sim.payments[payment_id].token


def test_owner_pays_pro_by_scanning_the_swish_qr_code_and_gets_the_receipt(
    page: Page, product, tmp_path
):
    world: SwishWorld = product["swish"]
    sign_up(page, f"swish-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Sixten")
    me = actor_for_token(session_cookie(page)["value"])
    _start_pro_monthly_by_swish(page)

    # A computer shows the QR code (an image with a text alternative), not the app link.
    qr = page.get_by_role("img", name=QR_ALT)
    expect(qr).to_be_visible()
    expect(page.locator("#swish-open")).to_be_hidden()
    expect(page.locator("#swish-waiting")).to_contain_text("Waiting for the payment in Swish")
    token = _token_of(me.workspace_id, world)
    src = qr.get_attribute("src") or ""
    assert src.startswith("data:image/svg+xml;base64,")
    assert svg_text(base64.b64decode(src.split(",", 1)[1])) == swish.qr_text(token)

    # Proves below that the page updated itself rather than being loaded again.
    page.evaluate("window.__sameDocument = true")

    # The payer's Swish app approves; the simulator calls us back over https.
    world.sim.pay(token=token)
    callback = world.callback_front + routes.SWISH_CALLBACK
    assert world.sim.callbacks == [(callback, 200)]

    expect(page.locator("#swish-paid")).to_contain_text("your Swish payment is confirmed")
    expect(page.locator("#billing-plan")).to_have_text("Pro")
    expect(page.locator("#billing-standing")).to_have_text("Active")
    expect(page.locator("#billing-chooser")).to_have_count(0)
    with read_session() as s:
        (invoice,) = s.exec(select(Invoice).where(Invoice.workspace_id == me.workspace_id)).all()
    assert (invoice.provider, invoice.status, invoice.amount) == ("swish", "paid", 14900)
    paid_until = invoice.period_end
    assert paid_until is not None
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert 27 <= (paid_until.replace(tzinfo=None) - now).days <= 31  # a calendar month
    dates = page.locator("#billing-dates")
    expect(dates).to_contain_text("Ends on")
    expect(dates).to_contain_text(paid_until.strftime("%-d %B %Y"))
    assert page.evaluate("window.__sameDocument === true")

    # The receipt is listed and its link downloads our PDF.
    row = page.locator(".invoice-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(invoice.number)
    expect(row).to_contain_text("149 kr")
    expect(row).to_contain_text("Paid")
    link = row.get_by_role("link", name=f"Open {invoice.number}")
    expect(link).to_have_attribute("href", routes.billing_receipt(invoice.id))
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / "receipt.pdf"
    info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_on_a_phone_the_page_offers_the_link_that_opens_the_swish_app(browser, product):
    world: SwishWorld = product["swish"]
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=product["url"]
    )
    try:
        page = context.new_page()
        sign_up(page, f"swish-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Siri")
        me = actor_for_token(session_cookie(page)["value"])
        _start_pro_monthly_by_swish(page)

        link = page.get_by_role("link", name="Open Swish on this phone")
        expect(link).to_be_visible()
        expect(page.get_by_role("img", name=QR_ALT)).to_be_hidden()  # it cannot scan itself
        token = _token_of(me.workspace_id, world)
        href = urlsplit(link.get_attribute("href") or "")
        assert (href.scheme, href.netloc) == ("swish", "paymentrequest")
        query = parse_qs(href.query)
        assert query["token"] == [token]
        back = urlsplit(query["callbackurl"][0])
        assert (back.netloc, back.path) == (urlsplit(product["url"]).netloc, routes.BILLING)

        # The payer says no in the app: the page stops waiting and says so.
        world.sim.decline(token=token)
        expect(page.locator("#billing-error")).to_contain_text("did not go through")
        expect(page.locator("#billing-plan")).to_have_text("Free")
    finally:
        context.close()
