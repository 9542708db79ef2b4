"""Shared base for payload models: validation into PayloadError and field metadata."""

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qrapp.core.payloads.errors import PayloadError

# Byte-mode capacity of the largest QR code (version 40, level L); anything longer can
# never become a code, so it is refused at the payload stage with a clear message.
QR_MAX_BYTES = 2953


def field(label: str, kind: str = "text", help: str = "", **kwargs: Any) -> Any:
    """A model field carrying the metadata a form needs (label, widget kind, help)."""
    return Field(title=label, description=help or None, json_schema_extra={"kind": kind}, **kwargs)


_FRIENDLY = {
    "missing": "This field is required.",
    "extra_forbidden": "Unknown field.",
    "bool_parsing": "Must be true or false.",
    "bool_type": "Must be true or false.",
    "float_parsing": "Must be a number.",
    "decimal_parsing": "Must be a number.",
    "int_parsing": "Must be a whole number.",
    "datetime_parsing": "Must be a date and time (YYYY-MM-DDTHH:MM).",
    "datetime_from_date_parsing": "Must be a date and time (YYYY-MM-DDTHH:MM).",
    "date_from_datetime_parsing": "Must be a date (YYYY-MM-DD).",
    "literal_error": "Choose one of: {expected}.",
    "string_type": "Must be text.",
}


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _FRIENDLY:
        return _FRIENDLY[kind].format(**ctx)
    if kind == "string_too_long":
        return f"At most {ctx['max_length']} characters."
    if kind == "string_too_short":
        return "This field is required." if ctx.get("min_length") == 1 else error["msg"] + "."
    if kind == "value_error":
        # Our own validators raise ValueError(message); pydantic prefixes it.
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"]).rstrip(".") + "."


def errors_from_validation(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    """First readable message per field, keyed by the dotted field path."""
    messages: dict[str, str] = {}
    for error in exc.errors():
        loc = ".".join(str(part) for part in error["loc"]) or "__all__"
        messages.setdefault(prefix + loc, _message(error))
    return messages


class Payload(BaseModel):
    """A validated static QR content type; `encode()` gives the exact text to put in the code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type_name: ClassVar[str]
    label: ClassVar[str]
    # Error-correction level the content's own specification asks for (EPC asks for M).
    preferred_error: ClassVar[str | None] = None

    def encode(self) -> str:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    @classmethod
    def parse(cls, data: dict[str, Any]) -> "Payload":
        try:
            payload = cls.model_validate(data)
        except ValidationError as exc:
            raise PayloadError(errors_from_validation(exc)) from None
        text = payload.encode()
        if len(text.encode("utf-8")) > QR_MAX_BYTES:
            raise PayloadError({"__all__": f"Too long for a QR code (over {QR_MAX_BYTES} bytes)."})
        return payload
