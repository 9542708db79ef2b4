"""A published landing page opened in chromium with JavaScript off, as a phone visitor:
/p/<slug> shows the page (no script on it at all), a button goes through the edge (a
counted click) to another site, the "Save contact" download arrives as a .vcf file, and a
code whose destination is the page answers with it on its own short link (no hop)."""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from qrapp.core.pages.document import blank_document, new_block
from qrapp.services.accounts import accounts
from qrapp.services.authz import actor_for_token
from qrapp.services.codes import code_pages, qrcodes
from qrapp.services.pages import editing, stats
from tests.e2e.flows import session_cookie, sign_up
from tests.integration.helpers import PASSWORD, actor, log_in
from tests.support.other_site import other_site
from tests.support.waiting import eventually

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def shop_site() -> Iterator[str]:
    with other_site("Shop") as url:
        yield url


@pytest.fixture
def visitor(browser: Browser, product):
    context = browser.new_context(
        java_script_enabled=False, base_url=product["edge_url"], user_agent=IPHONE
    )
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _published_page(shop: str, owner=None):
    if owner is None:
        email = f"pages-{uuid.uuid4().hex[:8]}@example.com"
        accounts.create_user_cli(email=email, password=PASSWORD, name="Ada")
        owner = actor(log_in(email))
    page = editing.create_page(actor=owner, name="Ada's corner")
    doc = blank_document("Ada's corner")
    heading = new_block("heading")
    heading["props"] |= {"text": "Welcome to Ada's corner", "level": 1}
    button = new_block("button")
    button["props"] |= {"label": "Visit the shop", "url": f"{shop}/spring?ref=bio"}
    contact = new_block("contact")
    contact["props"] |= {"name": "Ada Lovelace", "email": "ada@example.com"}
    doc["blocks"] = [heading, button, contact]
    editing.save_draft(
        actor=owner, page_id=page.id, document=doc, base_revision=page.draft_revision
    )
    editing.publish(actor=owner, page_id=page.id)
    return owner, page, button["id"], contact["id"]


def test_public_page_without_javascript_click_download_and_code(visitor, shop_site, tmp_path):
    owner, page, button_id, contact_id = _published_page(shop_site)
    response = visitor.goto(f"/p/{page.slug}")
    assert response.status == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    expect(visitor.get_by_role("heading", name="Welcome to Ada's corner")).to_be_visible()
    assert visitor.locator("script").count() == 0

    # "Save contact": a .vcf attachment from the edge.
    with visitor.expect_download() as info:
        visitor.get_by_role("link", name="Save contact").click()
    assert info.value.suggested_filename.endswith(".vcf")
    info.value.save_as(tmp_path / "card.vcf")
    assert "Ada Lovelace" in (tmp_path / "card.vcf").read_text()

    # The button goes through the edge (counted) to the shop on another site.
    visitor.get_by_role("link", name="Visit the shop").click()
    visitor.wait_for_url(f"{shop_site}/spring?ref=bio")
    expect(visitor.locator("#landed")).to_have_text("/spring?ref=bio")

    # A code pointing at the page answers with it on its own short link.
    code = qrcodes.create(
        actor=owner, data=qrcodes.CodeInput(name="Table card", destination="https://e.test/")
    )
    code_pages.set_destination_page(actor=owner, code_id=code.id, page_id=page.id)
    visitor.goto(f"/{code.short_code}")
    expect(visitor.get_by_role("heading", name="Welcome to Ada's corner")).to_be_visible()
    assert visitor.url.endswith(f"/{code.short_code}")

    def counted():
        s = stats.page_stats(actor=owner, page_id=page.id)
        # Several ingest consumers (production) may commit the events in any order.
        return s.views >= 2 and s.clicks >= 2 and s

    s = eventually(counted, timeout=30)
    assert s.clicks_by_target == {button_id: 1, contact_id: 1}  # the button, the download
    eventually(lambda: qrcodes.get_code_or_raise(actor=owner, code_id=code.id).total_scans == 1)


def test_code_page_points_the_code_at_a_landing_page(page: Page, product, shop_site):
    """The owner picks a published page in the code page's destination card; the short
    link then answers with the page."""
    sign_up(page, f"pia-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Pia")
    owner = actor_for_token(session_cookie(page)["value"])
    landing = _published_page(shop_site, owner)[1]
    code = qrcodes.create(
        actor=owner, data=qrcodes.CodeInput(name="Flyer", destination="https://e.test/flyer")
    )
    page.goto(f"/codes/{code.id}")
    picker = page.get_by_label("Answer scans with a landing page")
    expect(picker.locator("option", has_text=landing.slug)).to_have_count(1)
    picker.select_option(label=f"Ada's corner (/p/{landing.slug})")
    page.get_by_role("button", name="Use this page").click()
    expect(page.locator("#destination-page-current")).to_contain_text("Ada's corner")

    with httpx.Client(base_url=product["edge_url"]) as edge:
        answer = eventually(
            lambda: (r := edge.get(f"/{code.short_code}")).status_code == 200 and r, timeout=10
        )
    assert "Welcome to Ada's corner" in html.unescape(answer.text)
