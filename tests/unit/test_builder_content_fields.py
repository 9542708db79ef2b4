"""The builder's forms and edits for the content blocks: prices typed as "12.50" and stored
in minor units, dietary tags typed as words, a menu's dishes edited through their section's
own list, asset pickers offering the workspace's files of the right kind."""

from __future__ import annotations

import pytest

from qrapp.core.pages.blocks import REGISTRY
from qrapp.core.pages.document import blank_document, parse_document
from qrapp.state import page_doc_ops as ops
from qrapp.state.page_fields import MISSING_ASSET, NO_ASSET, OptionView, field_views


def _doc_with(type_key: str) -> tuple[dict, str]:
    doc = blank_document("Content")
    block_id = ops.insert_block(doc, type_key, 1)
    return doc, block_id


def _views(doc, block_id, **kwargs):
    blk = ops.block(doc, block_id)
    return {
        v["key"]: v for v in field_views(REGISTRY[blk["type"]].props_model, blk["props"], **kwargs)
    }


def test_menu_dishes_are_a_list_per_section_with_money_and_tags():
    doc, menu = _doc_with("menu")
    views = _views(doc, menu)
    assert views["sections"]["kind"] == "items"
    assert [f["key"] for f in views["sections"]["items"][0]["fields"]] == ["title"]
    dishes = views["sections.0.items"]
    assert dishes["label"] == "Dishes in Mains"
    fields = {f["key"]: f for f in dishes["items"][0]["fields"]}
    assert fields["price"]["kind"] == "money"
    assert fields["price"]["value"] == "14.50"
    assert fields["tags"]["kind"] == "tags"
    assert "Gluten-free" in fields["tags"]["hint"]

    ops.set_item(doc, menu, "sections.0.items", 0, "price", "9,90")
    ops.set_item(doc, menu, "sections.0.items", 0, "tags", "Vegan, gluten-free")
    ops.add_item(doc, menu, "sections")
    ops.set_item(doc, menu, "sections", 1, "title", "Desserts")
    ops.add_item(doc, menu, "sections.1.items")
    ops.set_item(doc, menu, "sections.1.items", 1, "name", "Tiramisù")
    props = parse_document(doc).blocks[1].props
    first = props.sections[0].items[0]
    assert (first.price, first.tags) == (990, ["vegan", "gluten_free"])
    assert [s.title for s in props.sections] == ["Mains", "Desserts"]
    assert [i.name for i in props.sections[1].items] == ["Dish of the day", "Tiramisù"]
    ids = [i.id for s in props.sections for i in s.items] + [s.id for s in props.sections]
    assert len(ids) == len(set(ids))  # copied rows got fresh ids
    assert _views(doc, menu)["sections.1.items"]["label"] == "Dishes in Desserts"

    ops.remove_item(doc, menu, "sections.1.items", 0)
    assert [i.name for i in parse_document(doc).blocks[1].props.sections[1].items] == ["Tiramisù"]


@pytest.mark.parametrize(
    ("key", "sub"),
    [
        ("sections.x.items", "name"),
        ("sections.0", "name"),
        ("sections.0.items.0.tags", "name"),
        ("sections", "items"),  # a list is edited through its own editor
        ("sections.0.items", "id"),
        ("sections.0.nope", "name"),
    ],
)
def test_paths_that_are_not_lists_or_fields_are_refused(key, sub):
    doc, menu = _doc_with("menu")
    before = repr(doc)
    with pytest.raises(ops.EditRefused):
        ops.set_item(doc, menu, key, 0, sub, "x")
    assert repr(doc) == before


def test_product_price_follows_its_currency_and_bad_amounts_get_a_message():
    doc, product = _doc_with("product")
    assert _views(doc, product)["price"]["value"] == "19.00"
    ops.set_prop(doc, product, "currency", "JPY")
    ops.set_prop(doc, product, "price", "1200")
    assert parse_document(doc).blocks[1].props.price == 1200
    assert _views(doc, product)["price"]["value"] == "1200"
    ops.set_prop(doc, product, "price", "12.345")
    with pytest.raises(ValueError, match=r"Block 2 \(Product\), Price: Must be a whole number"):
        parse_document(doc)
    ops.add_item(doc, product, "images")  # no example row: the model's example alt text
    assert ops.block(doc, product)["props"]["images"][0]["alt"] == "Describe the picture"


def test_asset_pickers_offer_the_workspace_files_of_their_kind():
    doc, gallery = _doc_with("gallery")
    assets = {"image": [OptionView(value="a1", label="terrace.jpg")]}
    image_field = _views(doc, gallery, assets=assets)["images"]["items"][0]["fields"][0]
    assert image_field["kind"] == "asset"
    assert image_field["asset"] == "image"
    assert image_field["options"] == [
        {"value": "", "label": NO_ASSET},
        {"value": "a1", "label": "terrace.jpg"},
    ]
    ops.set_item(doc, gallery, "images", 0, "asset_id", "gone")
    options = _views(doc, gallery, assets=assets)["images"]["items"][0]["fields"][0]["options"]
    assert options[-1] == {"value": "gone", "label": MISSING_ASSET}
    doc, video = _doc_with("video_file")
    assert _views(doc, video)["asset_id"]["asset"] == "video"


def test_coupon_expiry_is_a_date_and_terms_a_long_text():
    doc, coupon = _doc_with("coupon")
    views = _views(doc, coupon)
    assert views["expires"]["kind"] == "date"
    assert views["terms"]["kind"] == "textarea"
    ops.set_prop(doc, coupon, "expires", "2027-04-30")
    ops.set_prop(doc, coupon, "code", "spring20")
    props = parse_document(doc).blocks[1].props
    assert str(props.expires) == "2027-04-30"
    assert props.code == "SPRING20"
    ops.set_prop(doc, coupon, "expires", "soon")
    with pytest.raises(ValueError, match=r"Valid until: Must be a date \(YYYY-MM-DD\)"):
        parse_document(doc)


def test_the_web_app_csp_lets_the_builder_preview_show_media_from_the_edge():
    from qrapp.api.security_headers import content_security_policy
    from qrapp.settings import get_settings

    edge = get_settings().edge_url.rstrip("/")
    directives = dict(d.split(" ", 1) for d in content_security_policy().split("; "))
    assert edge in directives["img-src"].split()
    assert directives["media-src"].split() == ["'self'", edge]
    assert "script-src" in directives  # unchanged otherwise: its own scripts only
    assert edge not in directives["script-src"]
