"""Issue 11's content blocks in Debian's chromium under their page's own CSP, JavaScript
off as a visitor may have it: the coupon code is selected whole by one tap (no script
copies it), uploaded pictures, the video and the audio load from our /m/ paths (the CSP
allows exactly those), and a page of every content block fits a 390 px phone.

Pages are rendered in-process and answered through Playwright's routing, like
test_page_render_browser.py."""

from __future__ import annotations

import pytest

from qrapp.core.pages.document import new_block, parse_document
from qrapp.core.pages.render import render_page
from tests.e2e.test_page_render_browser import ORIGIN, _open
from tests.support.waiting import eventually
from tests.unit.test_content_blocks import MEDIA

pytestmark = pytest.mark.e2e


def _block(type_key, **props):
    block = new_block(type_key)
    block["props"].update(props)
    return block


def test_the_coupon_code_is_selected_whole_by_one_tap_without_javascript(browser):
    doc = parse_document({"settings": {"title": "Coupon"}, "blocks": [
        _block("coupon", title="20% off", code="SPRING20", terms="One per visit.")]})  # fmt: skip
    context, page, _, _ = _open(browser, render_page(doc, slug="page"), js=False)
    try:
        code = page.locator("code.code")
        code.click()
        # Read by Playwright's own isolated world: the page itself runs no script.
        assert page.evaluate("getSelection().toString()") == "SPRING20"
        assert page.evaluate("document.scripts.length") == 0
        box = code.bounding_box()
        assert box is not None
        assert box["height"] >= 44  # a tap target
    finally:
        context.close()


def test_uploaded_media_loads_under_the_page_csp_and_every_block_fits_a_phone(browser):
    doc = parse_document({"settings": {"title": "Media"}, "blocks": [
        _block("gallery", images=[{"id": "a", "asset_id": "ph1", "alt": "Pasta"},
                                  {"id": "b", "asset_id": "ph1", "alt": "More pasta"}]),
        _block("video_file", asset_id="vid1", title="The kitchen"),
        _block("audio", asset_id="aud1", title="Our jingle"),
        _block("file", asset_id="pdf1", label="Download the menu"),
        _block("product", images=[{"id": "p", "asset_id": "ph1", "alt": "Mug"}],
               buy_url="https://shop.example.com/mug"),
        new_block("menu"),
        new_block("coupon"),
    ]})  # fmt: skip
    rendered = render_page(doc, slug="page", media=MEDIA)
    context, page, _, requests = _open(browser, rendered, js=False)
    try:
        images = page.locator("img")
        expect_count = 3
        assert images.count() == expect_count
        for i in range(expect_count):
            images.nth(i).scroll_into_view_if_needed()
        # Polled from here: wait_for_function runs in the page, which has no script.
        eventually(
            lambda: page.evaluate(
                "[...document.images].every(i => i.complete && i.naturalWidth > 0)"
            ),
            message="the pictures did not load",
        )
        assert any(u.startswith(f"{ORIGIN}/m/ph1/") for u in requests)
        # preload=metadata: the players ask for their files, which the CSP allows
        eventually(
            lambda: (
                {f"{ORIGIN}/m/vid1/original.mp4", f"{ORIGIN}/m/aud1/original.mp3"} <= set(requests)
            ),
            message=lambda: f"the players did not ask for their files: {requests}",
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.get_by_role("link", name="Download the menu").get_attribute("download") == (
            "menu.pdf"
        )
    finally:
        context.close()
