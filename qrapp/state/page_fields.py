"""The builder's property forms, generated from each block type's pydantic props model.

A block type added to core.pages.blocks.REGISTRY gets its form here without UI code: the
field's annotation and name choose the input (text, long text, link, colour, choice, yes/no,
number, date and time, a list of items), its `title` is the label. What the person types
comes back as strings and is turned into the model's types by `coerce`; whatever is still
wrong is reported by the document validation, in its plain words.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypedDict, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from qrapp.core.pages.blocks import NETWORKS, WEEKDAYS
from qrapp.core.pages.content_blocks import DIET_TAGS, decimals
from qrapp.core.pages.document import FONTS

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LONG_TEXT = {"html", "description", "note", "terms"}
_LINKS = {"src", "url", "link", "website", "og_image"}
_OPTION_LABELS: dict[str, str] = {
    **NETWORKS,
    **WEEKDAYS,
    **{k: v[0] for k, v in FONTS.items()},
    **DIET_TAGS,
}
RANGES_HINT = "09:00-17:00, 18:00-22:00; empty: closed"
NO_ASSET = "— No file chosen —"
MISSING_ASSET = "Missing file (choose another)"


class OptionView(TypedDict):
    value: str
    label: str


class SubFieldView(TypedDict):
    key: str
    label: str
    kind: str
    value: str
    options: list[OptionView]
    hint: str
    asset: str


class ItemView(TypedDict):
    index: int
    fields: list[SubFieldView]


class FieldView(TypedDict):
    key: str
    label: str
    # text | textarea | url | colour | select | bool | number | money | date | datetime |
    # tags | asset | items | ranges
    kind: str
    value: str
    options: list[OptionView]
    hint: str
    items: list[ItemView]
    asset: str  # the kind of file an asset field takes ("image", "video", ...), else ""


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) == 1:
            return inner[0]
    return annotation


def _unwrap(annotation: Any) -> Any:
    """The plain type behind Optional and Annotated."""
    annotation = _strip_optional(annotation)
    if get_origin(annotation) is typing.Annotated:
        return _strip_optional(get_args(annotation)[0])
    return annotation


def _item_model(annotation: Any) -> type[BaseModel] | None:
    annotation = _unwrap(annotation)
    if get_origin(annotation) is list:
        (inner,) = get_args(annotation) or (None,)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return None


def asset_kind(info: FieldInfo) -> str:
    """The kind of uploaded file an asset-id field takes, or "" for other fields."""
    extra = info.json_schema_extra
    return str(extra["asset"]) if isinstance(extra, dict) and "asset" in extra else ""


def kind_of(name: str, info: FieldInfo) -> str:
    annotation = _unwrap(info.annotation)
    if asset_kind(info):
        return "asset"
    if get_origin(annotation) is Literal:
        return "select"
    if annotation is bool:
        return "bool"
    if name == "price" and annotation is int:
        return "money"  # whole minor units stored, "12.50" shown and typed
    if annotation in (int, float):
        return "number"
    if annotation is dt.datetime:
        return "datetime"
    if annotation is dt.date:
        return "date"
    if get_origin(annotation) is list and get_origin(get_args(annotation)[0]) is Literal:
        return "tags"
    item = _item_model(annotation)
    if item is not None:
        # A list of two-text rows (opening hours' time ranges) is one line of text.
        fields_ = item.model_fields.values()
        plain = len(fields_) == 2 and all(_unwrap(f.annotation) is str for f in fields_)
        return "ranges" if plain else "items"
    if isinstance(info.default, str) and _COLOUR.match(info.default):
        return "colour"
    if name in _LINKS or name.endswith("_url"):
        return "url"
    if name in _LONG_TEXT:
        return "textarea"
    return "text"


def _options(info: FieldInfo) -> list[OptionView]:
    values = get_args(_unwrap(info.annotation))
    return [
        OptionView(value=str(v), label=_OPTION_LABELS.get(str(v), str(v).capitalize()))
        for v in values
    ]


def _value(values: dict[str, Any], name: str, info: FieldInfo) -> Any:
    """The stored value, else the field's default (a document may omit defaults)."""
    if name in values:
        return values[name]
    return None if info.is_required() else info.get_default(call_default_factory=True)


def _label(name: str, info: FieldInfo) -> str:
    return info.title or name.replace("_", " ").capitalize()


def show(kind: str, value: Any, currency: str = "") -> str:
    """A stored value as the input shows it."""
    if value is None:
        return ""
    if kind == "bool":
        return "true" if value else ""
    if kind == "money" and isinstance(value, int):
        places = decimals(currency)
        return str(Decimal(value).scaleb(-places).quantize(Decimal(1).scaleb(-places)))
    if kind == "tags" and isinstance(value, list):
        return ", ".join(_OPTION_LABELS.get(str(v), str(v)) for v in value)
    if kind == "datetime":
        return str(value)[:16]
    if kind == "ranges":
        return ", ".join(f"{r.get('opens', '')}-{r.get('closes', '')}" for r in value or [])
    return str(value)


def _hint(kind: str, info: FieldInfo) -> str:
    if kind == "ranges":
        return RANGES_HINT
    if kind == "tags":
        values = get_args(get_args(_unwrap(info.annotation))[0])
        return "Separate with commas: " + ", ".join(_OPTION_LABELS.get(v, v) for v in values)
    return ""


def _asset_options(
    kind: str, value: Any, assets: Mapping[str, list[OptionView]] | None
) -> list[OptionView]:
    """The picker's choices: none, then the workspace's files of that kind; a stored id
    that is not among them (deleted, another workspace's) shows as missing."""
    options = [OptionView(value="", label=NO_ASSET), *((assets or {}).get(kind) or [])]
    if value and all(o["value"] != value for o in options):
        options.append(OptionView(value=str(value), label=MISSING_ASSET))
    return options


class _Context(TypedDict):
    currency: str
    assets: Mapping[str, list[OptionView]] | None


def _options_for(kind: str, info: FieldInfo, value: Any, ctx: _Context) -> list[OptionView]:
    if kind == "select":
        return _options(info)
    if kind == "asset":
        return _asset_options(asset_kind(info), value, ctx["assets"])
    return []


def _sub_fields(
    model: type[BaseModel], values: dict[str, Any], ctx: _Context
) -> list[SubFieldView]:
    out = []
    for name, info in model.model_fields.items():
        if name == "id":
            continue  # item ids are click targets, never edited
        kind = kind_of(name, info)
        if kind == "items":
            continue  # a list inside a list item gets its own editor (see field_views)
        value = _value(values, name, info)
        out.append(
            SubFieldView(
                key=name,
                label=_label(name, info) + (f" ({RANGES_HINT})" if kind == "ranges" else ""),
                kind=kind,
                value=show(kind, value, ctx["currency"]),
                options=_options_for(kind, info, value, ctx),
                hint="" if kind == "ranges" else _hint(kind, info),
                asset=asset_kind(info),
            )
        )
    return out


def _nested_lists(
    key: str, item_model: type[BaseModel], rows: list[Any], ctx: _Context
) -> list[FieldView]:
    """A list inside each row of a list (a menu's dishes in its sections) as one more
    list editor per row, keyed by its path ("sections.0.items"), after the outer list."""
    views: list[FieldView] = []
    for i, row in enumerate(rows):
        for name, info in item_model.model_fields.items():
            inner = _item_model(info.annotation)
            if inner is None or kind_of(name, info) != "items":
                continue
            title = str(row.get("title") or row.get("name") or "") if isinstance(row, dict) else ""
            label = f"{_label(name, info)} in {title or f'item {i + 1}'}"
            views.append(_list_view(f"{key}.{i}.{name}", label, inner, row.get(name) or [], ctx))
    return views


def _list_view(
    key: str, label: str, item_model: type[BaseModel], rows: list[Any], ctx: _Context
) -> FieldView:
    return FieldView(
        key=key,
        label=label,
        kind="items",
        value="",
        options=[],
        hint="",
        items=[
            ItemView(index=i, fields=_sub_fields(item_model, row, ctx))
            for i, row in enumerate(rows)
        ],
        asset="",
    )


def field_views(
    model: type[BaseModel],
    values: dict[str, Any],
    prefix: str = "",
    *,
    assets: Mapping[str, list[OptionView]] | None = None,
) -> list[FieldView]:
    """The form of `model` filled with `values`. Nested models (page settings' theme and
    SEO) are flattened with dotted keys ("theme.accent"). `assets` lists the workspace's
    files per kind for the asset pickers."""
    ctx = _Context(currency=str(values.get("currency") or ""), assets=assets)
    views: list[FieldView] = []
    nested: list[FieldView] = []
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            views += field_views(annotation, values.get(name) or {}, f"{prefix}{name}.")
            continue
        kind = kind_of(name, info)
        if kind == "items":
            item_model = _item_model(info.annotation)
            assert item_model is not None
            rows = values.get(name) or []
            views.append(_list_view(prefix + name, _label(name, info), item_model, rows, ctx))
            nested += _nested_lists(prefix + name, item_model, rows, ctx)
            continue
        value = _value(values, name, info)
        views.append(
            FieldView(
                key=prefix + name,
                label=_label(name, info),
                kind=kind,
                value=show(kind, value, ctx["currency"]),
                options=_options_for(kind, info, value, ctx),
                hint=_hint(kind, info),
                items=[],
                asset=asset_kind(info),
            )
        )
    return views + nested


def field_info(model: type[BaseModel], key: str) -> FieldInfo | None:
    """The FieldInfo of a (dotted) key of `model`, or None when there is no such field."""
    head, _, rest = key.partition(".")
    info = model.model_fields.get(head)
    if info is None:
        return None
    if not rest:
        return info
    inner = _unwrap(info.annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return field_info(inner, rest)
    item = _item_model(info.annotation)
    return field_info(item, rest) if item is not None else None


def item_model(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    info = model.model_fields.get(key)
    return _item_model(info.annotation) if info is not None else None


def _parse_ranges(text: str) -> list[dict[str, str]]:
    out = []
    for piece in (p.strip() for p in text.split(",")):
        if not piece:
            continue
        opens, _, closes = piece.partition("-")
        out.append({"opens": opens.strip(), "closes": closes.strip()})
    return out


def _money(text: str, currency: str) -> Any:
    """ "12.50" / "12,50" / "€ 12" -> 1250 minor units; what does not parse stays as typed
    (the validation then says the price must be a whole number)."""
    cleaned = re.sub(r"[^\d.,-]", "", text).replace(",", ".")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned).scaleb(decimals(currency))
    except InvalidOperation:
        return text
    return int(amount) if amount == amount.to_integral_value() else text


def _tags(text: str) -> list[str]:
    by_label = {label.lower(): key for key, label in _OPTION_LABELS.items()}
    out = []
    for piece in (p.strip() for p in text.split(",")):
        if piece:
            out.append(by_label.get(piece.lower(), piece))
    return out


def coerce(name: str, info: FieldInfo, raw: Any, currency: str = "") -> Any:
    """What the person typed, turned into the field's type as far as it goes: a value that
    does not convert is kept as typed so the validation names the problem."""
    kind = kind_of(name, info)
    if kind == "bool":
        return raw in (True, "true", "on", "1")
    text = str(raw)[:20_000]
    if kind == "select":
        for option in get_args(_unwrap(info.annotation)):
            if str(option) == text:
                return option
        return text
    if kind == "number":
        if not text.strip():
            return None
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "money":
        return _money(text, currency)
    if kind in ("datetime", "date"):
        return text or None
    if kind == "ranges":
        return _parse_ranges(text)
    if kind == "tags":
        return _tags(text)
    return text
