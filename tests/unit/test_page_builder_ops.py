"""The builder's document edits and generated forms: what the browser may send is checked,
and a refused edit leaves the document as it was."""

from __future__ import annotations

import pytest

from qrapp.core.pages.blocks import REGISTRY
from qrapp.core.pages.document import PageSettings, blank_document, parse_document
from qrapp.state import page_doc_ops as ops
from qrapp.state import page_fields


def _doc(*types: str) -> dict:
    doc = blank_document("Spring")
    for t in types:
        ops.insert_block(doc, t, len(doc["blocks"]))
    return doc


def _types(doc: dict) -> list[str]:
    return [b["type"] for b in doc["blocks"]]


def test_insert_at_a_position_and_clamped():
    doc = _doc("button", "divider")
    ops.insert_block(doc, "image", 1)
    assert _types(doc) == ["heading", "image", "button", "divider"]
    ops.insert_block(doc, "spacer", 99)
    assert _types(doc)[-1] == "spacer"
    parse_document(doc)  # still a valid document


def test_unknown_block_type_and_bad_index_are_refused():
    doc = _doc()
    with pytest.raises(ops.EditRefused, match="no such block type"):
        ops.insert_block(doc, "script", 0)
    with pytest.raises(ops.EditRefused, match="position"):
        ops.insert_block(doc, "button", "x")
    assert _types(doc) == ["heading"]


def test_move_uses_the_index_after_the_move():
    doc = _doc("button", "divider", "spacer")
    first = doc["blocks"][0]["id"]
    assert ops.move_block(doc, first, 2)
    assert _types(doc) == ["button", "divider", "heading", "spacer"]
    assert ops.move_block(doc, first, 2) is False  # already there
    with pytest.raises(ops.EditRefused):
        ops.move_block(doc, "nope", 0)


def test_props_are_coerced_to_the_models_types():
    doc = _doc()
    heading = doc["blocks"][0]["id"]
    ops.set_prop(doc, heading, "level", "3")
    assert doc["blocks"][0]["props"]["level"] == 3
    with pytest.raises(ops.EditRefused):
        ops.set_prop(doc, heading, "onclick", "alert(1)")
    parse_document(doc)


def test_list_items_add_edit_remove_with_fresh_ids():
    doc = _doc("link_list")
    block_id = doc["blocks"][1]["id"]
    ops.add_item(doc, block_id, "items")
    items = doc["blocks"][1]["props"]["items"]
    assert len(items) == 2
    assert items[0]["id"] != items[1]["id"]
    ops.set_item(doc, block_id, "items", 1, "label", "Menu")
    assert items[1]["label"] == "Menu"
    with pytest.raises(ops.EditRefused):
        ops.set_item(doc, block_id, "items", 1, "id", "x")
    ops.remove_item(doc, block_id, "items", 0)
    assert [i["label"] for i in doc["blocks"][1]["props"]["items"]] == ["Menu"]
    parse_document(doc)


def test_opening_hours_ranges_are_one_line_of_text():
    doc = _doc("opening_hours")
    block_id = doc["blocks"][1]["id"]
    ops.set_item(doc, block_id, "days", 0, "ranges", "08:00-12:00, 13:00-18:00")
    assert doc["blocks"][1]["props"]["days"][0]["ranges"] == [
        {"opens": "08:00", "closes": "12:00"},
        {"opens": "13:00", "closes": "18:00"},
    ]
    parse_document(doc)


def test_settings_by_dotted_key():
    doc = _doc()
    ops.set_setting(doc, "theme.accent", "#aa0000")
    ops.set_setting(doc, "seo.noindex", True)
    assert doc["settings"]["theme"]["accent"] == "#aa0000"
    assert doc["settings"]["seo"]["noindex"] is True
    with pytest.raises(ops.EditRefused):
        ops.set_setting(doc, "theme.__class__", "x")


def test_every_block_type_gets_a_form():
    for key, kind in REGISTRY.items():
        doc = _doc(key)
        views = page_fields.field_views(kind.props_model, doc["blocks"][1]["props"])
        assert views, key
        assert all(v["label"] for v in views)
    settings = page_fields.field_views(PageSettings, blank_document("x")["settings"])
    kinds = {v["key"]: v["kind"] for v in settings}
    assert kinds["theme.accent"] == "colour"
    assert kinds["seo.noindex"] == "bool"


def test_history_is_bounded():
    history: list[dict] = []
    for i in range(ops.HISTORY_LIMIT + 5):
        history = ops.push_history(history, {"n": i})
    assert len(history) == ops.HISTORY_LIMIT
    assert history[0] == {"n": 5}
