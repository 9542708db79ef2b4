"""What the designer shows as cards and fields: content types, workspace templates, and
a content type's form fields as the browser gets them (no state, no database)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any, TypedDict

from qrapp.core.payloads import FieldSpec, PayloadError, type_list
from qrapp.core.render import render

DYNAMIC = "dynamic"  # the type grid's "dynamic URL" entry
BOOL_KINDS = {"bool"}


class FieldView(TypedDict):
    name: str
    label: str
    kind: str
    required: bool
    help: str
    choices: list[str]


class TemplateCard(TypedDict):
    id: str
    name: str
    src: str
    is_default: bool


class TypeCard(TypedDict):
    key: str
    label: str
    icon: str
    blurb: str


_ICONS = {
    DYNAMIC: ("link", "A short link you can re-point after printing, with scan analytics."),
    "url": ("globe", "Opens a web page. The address is printed in the code."),
    "text": ("text", "Shows a short text."),
    "email": ("mail", "Writes an e-mail with subject and body filled in."),
    "sms": ("message-square", "Writes a text message."),
    "phone": ("phone", "Calls a number."),
    "vcard": ("contact", "Saves a contact card."),
    "mecard": ("id-card", "A compact contact card."),
    "wifi": ("wifi", "Joins a Wi-Fi network without typing the password."),
    "geo": ("map-pin", "Opens a place on the map."),
    "event": ("calendar", "Adds an event to the calendar."),
    "swish": ("smartphone", "A Swish payment with payee, amount and message."),
    "epc": ("landmark", "A SEPA credit transfer (GiroCode) for banking apps."),
}

TYPE_CARDS: list[TypeCard] = [
    TypeCard(key=DYNAMIC, label="Dynamic URL", icon=_ICONS[DYNAMIC][0], blurb=_ICONS[DYNAMIC][1])
] + [
    TypeCard(
        key=key,
        label=label,
        icon=_ICONS.get(key, ("qr-code", ""))[0],
        blurb=_ICONS.get(key, ("", ""))[1],
    )
    for key, label in type_list()
]
TYPE_KEYS = {card["key"] for card in TYPE_CARDS}


def type_label(key: str) -> str:
    return next(c["label"] for c in TYPE_CARDS if c["key"] == key)


def template_cards(rows: Iterable[Any]) -> list[TemplateCard]:
    """A thumbnail card per template; one that no longer draws is left out."""
    cards = []
    for t in rows:
        try:
            png = render("https://qrapp.example/template", t.design, "png", size=128)
        except PayloadError:
            continue
        cards.append(
            TemplateCard(
                id=str(t.id),
                name=t.name,
                src="data:image/png;base64," + base64.b64encode(png).decode(),
                is_default=t.is_default,
            )
        )
    return cards


def field_views(specs: Iterable[FieldSpec]) -> list[FieldView]:
    return [
        FieldView(
            name=f.name,
            label=f.label + ("" if f.required else " (optional)"),
            kind=f.kind,
            required=f.required,
            help=f.help or "",
            choices=[str(c) for c in f.choices or ()],
        )
        for f in specs
    ]


def initial_values(specs: Iterable[FieldSpec]) -> dict[str, str]:
    """Each field's starting text: switches as "true"/"false", the rest as typed."""
    return {
        f.name: ("true" if f.default is True else "false")
        if f.kind in BOOL_KINDS
        else ("" if f.default is None else str(f.default))
        for f in specs
    }
