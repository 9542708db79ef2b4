"""The builder with issue 11's content blocks, in a real browser: a menu and a coupon added
from the palette and filled in through their labelled fields (a section's dishes in their
own list), the preview following, a publish, and the public page read with JavaScript off
showing the dishes with formatted prices and tags and the coupon code as selectable text.
And a picture uploaded through a gallery's asset picker, published and served by the edge."""

from __future__ import annotations

import io
import re
import uuid

from PIL import Image
from playwright.sync_api import Page, expect

from qrapp.db import read_session
from qrapp.models import LandingPage
from tests.e2e.flows import sign_up
from tests.e2e.test_page_builder import _new_page, _saved
from tests.support.waiting import eventually

PASSWORD = "content blocks passphrase 1"


def test_add_a_menu_and_a_coupon_edit_them_by_label_publish_and_read_without_js(
    page: Page, product, browser
):
    sign_up(page, f"cam-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Cam")
    page_id = _new_page(page, "Cam's café", "Blank page")
    frame = page.frame_locator("#preview-frame")
    props = page.locator("#props-column")

    # The menu: its title, the first section's name, then that section's first dish.
    page.get_by_role("button", name="Add Menu", exact=True).click()
    expect(page.locator("#selected-title")).to_have_text("Menu")
    props.get_by_label("Title", exact=True).fill("Lunch menu")
    sections = props.get_by_role("group", name="Sections, item 1")
    sections.get_by_label("Section", exact=True).fill("Soups")
    dish = props.get_by_role("group", name="Dishes in Soups, item 1")
    expect(dish).to_be_visible()
    dish.get_by_label("Dish", exact=True).fill("Tomato soup")
    dish.get_by_label("Price", exact=True).fill("6.50")
    dish.get_by_label("Dietary tags", exact=True).fill("Vegan, gluten-free")
    # A second dish through the list's own Add button.
    props.get_by_role("button", name="Add to Dishes in Soups").click()
    second = props.get_by_role("group", name="Dishes in Soups, item 2")
    second.get_by_label("Dish", exact=True).fill("Lentil soup")
    second.get_by_label("Price", exact=True).fill("7")
    expect(frame.get_by_text("Lentil soup")).to_be_visible()
    expect(frame.get_by_text("€6.50")).to_be_visible()
    expect(frame.get_by_text("€7.00")).to_be_visible()
    _saved(page)

    # The coupon.
    page.get_by_role("button", name="Add Coupon", exact=True).click()
    expect(page.locator("#selected-title")).to_have_text("Coupon")
    props.get_by_label("Offer", exact=True).fill("A free coffee with lunch")
    props.get_by_label("Code", exact=True).fill("coffee4u")
    props.get_by_label("Valid until", exact=True).fill("2031-06-30")
    props.get_by_label("Terms", exact=True).fill("One per table.")
    expect(frame.locator("code.code")).to_have_text("COFFEE4U")
    expect(frame.get_by_text("30 June 2031")).to_be_visible()
    _saved(page)

    # A bad price is named in plain words and not saved.
    dish_again = page.locator(".block-row[data-block-type=menu] .block-select").first
    dish_again.click()
    props.get_by_role("group", name="Dishes in Soups, item 1").get_by_label(
        "Price", exact=True
    ).fill("6.555")
    expect(page.locator("#save-status")).to_contain_text("Price: Must be a whole number")
    props.get_by_role("group", name="Dishes in Soups, item 1").get_by_label(
        "Price", exact=True
    ).fill("6.50")
    _saved(page)

    page.click("#publish")
    expect(page.locator("#page-status")).to_have_text("published")
    with read_session() as s:
        stored = s.get(LandingPage, uuid.UUID(page_id))
        assert stored is not None
        assert stored.status == "published"
        menu = next(b for b in stored.draft["blocks"] if b["type"] == "menu")
        dishes = menu["props"]["sections"][0]["items"]
        assert [(d["name"], d["price"], d["tags"]) for d in dishes] == [
            ("Tomato soup", 650, ["vegan", "gluten_free"]),
            ("Lentil soup", 700, []),
        ]
        slug = stored.slug

    ctx = browser.new_context(java_script_enabled=False)
    try:
        visitor = ctx.new_page()
        response = visitor.goto(f"{product['edge_url']}/p/{slug}")
        assert response is not None
        assert response.status == 200
        assert "script-src" not in (response.headers.get("content-security-policy") or "")
        expect(visitor.get_by_role("heading", name="Lunch menu")).to_be_visible()
        expect(visitor.get_by_role("heading", name="Soups")).to_be_visible()
        tomato = visitor.locator(".dishes > li", has_text="Tomato soup")
        expect(tomato).to_contain_text("€6.50")
        expect(tomato.locator(".tags")).to_have_text("VeganGluten-free")
        expect(visitor.locator(".dishes > li", has_text="Lentil soup")).to_contain_text("€7.00")
        coupon = visitor.get_by_role("region", name="A free coffee with lunch")
        expect(coupon.locator("code")).to_have_text("COFFEE4U")
        expect(coupon).to_contain_text("Valid until 30 June 2031")
        expect(coupon).to_contain_text("One per table.")
        expect(coupon.locator("code")).to_have_css("user-select", "all")
    finally:
        ctx.close()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_upload_a_picture_into_a_gallery_publish_and_the_public_page_shows_it(
    page: Page, product, browser
):
    sign_up(page, f"gil-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Gil")
    _new_page(page, "Gil's photos", "Blank page")
    page.get_by_role("button", name="Add Image gallery", exact=True).click()
    expect(page.locator("#selected-title")).to_have_text("Image gallery")
    props = page.locator("#props-column")
    first = props.get_by_role("group", name="Images, item 1")
    # Publishing before a picture is chosen is refused, naming the block and the field.
    page.click("#publish")
    expect(page.get_by_text(re.compile(r"Block 2 \(Image gallery\), Images, item 1, Image: "
                                       r"choose a file"))).to_be_visible()  # fmt: skip
    first.get_by_label("Alternative text", exact=True).fill("The harbour at dawn")
    first.get_by_label("Or upload an image (JPEG, PNG, WebP)").set_input_files(
        {"name": "harbour.png", "mimeType": "image/png", "buffer": _png()}
    )
    picker = first.get_by_label("Image", exact=True)
    expect(picker.locator("option:checked")).to_have_text("harbour.png")
    frame = page.frame_locator("#preview-frame")
    expect(frame.get_by_role("img", name="The harbour at dawn")).to_be_visible()
    _saved(page)

    page.click("#publish")
    expect(page.locator("#page-status")).to_have_text("published")
    slug = page.locator("#public-url").get_attribute("href").rsplit("/", 1)[1]
    ctx = browser.new_context(java_script_enabled=False)
    try:
        visitor = ctx.new_page()
        visitor.goto(f"{product['edge_url']}/p/{slug}")
        picture = visitor.get_by_role("img", name="The harbour at dawn")
        expect(picture).to_have_attribute("src", re.compile(r"^/m/[0-9a-f-]{36}/original$"))
        # Loaded from the edge under the page's CSP (read by Playwright, not by the page).
        eventually(lambda: picture.evaluate("i => i.complete && i.naturalWidth > 0"))
    finally:
        ctx.close()
