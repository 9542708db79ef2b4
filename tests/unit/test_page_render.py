"""The page renderer: every block renders, the output holds no active content whatever the
author typed, links go through the edge, downloads are real vCard / iCalendar files.

Over 400 lines: one case or more per block type, beside the renderer's shared checks.
"""

import base64
import datetime as dt
import hashlib
import re
from html.parser import HTMLParser

import pytest

from qrapp.core.pages.blocks import REGISTRY
from qrapp.core.pages.colours import contrast_warnings
from qrapp.core.pages.document import PageDocument, Theme, new_block, parse_document
from qrapp.core.pages.render import render_page, render_preview
from qrapp.core.pages.starters import STARTERS, starter

SLUG = "spring-sale"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


class Tree(HTMLParser):
    """Every start tag with its attributes, and the text of <style> elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)

    def attrs(self, name: str) -> list[str]:
        return [a[name] or "" for _, a in self.tags if name in a]


# Icons are our own inline SVG; these are every element the renderer may emit.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "style", "body", "main", "h1", "h2", "h3", "p",
    "div", "span", "section", "a", "ul", "ol", "li", "b", "strong", "i", "em", "br", "figure",
    "img", "hr", "table", "tr", "th", "td", "time", "small", "svg", "path", "rect", "circle",
    "code", "video", "audio", "figcaption",
    "form", "input", "label", "textarea", "button",  # the lead form's own, posting to us
}  # fmt: skip
MEDIA_PATH = r"/m/[A-Za-z0-9_-]+/[A-Za-z0-9_.-]+"  # uploaded media, served by the edge


def assert_inert(page, slug=SLUG):
    """No script, frame, form, event handler, inline style or javascript: anywhere; every
    link is ours; the one <style> is the one the CSP hashes."""
    tree = Tree(page.html)
    tags = {tag for tag, _ in tree.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for tag, attrs in tree.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("style", "srcdoc", "formaction", "xlink:href"), name
            if name == "action":  # only a lead form, posting to the edge's own route
                assert tag == "form", tag
                assert re.fullmatch(rf"/p/{slug}/f/[A-Za-z0-9_-]+", value or ""), value
            if name in ("href", "src"):  # text attributes (alt, content) may say anything
                assert "javascript:" not in (value or "").lower(), (tag, name)
        if tag == "svg":
            assert attrs.get("class") == "i"
    for href in tree.attrs("href"):
        assert re.fullmatch(rf"/p/{slug}/[cd]/[A-Za-z0-9_-]+|{MEDIA_PATH}", href), href
    for src in tree.attrs("src") + tree.attrs("poster"):
        assert src.startswith("https://") or re.fullmatch(MEDIA_PATH, src), src
    assert len(tree.styles) == 1
    assert page.html.lower().count("</style") == 1
    digest = base64.b64encode(hashlib.sha256(tree.styles[0].encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in page.csp
    for target in page.clicks.values():
        for url in target.values() if isinstance(target, dict) else [target]:
            assert re.match(r"^(https?:|mailto:|tel:)", url), url


def every_block_document(text: str = "", html: str = "") -> PageDocument:
    blocks = [new_block(key) for key in REGISTRY]
    raw = {"settings": {"title": text or "All blocks"}, "blocks": blocks}
    if text:
        raw["settings"]["seo"] = {"description": text}
        fill = {
            "heading": ["text"],
            "image": ["alt"],
            "button": ["label"],
            "video": ["title"],
            "contact": ["name", "title", "org", "address", "button_label"],
            "opening_hours": ["title", "note"],
            "map": ["label", "address"],
            "event": ["title", "place", "description", "button_label"],
            "app_store": ["label"],
            "gallery": ["title"],
            "video_file": ["title"],
            "audio": ["title"],
            "file": ["label", "description"],
            "coupon": ["title", "terms"],
            "product": ["name", "description", "button_label"],
            "menu": ["title", "note"],
            "lead_form": ["title", "intro", "consent_text", "submit_label", "thank_you"],
        }
        for block in blocks:
            for name in fill.get(block["type"], []):
                field = REGISTRY[block["type"]].props_model.model_fields[name]
                limit = next(m.max_length for m in field.metadata if hasattr(m, "max_length"))
                block["props"][name] = text[:limit]
            if block["type"] == "link_list":
                block["props"]["items"][0]["label"] = text
            if block["type"] == "menu":
                section = block["props"]["sections"][0]
                section["title"], section["items"][0]["name"] = text[:80], text[:120]
                section["items"][0]["description"] = text[:300]
    if html:
        next(b for b in blocks if b["type"] == "rich_text")["props"]["html"] = html
    return parse_document(raw)


def test_every_block_renders_a_complete_document():
    page = render_page(every_block_document(), slug=SLUG, now=NOW)
    assert page.html.startswith('<!doctype html>\n<html lang="en">')
    assert page.html.rstrip().endswith("</html>")
    assert "<main>" in page.html
    assert "<script" not in page.html
    assert_inert(page)
    tree = Tree(page.html)
    assert [t for t, _ in tree.tags].count("h1") == 1
    # every block type left its mark
    for marker in (
        'class="text',
        "<figure",
        'class="btn',
        'class="links"',
        'class="social"',
        'class="video"',
        "<hr",
        'class="sp-',
        'class="card contact"',
        'class="card hours"',
        'class="card map"',
        'class="card event"',
        'class="apps"',
        'class="card coupon"',
        'class="card product"',
        'class="menu"',
    ):
        assert marker in page.html, marker


def test_csp_etag_and_preview():
    doc = every_block_document()
    page = render_page(doc, slug=SLUG, now=NOW)
    for part in (
        "default-src 'none'",
        "img-src https://images.example.com",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ):
        assert part in page.csp
    assert "unsafe-inline" not in page.csp
    assert "script-src" not in page.csp
    assert re.fullmatch(r'"[0-9a-f]{32}"', page.etag)
    assert render_page(doc, slug=SLUG, now=NOW).etag == page.etag
    other = doc.model_copy(update={"settings": doc.settings.model_copy(update={"title": "B"})})
    assert render_page(other, slug=SLUG, now=NOW).etag != page.etag
    preview = render_preview(doc)
    assert preview.replace("/p/preview/", f"/p/{SLUG}/") == page.html
    no_images = parse_document({"settings": {"title": "x"}, "blocks": [new_block("button")]})
    assert "img-src" not in render_page(no_images, slug=SLUG).csp


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "<svg onload=alert(1)><animate onbegin=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>">',
    '<form action="https://evil.example"><button>Go</button></form>',
    "</style><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    'x" onmouseover="alert(1)" y="',
    "x' onfocus='alert(1)' autofocus '",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "javascript:alert(1)",
    "{{ 7*7 }}{% if 1 %}jinja{% endif %}",
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_every_text_prop_and_the_rich_text_stays_inert(payload):
    page = render_page(every_block_document(text=payload, html=payload), slug=SLUG, now=NOW)
    assert_inert(page)
    if "<" in payload:
        assert "&lt;" in page.html  # shown as text, not dropped silently from plain props
    if "{{" in payload:
        assert '<h1 class="center">{{ 7*7 }}{% if 1 %}jinja{% endif %}</h1>' in page.html
    # the document as stored holds no active content either
    stored = Tree(every_block_document(text=payload, html=payload).blocks[1].props.html)
    for tag, attrs in stored.tags:
        assert tag in {"p", "a", "b", "strong", "i", "em", "ul", "ol", "li", "br"}, tag
        assert set(attrs) <= {"href", "rel"}, attrs
    assert all(h.startswith("https://") for h in stored.attrs("href"))


@pytest.mark.parametrize(
    "bad_url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", "vbscript:x"],
)
def test_links_accept_only_http_https_mailto_tel(bad_url):
    cases = [
        ("button", {"label": "x", "url": bad_url}),
        ("image", {"src": bad_url, "alt": "x"}),
        ("image", {"src": "https://a.example/x.png", "alt": "x", "link": bad_url}),
        ("link_list", {"items": [{"id": "a", "label": "x", "url": bad_url}]}),
        ("social_icons", {"items": [{"id": "a", "network": "website", "url": bad_url}]}),
        ("contact", {"name": "x", "website": bad_url}),
        ("app_store", {"other_url": bad_url}),
        ("video", {"url": bad_url}),
    ]
    for type_key, props in cases:
        raw = {
            "settings": {"title": "x"},
            "blocks": [{"id": "b", "type": type_key, "props": props}],
        }
        with pytest.raises(ValueError, match="Block 1"):
            parse_document(raw)


def test_rich_text_is_cleaned_again_at_render_and_its_links_counted():
    doc = parse_document({"settings": {"title": "x"}, "blocks": [new_block("rich_text")]})
    # A document stored before today's allowlist (or written around the service).
    dirty = (
        '<p>Hi <a href="https://shop.example/">shop</a> <a href="javascript:x">j</a></p>'
        "<script>x</script>"
    )
    doc.blocks[0].props.__dict__["html"] = dirty
    page = render_page(doc, slug=SLUG)
    assert_inert(page)
    block_id = doc.blocks[0].id
    assert page.clicks == {f"{block_id}-l1": "https://shop.example/"}
    assert f'<a href="/p/{SLUG}/c/{block_id}-l1"' in page.html


def test_a_colour_that_got_past_validation_is_not_written_into_css():
    doc = every_block_document()
    theme = Theme.model_construct(background="red;}</style><script>alert(1)</script>")
    settings = doc.settings.model_copy(update={"theme": theme})
    with pytest.raises(ValueError, match="colour"):
        render_page(doc.model_copy(update={"settings": settings}), slug=SLUG)


def test_bad_slug_is_refused():
    with pytest.raises(ValueError, match="slug"):
        render_page(every_block_document(), slug="../x")


def _one(type_key, **props):
    return parse_document(
        {"settings": {"title": "x"}, "blocks": [{"id": "b1", "type": type_key, "props": props}]}
    )


def test_contact_card_download_is_the_engines_vcard():
    doc = _one(
        "contact",
        name="Ann-Marie Lee",
        title="Chef",
        org="Blue Cafe, Ltd",
        phone="+46 70 123 45 67",
        email="ann@cafe.example",
        website="cafe.example",
        address="Main St 1; Springfield",
    )
    page = render_page(doc, slug=SLUG)
    vcf = page.downloads["b1"]
    assert vcf["filename"] == "ann-marie-lee.vcf"
    assert vcf["content_type"] == "text/vcard; charset=utf-8"
    lines = vcf["body"].split("\r\n")
    assert lines[:2] == ["BEGIN:VCARD", "VERSION:3.0"]
    for line in (
        "N:Lee;Ann-Marie;;;",
        "FN:Ann-Marie Lee",
        "ORG:Blue Cafe\\, Ltd",
        "TITLE:Chef",
        "TEL;TYPE=CELL:+46701234567",
        "EMAIL;TYPE=INTERNET:ann@cafe.example",
        "URL:https://cafe.example",
        "ADR:;;Main St 1\\; Springfield;;;;",
        "END:VCARD",
    ):
        assert line in lines, line
    assert f'href="/p/{SLUG}/d/b1" download' in page.html
    assert page.clicks["b1-phone"] == "tel:+46701234567"
    assert page.clicks["b1-email"] == "mailto:ann@cafe.example"
    assert page.clicks["b1-web"] == "https://cafe.example"


def test_event_download_is_a_calendar_file_in_utc():
    doc = _one(
        "event",
        title="Wine tasting; reds",
        start="2027-06-12T19:00",
        end="2027-06-12T22:30",
        timezone="Europe/Stockholm",
        place="Blue Cafe, Main St 1",
        description="Line 1\nLine 2",
    )
    page = render_page(doc, slug=SLUG, now=NOW)
    ics = page.downloads["b1"]
    assert ics["filename"] == "wine-tasting-reds.ics"
    assert ics["content_type"] == "text/calendar; charset=utf-8"
    lines = ics["body"].split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2:] == ["END:VCALENDAR", ""]
    for line in (
        "VERSION:2.0",
        "BEGIN:VEVENT",
        f"UID:{SLUG}-b1@pages.qrapp",
        "DTSTAMP:20261130T120000Z",
        "SUMMARY:Wine tasting\\; reds",
        "DTSTART:20270612T170000Z",
        "DTEND:20270612T203000Z",
        "LOCATION:Blue Cafe\\, Main St 1",
        "DESCRIPTION:Line 1\\nLine 2",
        "END:VEVENT",
    ):
        assert line in lines, line
    assert "Saturday 12 June 2027, 19:00\u201322:30" in page.html
    assert "(Europe/Stockholm)" in page.html


def test_app_buttons_carry_per_os_urls():
    ios = "https://apps.apple.com/app/id123456789"
    play = "https://play.google.com/store/apps/details?id=com.example"
    page = render_page(_one("app_store", app_store_url=ios, google_play_url=play), slug=SLUG)
    assert page.clicks["b1"] == {"ios": ios, "android": play, "other": ios}
    assert page.clicks["b1-ios"] == ios
    assert page.clicks["b1-android"] == play
    only_play = render_page(_one("app_store", google_play_url=play), slug=SLUG)
    assert only_play.clicks["b1"] == {"ios": play, "android": play, "other": play}
    assert "App Store" not in only_play.html


def test_map_links_to_the_maps_apps_without_tiles():
    page = render_page(_one("map", label="Blue Cafe", address="Main St 1, Springfield"), slug=SLUG)
    target = page.clicks["b1"]
    assert target["ios"] == "https://maps.apple.com/?q=Main+St+1%2C+Springfield"
    assert target["android"].startswith("https://www.google.com/maps/search/?api=1&query=Main")
    coords = render_page(_one("map", lat=59.33, lng=18.06, app="google"), slug=SLUG)
    assert coords.clicks["b1"] == "https://www.google.com/maps/search/?api=1&query=59.33%2C18.06"
    apple = render_page(_one("map", label="Blue", lat=59.33, lng=18.06, app="apple"), slug=SLUG)
    assert apple.clicks["b1"] == "https://maps.apple.com/?ll=59.33%2C18.06&q=Blue"
    assert "<img" not in page.html


def test_video_is_a_poster_that_loads_nothing():
    page = render_page(_one("video", url="https://youtu.be/aqz-KE-bpKQ", title="Tour"), slug=SLUG)
    assert page.clicks["b1"] == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    assert "iframe" not in page.html
    assert "ytimg" not in page.html
    assert "youtube.com" not in page.html.replace(">YouTube<", "")
    assert "img-src" not in page.csp


def test_headings_one_h1_then_steps_down():
    doc = parse_document(
        {
            "settings": {"title": "T"},
            "blocks": [
                {"id": "a", "type": "heading", "props": {"text": "First", "level": 2}},
                {"id": "b", "type": "heading", "props": {"text": "Again", "level": 1}},
                {"id": "c", "type": "heading", "props": {"text": "Small", "level": 3}},
            ],
        }
    )
    html = render_page(doc, slug=SLUG).html
    assert '<h1 class="center">First</h1>' in html
    assert '<h2 class="center">Again</h2>' in html
    assert '<h3 class="center">Small</h3>' in html
    no_heading = render_page(_one("divider"), slug=SLUG).html
    assert '<h1 class="vh">x</h1>' in no_heading


def test_low_contrast_theme_is_corrected():
    doc = every_block_document()
    theme = Theme(background="#ffffff", text="#eeeeee", accent="#ffff00")
    doc = doc.model_copy(update={"settings": doc.settings.model_copy(update={"theme": theme})})
    css = Tree(render_page(doc, slug=SLUG).html).styles[0]
    assert "--fg:#111111" in css
    assert "--on-accent:#111111" in css
    assert "--link:#111111" in css


def test_css_is_not_html_escaped():
    # An escaped quote (&#34;) in the font stack drops the whole declaration: Times everywhere.
    css = Tree(render_page(every_block_document(), slug=SLUG).html).styles[0]
    assert 'font:17px/1.5 system-ui,-apple-system,"Segoe UI",' in css
    assert "&#" not in css


@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.key)
def test_every_starter_is_valid_and_renders_inert(starter):
    raw = starter.document()
    assert parse_document(raw).model_dump(mode="json") == raw
    page = render_page(parse_document(raw), slug=SLUG)
    assert_inert(page)
    assert page.clicks
    assert [tag for tag, _ in Tree(page.html).tags].count("h1") == 1


def test_starters_list():
    keys = [s.key for s in STARTERS]
    assert keys == [
        "link_in_bio", "restaurant_menu", "business_card", "event", "product", "coupon",
        "app_download",
    ]  # fmt: skip
    assert starter("coupon").name == "Coupon"
    with pytest.raises(KeyError):
        starter("nope")


def test_link_in_bio_is_under_30_kb():
    page = render_page(parse_document(starter("link_in_bio").document()), slug=SLUG)
    assert len(page.html.encode("utf-8")) < 30_000
    # and a big page stays reasonable too: all fourteen block types
    assert len(render_page(every_block_document(), slug=SLUG).html.encode()) < 30_000


def test_starter_pages_can_be_written_for_screenshots(tmp_path):
    from scripts.page_starters import write_pages

    paths = write_pages(tmp_path)
    assert sorted(p.stem for p in paths) == sorted(s.key for s in STARTERS)
    assert all(p.read_text().startswith("<!doctype html>") for p in paths)


def test_boxed_heading_for_a_coupon_code():
    doc = _one("heading", text="SPRING20", style="boxed")
    assert '<h1 class="center boxed">SPRING20</h1>' in render_page(doc, slug=SLUG).html


def test_contrast_warnings_explain_the_corrections():
    assert contrast_warnings(Theme()) == []
    warnings = contrast_warnings(Theme(background="#ffffff", text="#eeeeee", accent="#ffff00"))
    assert len(warnings) == 2
    assert "text colour is hard to read" in warnings[0]
    assert "button colour is faint" in warnings[1]
