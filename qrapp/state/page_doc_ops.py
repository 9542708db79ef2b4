"""Edits of a page document (the stored dict) that the builder's handlers apply.

Pure functions over plain dicts, each validating what the browser sent (a handler is a
public endpoint: any block type, id, index or key may arrive). They raise EditRefused with
a message for a person; the document is unchanged then.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from qrapp.core.pages.blocks import REGISTRY
from qrapp.core.pages.document import MAX_BLOCKS, PageSettings, new_block, new_id
from qrapp.state import page_fields

HISTORY_LIMIT = 50
_SUMMARY_KEYS = ("text", "label", "name", "title", "html", "address", "url")
_TAGS = re.compile(r"<[^>]*>")


class EditRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _index_of(doc: dict[str, Any], block_id: str) -> int:
    for i, block in enumerate(doc.get("blocks", [])):
        if block.get("id") == block_id:
            return i
    raise EditRefused("That block is no longer on the page.")


def _clamp(index: Any, upper: int) -> int:
    try:
        value = int(index)
    except (TypeError, ValueError):
        raise EditRefused("That position is not on the page.") from None
    return max(0, min(value, upper))


def insert_block(doc: dict[str, Any], type_key: str, index: Any) -> str:
    """Insert a new block of `type_key` at `index`; returns its id."""
    if str(type_key) not in REGISTRY:
        raise EditRefused("There is no such block type.")
    blocks = doc.setdefault("blocks", [])
    if len(blocks) >= MAX_BLOCKS:
        raise EditRefused(f"A page holds at most {MAX_BLOCKS} blocks.")
    block = new_block(str(type_key))
    blocks.insert(_clamp(index, len(blocks)), block)
    return str(block["id"])


def move_block(doc: dict[str, Any], block_id: str, new_index: Any) -> bool:
    """Move a block to `new_index` (its index after the move); False when it stays."""
    blocks = doc.get("blocks", [])
    old = _index_of(doc, str(block_id))
    new = _clamp(new_index, len(blocks) - 1)
    if new == old:
        return False
    blocks.insert(new, blocks.pop(old))
    return True


def remove_block(doc: dict[str, Any], block_id: str) -> None:
    doc["blocks"].pop(_index_of(doc, str(block_id)))


def duplicate_block(doc: dict[str, Any], block_id: str) -> str:
    blocks = doc.get("blocks", [])
    if len(blocks) >= MAX_BLOCKS:
        raise EditRefused(f"A page holds at most {MAX_BLOCKS} blocks.")
    i = _index_of(doc, str(block_id))
    copy_ = copy.deepcopy(blocks[i])
    copy_["id"] = new_id()
    _fresh_ids(copy_["props"])  # item ids are click targets: never shared
    blocks.insert(i + 1, copy_)
    return str(copy_["id"])


def block(doc: dict[str, Any], block_id: str) -> dict[str, Any]:
    return doc["blocks"][_index_of(doc, str(block_id))]


def _props_model(blk: dict[str, Any]):
    kind = REGISTRY.get(str(blk.get("type")))
    if kind is None:
        raise EditRefused("There is no such block type.")
    return kind.props_model


def set_prop(doc: dict[str, Any], block_id: str, key: str, value: Any) -> None:
    blk = block(doc, block_id)
    info = _props_model(blk).model_fields.get(str(key))
    if info is None or page_fields.kind_of(str(key), info) == "items":
        raise EditRefused("That block has no such field.")
    currency = str(blk["props"].get("currency") or "")
    blk["props"][str(key)] = page_fields.coerce(str(key), info, value, currency)


def _row_index(rows: list[Any], index: Any) -> int:
    i = _clamp(index, len(rows) - 1)
    if not rows:
        raise EditRefused("That list item is no longer there.")
    return i


def _items(doc: dict[str, Any], block_id: str, key: str):
    """The list at `key` in the block's props: a field name ("links"), or a path through
    list rows to a list inside one ("sections.2.items"). Returns (rows, item model, its
    FieldInfo, the props' example rows at that path, the block's currency)."""
    blk = block(doc, block_id)
    model = _props_model(blk)
    kind = REGISTRY[str(blk["type"])]
    container, example = blk["props"], kind.default_props()
    parts = str(key).split(".")
    while len(parts) > 2:
        outer, index, parts = parts[0], parts[1], parts[2:]
        inner = page_fields.item_model(model, outer)
        if inner is None or not index.isdigit():
            raise EditRefused("That block has no such list.")
        rows = container.get(outer) or []
        container = rows[_row_index(rows, index)]
        example = ((example or {}).get(outer) or [{}])[0]
        model = inner
    if len(parts) != 1:
        raise EditRefused("That block has no such list.")
    name = parts[0]
    item_model = page_fields.item_model(model, name)
    info = model.model_fields.get(name)
    if item_model is None or info is None or page_fields.kind_of(name, info) != "items":
        raise EditRefused("That block has no such list.")
    currency = str(blk["props"].get("currency") or "")
    examples = (example or {}).get(name) or []
    return container.setdefault(name, []), item_model, info, examples, currency


def set_item(doc: dict[str, Any], block_id: str, key: str, index: Any, sub: str, value: Any):
    rows, item_model, _, _, currency = _items(doc, block_id, key)
    i = _clamp(index, len(rows) - 1)
    info = item_model.model_fields.get(str(sub))
    if not rows or info is None or sub == "id" or page_fields.kind_of(str(sub), info) == "items":
        raise EditRefused("That list item has no such field.")
    rows[i][str(sub)] = page_fields.coerce(str(sub), info, value, currency)


def _fresh_ids(row: Any) -> None:
    """New ids for a copied row and the rows inside it (ids are click targets and must be
    unique within the block)."""
    if isinstance(row, dict):
        if "id" in row:
            row["id"] = new_id()
        for value in row.values():
            if isinstance(value, list):
                for inner in value:
                    _fresh_ids(inner)


def _new_row(item_model, examples: list[Any], rows: list[Any]) -> dict[str, Any]:
    """A new row: the block type's example row (valid), else a copy of the last row, else
    the model's own examples for its required fields."""
    if examples or rows:
        row = copy.deepcopy((examples or rows[-1:])[0])
    else:
        row = {
            name: info.examples[0]
            for name, info in item_model.model_fields.items()
            if info.is_required() and info.examples
        }
    if "id" in item_model.model_fields:
        row["id"] = new_id()
    _fresh_ids(row)
    return row


def add_item(doc: dict[str, Any], block_id: str, key: str) -> None:
    rows, item_model, info, examples, _ = _items(doc, block_id, key)
    limit = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), 50)
    if len(rows) >= (limit or 50):
        raise EditRefused(f"This list holds at most {limit} items.")
    rows.append(_new_row(item_model, examples, rows))


def remove_item(doc: dict[str, Any], block_id: str, key: str, index: Any) -> None:
    rows, _, _, _, _ = _items(doc, block_id, key)
    if not rows:
        raise EditRefused("The list is empty.")
    rows.pop(_clamp(index, len(rows) - 1))


def set_setting(doc: dict[str, Any], key: str, value: Any) -> None:
    """Page settings by dotted key ("title", "theme.accent", "seo.noindex")."""
    key = str(key)
    info = page_fields.field_info(PageSettings, key)
    if info is None:
        raise EditRefused("The page has no such setting.")
    target = doc.setdefault("settings", {})
    *parents, leaf = key.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = page_fields.coerce(leaf, info, value)


def summary(blk: dict[str, Any]) -> str:
    """A few words of a block for the list (its text, label or first link)."""
    props = blk.get("props") or {}
    for key in _SUMMARY_KEYS:
        value = props.get(key)
        if isinstance(value, str) and value.strip():
            text = " ".join(_TAGS.sub(" ", value).split())
            return text[:60] + ("…" if len(text) > 60 else "")
    items = props.get("items") or []
    if items:
        return f"{len(items)} item{'s' if len(items) != 1 else ''}"
    return ""


def push_history(history: list[dict[str, Any]], doc: dict[str, Any]) -> list[dict[str, Any]]:
    """`history` with `doc` (a copy the caller no longer changes) appended, the oldest
    dropped beyond HISTORY_LIMIT."""
    return [*history, doc][-HISTORY_LIMIT:]
