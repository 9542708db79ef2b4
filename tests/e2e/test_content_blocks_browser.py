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
        assert page.locator("img").count() == 3
        # A blocked load is never requested: each request here is one the CSP allowed.
        # Polled from here, as the page itself runs no script.
        wanted = {
            f"{ORIGIN}/m/ph1/w480.webp",  # the srcset's pick for a 390 px phone
            f"{ORIGIN}/m/vid1/original.mp4",  # preload=metadata
            f"{ORIGIN}/m/aud1/original.mp3",
        }
        eventually(
            lambda: wanted <= set(requests),
            message=lambda: f"not requested: {wanted - set(requests)}",
        )
        assert {u.split("/")[2] for u in requests} == {"pages.test"}
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.get_by_role("link", name="Download the menu").get_attribute("download") == (
            "menu.pdf"
        )
    finally:
        context.close()
