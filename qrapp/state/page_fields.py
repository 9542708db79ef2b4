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
from typing import Any, Literal, TypedDict, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from qrapp.core.pages.blocks import NETWORKS, WEEKDAYS
from qrapp.core.pages.document import FONTS

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LONG_TEXT = {"html", "description", "note"}
_LINKS = {"src", "url", "link", "website", "og_image"}
_OPTION_LABELS: dict[str, str] = {**NETWORKS, **WEEKDAYS, **{k: v[0] for k, v in FONTS.items()}}
RANGES_HINT = "09:00-17:00, 18:00-22:00; empty: closed"


class OptionView(TypedDict):
    value: str
    label: str


class SubFieldView(TypedDict):
    key: str
    label: str
    kind: str
    value: str
    options: list[OptionView]


class ItemView(TypedDict):
    index: int
    fields: list[SubFieldView]


class FieldView(TypedDict):
    key: str
    label: str
    kind: str  # text | textarea | url | colour | select | bool | number | datetime | items
    value: str
    options: list[OptionView]
    hint: str
    items: list[ItemView]


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


def kind_of(name: str, info: FieldInfo) -> str:
    annotation = _unwrap(info.annotation)
    if get_origin(annotation) is Literal:
        return "select"
    if annotation is bool:
        return "bool"
    if annotation in (int, float):
        return "number"
    if annotation is dt.datetime:
        return "datetime"
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


def show(kind: str, value: Any) -> str:
    """A stored value as the input shows it."""
    if value is None:
        return ""
    if kind == "bool":
        return "true" if value else ""
    if kind == "datetime":
        return str(value)[:16]
    if kind == "ranges":
        return ", ".join(f"{r.get('opens', '')}-{r.get('closes', '')}" for r in value or [])
    return str(value)


def _sub_fields(model: type[BaseModel], values: dict[str, Any]) -> list[SubFieldView]:
    out = []
    for name, info in model.model_fields.items():
        if name == "id":
            continue  # item ids are click targets, never edited
        kind = kind_of(name, info)
        out.append(
            SubFieldView(
                key=name,
                label=_label(name, info) + (f" ({RANGES_HINT})" if kind == "ranges" else ""),
                kind=kind,
                value=show(kind, _value(values, name, info)),
                options=_options(info) if kind == "select" else [],
            )
        )
    return out


def field_views(
    model: type[BaseModel], values: dict[str, Any], prefix: str = ""
) -> list[FieldView]:
    """The form of `model` filled with `values`. Nested models (page settings' theme and
    SEO) are flattened with dotted keys ("theme.accent")."""
    views: list[FieldView] = []
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            views += field_views(annotation, values.get(name) or {}, f"{prefix}{name}.")
            continue
        kind = kind_of(name, info)
        items: list[ItemView] = []
        if kind == "items":
            item_model = _item_model(info.annotation)
            assert item_model is not None
            items = [
                ItemView(index=i, fields=_sub_fields(item_model, row))
                for i, row in enumerate(values.get(name) or [])
            ]
        views.append(
            FieldView(
                key=prefix + name,
                label=_label(name, info),
                kind=kind,
                value="" if kind == "items" else show(kind, _value(values, name, info)),
                options=_options(info) if kind == "select" else [],
                hint=RANGES_HINT if kind == "ranges" else "",
                items=items,
            )
        )
    return views


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


def coerce(name: str, info: FieldInfo, raw: Any) -> Any:
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
    if kind == "datetime":
        return text or None
    if kind == "ranges":
        return _parse_ranges(text)
    return text
