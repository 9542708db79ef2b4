"""The registry of content types and the metadata a UI needs to build their forms."""

import typing
from dataclasses import dataclass
from typing import Any

from pydantic.fields import FieldInfo

from qrapp.core.payloads.base import Payload
from qrapp.core.payloads.contact import MeCardPayload, VCardPayload
from qrapp.core.payloads.email import EmailPayload
from qrapp.core.payloads.errors import PayloadError
from qrapp.core.payloads.event import EventPayload
from qrapp.core.payloads.payments import EpcPayload, SwishPayload
from qrapp.core.payloads.simple import GeoPayload, PhonePayload, SmsPayload, TextPayload, UrlPayload
from qrapp.core.payloads.wifi import WifiPayload

_ORDERED: tuple[type[Payload], ...] = (
    UrlPayload,
    TextPayload,
    EmailPayload,
    SmsPayload,
    PhonePayload,
    VCardPayload,
    MeCardPayload,
    WifiPayload,
    GeoPayload,
    EventPayload,
    SwishPayload,
    EpcPayload,
)
TYPES: dict[str, type[Payload]] = {model.type_name: model for model in _ORDERED}


@dataclass(frozen=True)
class FieldSpec:
    """One form field: `kind` names the widget (text, multiline, phone, choice, bool, ...)."""

    name: str
    label: str
    kind: str
    required: bool
    default: Any
    help: str | None
    choices: tuple[str, ...] | None
    max_length: int | None


def _spec(name: str, info: FieldInfo) -> FieldSpec:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    choices = None
    if typing.get_origin(info.annotation) is typing.Literal:
        choices = tuple(str(choice) for choice in typing.get_args(info.annotation))
    max_length = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
    return FieldSpec(
        name=name,
        label=info.title or name,
        kind=str(extra.get("kind", "text")),
        required=info.is_required(),
        default=None if info.is_required() else info.default,
        help=info.description,
        choices=choices,
        max_length=max_length,
    )


def _model(type_name: str) -> type[Payload]:
    try:
        return TYPES[type_name]
    except KeyError:
        known = ", ".join(TYPES)
        message = f"Unknown type {type_name!r}; choose one of {known}."
        raise PayloadError({"type": message}) from None


def fields(type_name: str) -> list[FieldSpec]:
    """The form fields of a content type, in display order."""
    return [_spec(name, info) for name, info in _model(type_name).model_fields.items()]


def type_list() -> list[tuple[str, str]]:
    """(type_name, label) of every content type, in the order a menu shows them."""
    return [(model.type_name, model.label) for model in _ORDERED]


def parse(type_name: str, data: dict[str, Any]) -> Payload:
    """Validate `data` into the type's model; raises PayloadError with a message per field."""
    if not isinstance(data, dict):
        raise PayloadError({"data": "Must be an object of field values."})
    return _model(type_name).parse(data)


def encode(type_name: str, data: dict[str, Any]) -> str:
    """The exact text to put in the QR code for this content type and field values."""
    return parse(type_name, data).encode()
