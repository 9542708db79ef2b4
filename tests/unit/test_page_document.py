"""The page document: every block type validates, round-trips, and bad input is refused
with a message that names the block (number and type) and the field."""

import copy
import typing

import pytest

from qrapp.core.pages import blocks
from qrapp.core.pages.document import (
    DocumentError,
    PageDocument,
    blank_document,
    new_block,
    parse_document,
)
from qrapp.core.pages.sanitize import clean_rich_text, safe_link


def _doc(*blocks, **settings):
    return {"settings": {"title": "Page", **settings}, "blocks": list(blocks)}


def _block(type_key, block_id="b1", **props):
    return {"id": block_id, "type": type_key, "props": props}


def _error(raw) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        parse_document(raw)
    return caught.value


def test_registry_and_union_list_the_same_types():
    union = typing.get_args(typing.get_args(blocks.Block)[0])
    keys = {typing.get_args(m.model_fields["type"].annotation)[0] for m in union}
    assert keys == set(blocks.REGISTRY)
    for model in union:
        key = typing.get_args(model.model_fields["type"].annotation)[0]
        assert model.model_fields["props"].annotation is blocks.REGISTRY[key].props_model


@pytest.mark.parametrize("type_key", list(blocks.REGISTRY))
def test_every_new_block_is_valid_and_round_trips(type_key):
    block = new_block(type_key)
    assert set(block) == {"id", "type", "props"}
    assert block["type"] == type_key
    doc = parse_document(_doc(block))
    stored = doc.model_dump(mode="json")
    assert parse_document(stored) == doc
    assert PageDocument.model_validate(stored) == doc
    assert stored["blocks"][0]["props"] == block["props"]


def test_blank_document_and_fresh_ids():
    raw = blank_document("Spring sale")
    doc = parse_document(raw)
    assert doc.settings.title == "Spring sale"
    assert doc.blocks[0].type == "heading"
    assert doc.blocks[0].props.text == "Spring sale"
    ids = {new_block("button")["id"] for _ in range(200)}
    assert len(ids) == 200
    a, b = new_block("link_list"), new_block("link_list")
    assert a["props"]["items"][0]["id"] != b["props"]["items"][0]["id"]
    with pytest.raises(KeyError):
        new_block("carousel")


@pytest.mark.parametrize(
    ("raw", "expected", "block", "field"),
    [
        (_doc(_block("carousel")), "Block 1: unknown block type “carousel”", 1, "type"),
        (
            _doc(_block("heading", text="a"), {"id": "x", "props": {}}),
            "Block 2 has no type",
            2,
            "type",
        ),
        (
            _doc(_block("button", label="Go", url="https://a.se", colour="red")),
            "Block 1 (Button): unknown field “colour”",
            1,
            "colour",
        ),
        (
            _doc(_block("button", label="Go", url="javascript:alert(1)")),
            "Block 1 (Button), Link: Links may only be web addresses",
            1,
            "url",
        ),
        (
            _doc(_block("heading", text="a"), _block("heading", "b2", text="b", level=7)),
            "Block 2 (Heading), Level: Choose one of 1, 2 or 3",
            2,
            "level",
        ),
        (
            _doc(_block("link_list", items=[{"id": "x", "label": "a", "url": "JaVaScRiPt:x"}])),
            "Block 1 (Link list), Links, item 1, Link: Links may only be",
            1,
            "items.0.url",
        ),
        (
            _doc(_block("image", src="http://a.se/x.png", alt="A")),
            "Block 1 (Image), Image address: Use an https:// address",
            1,
            "src",
        ),
        (
            _doc(_block("image", src="https://a.se/x.png")),
            "Block 1 (Image), Alternative text: This field is required",
            1,
            "alt",
        ),
        (
            _doc(_block("video", url="https://evil.example/v")),
            "Block 1 (Video), Video link: Paste a YouTube or Vimeo video link",
            1,
            "url",
        ),
        (_doc(_block("map")), "Block 1 (Map): Give an address or coordinates", 1, ""),
        (
            _doc(_block("event", title="x", start="2027-01-01T10:00", end="2027-01-01T09:00")),
            "Block 1 (Event): The event must end after it starts",
            1,
            "",
        ),
        (
            _doc(_block("event", title="x", start="2027-01-01T10:00", timezone="Mars/Base")),
            "Block 1 (Event), Time zone: Unknown time zone",
            1,
            "timezone",
        ),
        (
            _doc(_block("contact", name="A", phone="070 123")),
            "Block 1 (Contact card), Phone: Use international format",
            1,
            "phone",
        ),
        (
            _doc(_block("app_store", google_play_url="https://evil.example/app")),
            "Block 1 (App buttons), Google Play link: Use the app's Google Play link",
            1,
            "google_play_url",
        ),
        (
            _doc(_block("social_icons", items=[{"id": "s", "network": "myspace", "handle": "a"}])),
            "Block 1 (Social icons), Profiles, item 1, Network: Choose one of",
            1,
            "items.0.network",
        ),
        (
            _doc(_block("opening_hours", days=[{"day": "mon"}, {"day": "mon"}])),
            "Block 1 (Opening hours): Monday is listed twice",
            1,
            "",
        ),
        (
            _doc(_block("heading", text="a"), _block("heading", text="b")),
            "Block 2 (Heading) has the same id as another block",
            2,
            "id",
        ),
        (
            _doc(theme={"background": "red;}</style><script>alert(1)</script>"}),
            "Page settings, Theme, Background colour: Use a colour like #1a2b3c",
            None,
            "settings.theme.background",
        ),
        (
            _doc(theme={"font": "Comic Sans"}),
            "Page settings, Theme, Font: Choose one of",
            None,
            "settings.theme.font",
        ),
        (
            _doc(seo={"og_image": "javascript:alert(1)"}),
            "Page settings, SEO, Share image: Use an https:// image address",
            None,
            "settings.seo.og_image",
        ),
        (
            {"settings": {"title": ""}, "blocks": []},
            "Page settings, Page title: This field is",
            None,
            "settings.title",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_block_and_field(raw, expected, block, field):
    error = _error(raw)
    assert error.message.startswith(expected), error.message
    assert (error.block, error.field) == (block, field)
    assert "Traceback" not in error.message
    assert "pydantic" not in error.message


def test_not_a_document():
    assert "not an object" in _error([]).message
    assert "unknown key “extra”" in _error({**_doc(), "extra": 1}).message
    assert "at most 100 blocks" in _error(_doc(*[new_block("divider")] * 101)).message


def test_rich_text_is_sanitized_on_save():
    html = (
        '<p onclick="x()">Hi <strong>there</strong> <a href="JaVaScRiPt:alert(1)">bad</a>'
        ' <a href="https://ok.example/">ok</a><script>alert(1)</script>'
        '<img src=x onerror=alert(1)><iframe srcdoc="<script>alert(1)</script>"></iframe>'
        '<form action="https://evil.example"><button>go</button></form></p>'
    )
    doc = parse_document(_doc(_block("rich_text", html=html)))
    stored = doc.blocks[0].props.html
    for active in ("script", "onclick", "onerror", "javascript", "iframe", "form", "img"):
        assert active not in stored.lower()
    assert '<a href="https://ok.example/"' in stored
    assert "<strong>there</strong>" in stored


def test_safe_link_allows_only_web_mail_and_phone():
    assert safe_link("example.com") == "https://example.com"
    assert safe_link("mailto:hi@example.com") == "mailto:hi@example.com"
    assert safe_link("tel:+46701234567") == "tel:+46701234567"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:x",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example",
        "file:///etc/passwd",
        "https://a@evil.example",
    ):
        assert safe_link(bad) is None, bad
    assert clean_rich_text('<a href="data:text/html,x">x</a>') == (
        '<a rel="noopener noreferrer nofollow">x</a>'
    )


def test_social_handles_become_links():
    items = [
        {"id": "a", "network": "instagram", "handle": "@cafe.blue"},
        {"id": "b", "network": "mastodon", "handle": "@ann@mastodon.social"},
        {"id": "c", "network": "whatsapp", "handle": "+46 70 123 45 67"},
        {"id": "d", "network": "email", "handle": "hi@cafe.example"},
        {"id": "e", "network": "website", "url": "cafe.example"},
    ]
    doc = parse_document(_doc(_block("social_icons", items=items)))
    hrefs = [item.href for item in doc.blocks[0].props.items]
    assert hrefs == [
        "https://www.instagram.com/cafe.blue",
        "https://mastodon.social/@ann",
        "https://wa.me/46701234567",
        "mailto:hi@cafe.example",
        "https://cafe.example",
    ]
    bad = copy.deepcopy(items)
    bad[0]["handle"] = "a/b?c"
    assert "letters, digits" in _error(_doc(_block("social_icons", items=bad))).message


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://youtu.be/aqz-KE-bpKQ", "https://www.youtube.com/watch?v=aqz-KE-bpKQ"),
        (
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=10",
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        ),
        ("https://m.youtube.com/shorts/aqz-KE-bpKQ", "https://www.youtube.com/watch?v=aqz-KE-bpKQ"),
        ("https://vimeo.com/76979871", "https://vimeo.com/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://vimeo.com/76979871"),
    ],
)
def test_video_links_are_stored_canonical(url, canonical):
    doc = parse_document(_doc(_block("video", url=url)))
    assert doc.blocks[0].props.url == canonical


@pytest.mark.parametrize(
    "html",
    [
        '<p>a &amp; b &lt;x&gt; "q"</p>',
        "<ul><li>x<li>y</ul>",
        "<b><i>x</b></i>",
        '<a href="https://a.example/?x=1&y=2">l</a>',
        '<a href="example.com">x</a><script>alert(1)</script>',
    ],
)
def test_saving_a_saved_document_changes_nothing(html):
    # Autosave sends the stored document back: cleaning must be idempotent, or every save
    # would look like an edit.
    once = parse_document(_doc(_block("rich_text", html=html))).model_dump(mode="json")
    assert parse_document(once).model_dump(mode="json") == once
