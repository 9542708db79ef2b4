"""Issue 11's content blocks: validation in plain words naming block and field, rendering
with uploaded media (responsive images, native players, a download with its size), prices,
a coupon code selectable without script, and the CSP growing only by what the media needs."""

import datetime as dt
import re

import pytest

from qrapp.core.pages.content_blocks import format_price
from qrapp.core.pages.document import DocumentError, new_block, parse_document
from qrapp.core.pages.media import MediaRef
from qrapp.core.pages.render import missing_media, render_page, render_preview
from qrapp.core.pages.starters import starter
from tests.unit.test_page_render import XSS, Tree, assert_inert

SLUG = "menu"
PHOTO = MediaRef(
    asset_id="ph1",
    kind="image",
    url="/m/ph1/original.jpg",
    content_type="image/jpeg",
    filename="pasta.jpg",
    size=120_000,
    width=1600,
    height=1200,
    srcset=(("/m/ph1/w480.webp", 480), ("/m/ph1/w960.webp", 960)),
)
CLIP = MediaRef("vid1", "video", "/m/vid1/original.mp4", "video/mp4", "tour.mp4", 9_000_000,
                1280, 720, poster_url="/m/vid1/poster.jpg")  # fmt: skip
SONG = MediaRef("aud1", "audio", "/m/aud1/original.mp3", "audio/mpeg", "jingle.mp3", 3_100_000)
PDF = MediaRef("pdf1", "pdf", "/m/pdf1/original.pdf", "application/pdf", "menu.pdf", 2_400_000)
MEDIA = {r.asset_id: r for r in (PHOTO, CLIP, SONG, PDF)}


def _doc(*blocks):
    return parse_document({"settings": {"title": "Content"}, "blocks": list(blocks)})


def _block(type_key, **props):
    block = new_block(type_key)
    block["props"].update(props)
    return block


def _raw_doc(*blocks):
    return {"settings": {"title": "Content"}, "blocks": list(blocks)}


def test_every_new_block_starts_valid_and_renders_inert_with_media():
    doc = _doc(
        _block("gallery", images=[{"id": "a", "asset_id": "ph1", "alt": "Pasta"}]),
        _block("video_file", asset_id="vid1", title="The kitchen"),
        _block("audio", asset_id="aud1", title="Our jingle"),
        _block("file", asset_id="pdf1", label="Download the menu"),
        new_block("coupon"),
        _block("product", images=[{"id": "p", "asset_id": "ph1", "alt": "Mug"}],
               buy_url="https://shop.example.com/mug"),
        new_block("menu"),
    )  # fmt: skip
    page = render_page(doc, slug=SLUG, media=MEDIA)
    assert_inert(page, slug=SLUG)
    assert missing_media(doc, MEDIA) is None
    tree = Tree(page.html)
    video = next(a for t, a in tree.tags if t == "video")
    assert video["src"] == "/m/vid1/original.mp4"
    assert video["poster"] == "/m/vid1/poster.jpg"
    assert video["preload"] == "metadata"
    assert "controls" in video
    audio = next(a for t, a in tree.tags if t == "audio")
    assert audio["src"] == "/m/aud1/original.mp3"
    assert "controls" in audio
    img = next(a for t, a in tree.tags if t == "img")
    assert img["srcset"] == "/m/ph1/w480.webp 480w, /m/ph1/w960.webp 960w"
    assert img["alt"] == "Pasta"
    assert img["width"] == "1600"
    download = next(a for t, a in tree.tags if t == "a" and a.get("download") == "menu.pdf")
    assert download["href"] == "/m/pdf1/original.pdf"
    assert "PDF, 2.4 MB" in page.html
    assert page.clicks[doc.blocks[5].id] == "https://shop.example.com/mug"
    # the media is ours (the edge serves /m/...), so 'self', and nothing for script
    assert "img-src 'self'" in page.csp
    assert "media-src 'self'" in page.csp
    assert "script-src" not in page.csp
    assert "<script" not in page.html
    assert "default-src 'none'" in page.csp
    assert "frame-ancestors 'none'" in page.csp


def test_csp_is_unchanged_for_pages_without_media():
    doc = _doc(new_block("coupon"), new_block("menu"), new_block("product"))
    csp = render_page(doc, slug=SLUG).csp
    assert "img-src" not in csp
    assert "media-src" not in csp
    assert re.fullmatch(
        r"default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; "
        r"base-uri 'none'; frame-ancestors 'none'",
        csp,
    )


def test_media_on_another_host_is_allowed_by_its_origin_only():
    remote = MediaRef("ph1", "image", "https://cdn.example.net/m/ph1", "image/png", "a.png", 10)
    doc = _doc(_block("gallery", images=[{"id": "a", "asset_id": "ph1", "alt": "A"}]))
    assert (
        "img-src https://cdn.example.net;" in render_page(doc, slug=SLUG, media={"ph1": remote}).csp
    )


def test_a_block_whose_asset_is_missing_renders_nothing_and_publish_is_refused_by_name():
    doc = _doc(
        new_block("heading"),
        _block("video_file", asset_id="gone"),
        _block("gallery", images=[{"id": "a", "asset_id": "ph1", "alt": "A"},
                                  {"id": "b", "asset_id": "", "alt": "B"}]),
    )  # fmt: skip
    html = render_preview(doc, MEDIA)
    assert "<video" not in html
    assert html.count("<img") == 1  # the chosen picture shows, the empty slot does not
    assert missing_media(doc, MEDIA) == (
        "Block 2 (Video file), Video file (MP4): the chosen file is no longer in this "
        "workspace's media; choose another, or remove the block."
    )
    only_gallery = _doc(doc.blocks[2].model_dump(mode="json"))
    assert missing_media(only_gallery, MEDIA) == (
        "Block 1 (Image gallery), Images, item 2, Image: choose a file (upload one or pick "
        "one from your media), or remove the block."
    )
    wrong_kind = _doc(_block("audio", asset_id="vid1"))
    assert "the chosen file is not an audio" in (missing_media(wrong_kind, MEDIA) or "")
    # a file download takes any kind of file
    assert missing_media(_doc(_block("file", asset_id="ph1")), MEDIA) is None


def test_the_image_block_takes_an_upload_or_an_address():
    uploaded = _doc(_block("image", src="", asset_id="ph1", alt="Our shop"))
    page = render_page(uploaded, slug=SLUG, media=MEDIA)
    assert 'srcset="/m/ph1/w480.webp 480w' in page.html
    assert "img-src 'self'" in page.csp
    assert "images.example.com" not in page.csp
    gone = render_page(uploaded, slug=SLUG)
    assert "<figure" not in gone.html
    assert "(Image), Uploaded image: the chosen file is no longer" in missing_media(uploaded, {})
    by_address = _doc(new_block("image"))
    assert missing_media(by_address, {}) is None
    with pytest.raises(DocumentError) as err:
        parse_document(_raw_doc(_block("image", src="", asset_id="", alt="x")))
    assert err.value.message == (
        "Block 1 (Image): Give an image address or choose an uploaded image."
    )


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (_block("coupon", code=""), "Block 1 (Coupon), Code: This field is required."),
        (_block("coupon", code="TWO WORDS"), "Block 1 (Coupon), Code: Not in the expected format."),
        (_block("coupon", expires="31/12"), "Block 1 (Coupon), Valid until:"),
        (_block("product", price=-1), "Block 1 (Product), Price: Input should be greater than"),
        (_block("product", currency="XXX"), "Block 1 (Product), Currency: Choose one of"),
        (_block("product", buy_url="javascript:alert(1)"),
         "Block 1 (Product), Buy link or payment link: Links may only be web addresses"),
        (_block("gallery", images=[{"id": "a", "asset_id": "ph1", "alt": ""}]),
         "Block 1 (Image gallery), Images, item 1, Alternative text: This field is required."),
        (_block("video_file", asset_id="../../etc/passwd"),
         "Block 1 (Video file), Video file (MP4): Not in the expected format."),
        (_block("menu", sections=[{"id": "s", "title": "Mains", "items": [
            {"id": "i", "name": "Soup", "tags": "vegan, raw"}]}]),
         "Block 1 (Menu), Sections, item 1, Dishes, item 1, Dietary tags: Unknown tag “raw”"),
        (_block("menu", sections=[{"id": "s", "title": "", "items": []}]),
         "Block 1 (Menu), Sections, item 1, Section: This field is required."),
    ],
)  # fmt: skip
def test_bad_props_get_a_message_naming_block_and_field(block, message):
    with pytest.raises(DocumentError) as err:
        parse_document(_raw_doc(block))
    assert err.value.message.startswith(message), err.value.message


def test_prices_are_minor_units_formatted_per_currency():
    assert format_price(1250, "EUR") == "€12.50"
    assert format_price(12900, "SEK") == "129.00 kr"
    assert format_price(1200, "JPY") == "¥1\u202f200"
    assert format_price(123456789, "USD") == "$1\u202f234\u202f567.89"
    doc = _doc(_block("menu", currency="GBP", sections=[{"id": "s", "title": "Drinks", "items": [
        {"id": "t", "name": "Tea", "price": 250, "tags": "vegan, gluten-free"},
        {"id": "w", "name": "Water"}]}]))  # fmt: skip
    html = render_page(doc, slug=SLUG).html
    assert '<span>Tea</span><span class="price">£2.50</span>' in html
    assert "<span>Vegan</span><span>Gluten-free</span>" in html
    assert '<p class="dish"><span>Water</span></p>' in html  # no price, none shown
    assert doc.blocks[0].props.sections[0].items[0].tags == ["vegan", "gluten_free"]


def test_the_coupon_code_is_selectable_text_and_its_expiry_is_shown():
    doc = _doc(_block("coupon", code=" spring20 ", expires="2026-12-31", terms="One per visit."))
    assert doc.blocks[0].props.code == "SPRING20"
    page = render_page(doc, slug=SLUG, now=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    assert re.search(r'<code class="code" tabindex="0"[^>]*>SPRING20</code>', page.html)
    css = Tree(page.html).styles[0]
    assert ".code{" in css
    assert "user-select:all" in css
    assert '<time datetime="2026-12-31">31 December 2026</time>' in page.html
    assert "One per visit." in page.html


@pytest.mark.parametrize("payload", XSS)
def test_text_in_the_new_blocks_is_escaped(payload):
    text = payload[:80]
    doc = _doc(
        _block("gallery", title=text, images=[{"id": "a", "asset_id": "ph1", "alt": payload,
                                               "caption": text}]),
        _block("video_file", asset_id="vid1", title=text),
        _block("file", asset_id="pdf1", label=text, description=payload),
        _block("coupon", title=text, terms=payload),
        _block("product", name=text, description=payload, button_label=text[:60],
               images=[{"id": "p", "asset_id": "ph1", "alt": payload}],
               buy_url="https://shop.example.com"),
        _block("menu", title=text, note=payload, sections=[{"id": "s", "title": text, "items": [
            {"id": "i", "name": text, "description": payload}]}]),
    )  # fmt: skip
    page = render_page(doc, slug=SLUG, media=MEDIA)
    assert_inert(page, slug=SLUG)
    if "<" in payload:
        assert "&lt;" in page.html


@pytest.mark.parametrize(
    ("key", "block_type", "shows"),
    [
        ("restaurant_menu", "menu", '<span>Burrata</span><span class="price">€12.00</span>'),
        ("product", "product", '<p class="price">€199.00</p>'),
        ("coupon", "coupon", ">SPRING20</code>"),
    ],
)
def test_starters_use_the_content_blocks_and_publish_without_media(key, block_type, shows):
    doc = parse_document(starter(key).document())
    assert block_type in [b.type for b in doc.blocks]
    assert missing_media(doc, {}) is None  # a page made from it can go live at once
    page = render_page(doc, slug=SLUG)
    assert shows in page.html
    assert_inert(page, slug=SLUG)
