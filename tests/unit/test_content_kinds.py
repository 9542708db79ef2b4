"""Content QR kinds (core.pages.content_kinds): each kind's short form makes a valid page
from its starter; problems name the form field they belong to; dishes and prices are read
the way people type them."""

from __future__ import annotations

import pytest

from qrapp.core.pages.content_kinds import (
    KINDS,
    EssentialsError,
    build_document,
    check_answers,
    get_kind,
)
from qrapp.core.pages.kind_blocks import menu_items, to_minor
from qrapp.core.pages.starters import starter

EXAMPLES = {
    "pdf": {"title": "Price list", "file": "a1"},
    "images": {"title": "Our rooms", "file": "a1, a2"},
    "video": {"title": "Tour", "file": "a1"},
    "mp3": {"title": "Audio guide", "file": "a1"},
    "menu": {"restaurant": "Anna's", "section": "Pasta", "items": "Lasagne, 18, beef ragù"},
    "business_card": {"name": "Ada Lovelace", "email": "ada@example.com"},
    "coupon": {"offer": "20% off", "code": "spring20", "expires": "2027-04-30"},
    "product": {"name": "Mug", "price": "€9.50", "buy_url": "https://shop.example.com/mug"},
    "social": {"name": "Ada", "instagram": "@ada.makes"},
    "app": {"name": "Budget", "app_store_url": "https://apps.apple.com/app/id1"},
    "event_page": {"title": "Jazz night", "start": "2027-06-19T18:00"},
}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_every_kind_builds_a_valid_page_with_its_starters_look(kind):
    doc = build_document(kind, EXAMPLES[kind.key])
    theme = starter(kind.starter).document()["settings"]["theme"]
    assert doc["settings"]["theme"] == theme
    assert doc["blocks"]
    assert doc["settings"]["title"] == next(iter(EXAMPLES[kind.key].values()))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_required_fields_are_named_when_empty(kind):
    required = {f.name for f in kind.fields if f.required}
    assert set(check_answers(kind, {})) >= required


def test_menu_lines_become_a_menu_block_with_prices_in_minor_units():
    doc = build_document(
        get_kind("menu"),
        {**EXAMPLES["menu"], "currency": "SEK", "items": "Tiramisu - 8.50\nWater"},
    )
    menu = next(b for b in doc["blocks"] if b["type"] == "menu")["props"]
    assert menu["currency"] == "SEK"
    items = menu["sections"][0]["items"]
    assert [(i["name"], i.get("price")) for i in items] == [("Tiramisu", 850), ("Water", None)]
    assert menu["sections"][0]["title"] == "Pasta"


def test_dishes_are_read_as_people_type_them():
    assert menu_items("Burrata, €12, basil oil\nDiavola 12 kr\nCalzone | 13 | folded") == [
        ("Burrata", "€12", "basil oil"),
        ("Diavola", "12 kr", ""),
        ("Calzone", "13", "folded"),
    ]
    assert to_minor("€12.50", "EUR") == 1250
    assert to_minor("12,5", "EUR") == 1250
    assert to_minor("1.299,00", "EUR") == 129900
    assert to_minor("1200", "JPY") == 1200
    with pytest.raises(ValueError, match="free"):
        to_minor("free", "EUR")


@pytest.mark.parametrize(
    ("kind", "answers", "field"),
    [
        ("business_card", {"name": "Ada", "phone": "call me"}, "phone"),
        ("coupon", {"offer": "x", "code": "TWO WORDS"}, "code"),
        ("coupon", {"offer": "x", "code": "X", "expires": "2027-13-01"}, "expires"),
        ("product", {"name": "Mug", "price": "1", "buy_url": "javascript:alert(1)"}, "buy_url"),
        ("social", {"name": "Ada"}, "instagram"),
        ("app", {"name": "A", "app_store_url": "https://example.com/app"}, "app_store_url"),
        ("event_page", {"title": "E", "start": "2027-01-01T10:00", "timezone": "Mars/Base"},
         "timezone"),
        ("menu", {**EXAMPLES["menu"], "items": "Soup, 999999999999"}, "items"),
    ],
)  # fmt: skip
def test_problems_name_the_form_field(kind, answers, field):
    with pytest.raises(EssentialsError) as caught:
        build_document(get_kind(kind), answers)
    assert list(caught.value.errors) == [field]
    assert not caught.value.errors[field].startswith("Block")


def test_text_is_escaped_not_interpreted():
    doc = build_document(
        get_kind("social"), {"name": "<b>Ada</b>", "bio": "<script>x</script>", "x": "ada"}
    )
    bio = next(b for b in doc["blocks"] if b["id"] == "bio")["props"]["html"]
    assert "<script>" not in bio
    assert "&lt;script&gt;" in bio
