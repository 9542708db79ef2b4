"""Content QR codes from the create flow, as a person makes them: choose the card, fill
the short form, Save; the code page links to the builder; a phone scanning the code (a
browser with JavaScript off on the edge) sees the page. A PDF code: the PDF is uploaded
in the form, and the scanned page downloads exactly those bytes through its real link."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from qrapp.services.authz import actor_for_token
from qrapp.services.codes import qrcodes
from tests.e2e.flows import session_cookie, sign_up
from tests.support.tiny_pdf import tiny_pdf

PASSWORD = "content codes passphrase 7"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def visitor(browser: Browser, product):
    """A phone scanning a code: no JavaScript, on the edge."""
    context = browser.new_context(
        java_script_enabled=False, base_url=product["edge_url"], user_agent=IPHONE
    )
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _choose(page: Page, card_label: str) -> None:
    page.goto("/codes")
    page.click("#new-code")
    page.get_by_role("button", name=re.compile(f"^{card_label}")).click()
    expect(page.locator("#designer-title")).to_contain_text(card_label)


def _save(page: Page) -> str:
    """Save once the preview says the code scans; the new code's id from the code page."""
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
    expect(page.locator("#save")).to_be_enabled()
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    return page.url.rstrip("/").rsplit("/", 1)[1]


def _short_code(page: Page, code_id: str) -> str:
    owner = actor_for_token(session_cookie(page)["value"])
    return qrcodes.get_code_or_raise(actor=owner, code_id=uuid.UUID(code_id)).short_code


def test_menu_code_from_the_create_flow_is_scanned_as_a_menu_page(page: Page, visitor):
    sign_up(page, f"menu-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Lucia")
    # By keyboard: the card is a button (Enter chooses it), the form's heading takes the
    # focus, and the next Tab is the first field of the menu's form.
    page.goto("/codes")
    page.click("#new-code")
    card = page.get_by_role("button", name=re.compile("^Menu"))
    card.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#designer-title")).to_be_focused()
    expect(page.locator("#designer-title")).to_contain_text("Menu")
    # The form arrives with the editor's chunk (fetched when a type is chosen): a person
    # tabs once they see it, and the focus waits on the heading meanwhile.
    expect(page.get_by_label("Restaurant name", exact=True)).to_be_visible()
    expect(page.locator("#designer-title")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Restaurant name", exact=True)).to_be_focused()
    page.keyboard.type("Trattoria Lucia")
    page.get_by_label("First section", exact=True).fill("Pasta")
    page.get_by_label("Dishes", exact=True).fill(
        "Cacio e pepe, 16, pecorino and black pepper\nRagù della nonna | 18.50 | slow-cooked"
    )
    page.get_by_label("Currency", exact=True).select_option("SEK")
    page.fill("#code-name", "Trattoria table card")
    code_id = _save(page)

    edit = page.get_by_role("link", name="Edit the page in the builder")
    expect(edit).to_be_visible()
    expect(page.locator("#destination-page-current")).to_contain_text("Trattoria table card")

    short = _short_code(page, code_id)
    answer = visitor.goto(f"/{short}")
    assert answer is not None
    assert answer.status == 200
    assert visitor.url.endswith(f"/{short}")  # the page itself, no redirect hop
    expect(visitor.get_by_role("heading", name="Trattoria Lucia")).to_be_visible()
    expect(visitor.get_by_text("Cacio e pepe")).to_be_visible()
    expect(visitor.get_by_text("18.50 kr")).to_be_visible()
    assert visitor.locator("script").count() == 0

    edit.click()
    page.wait_for_url(re.compile(r"/landing-pages/[0-9a-f-]{36}$"))


def test_pdf_code_uploads_the_pdf_and_the_scanned_page_downloads_it(page: Page, visitor, tmp_path):
    sign_up(page, f"pdf-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Per")
    pdf = tmp_path / "price-list.pdf"
    pdf.write_bytes(tiny_pdf("Spring price list"))
    _choose(page, "PDF")
    page.get_by_label("Title", exact=True).fill("Spring price list")
    page.get_by_label("PDF file", exact=True).set_input_files(str(pdf))
    expect(page.locator("#uploaded-files")).to_contain_text("price-list.pdf")
    page.fill("#code-name", "Price list poster")
    code_id = _save(page)
    expect(page.get_by_role("link", name="Edit the page in the builder")).to_be_visible()

    visitor.goto(f"/{_short_code(page, code_id)}")
    expect(visitor.get_by_role("heading", name="Spring price list")).to_be_visible()
    link = visitor.get_by_role("link", name=re.compile("Download the PDF"))
    with visitor.expect_download() as info:
        link.click()
    saved = tmp_path / "downloaded.pdf"
    info.value.save_as(saved)
    assert saved.read_bytes() == pdf.read_bytes()

    # The media library lists the PDF as used by the code's page and will not delete it.
    page.get_by_role("link", name="Media", exact=True).click()
    page.wait_for_url(re.compile(r"/media$"))
    row = page.locator("#media-table tr", has_text="price-list.pdf")
    expect(row.get_by_role("link", name="Price list poster")).to_be_visible()
    row.get_by_role("button", name="Delete price-list.pdf").click()
    page.click("#confirm-delete")
    expect(page.locator("#media-problem")).to_contain_text("Price list poster")
    expect(row).to_be_visible()
