"""A saved code shown to a person: its readable content fields and the exact text it
encodes (never a password in clear)."""

from __future__ import annotations

from qrapp.core.payloads import PayloadError, parse
from qrapp.models import QRCode
from qrapp.services.codes.checks import code_text
from qrapp.services.hosts import short_url

# Choices shown even at their default: what a person scanning the code needs to know.
_SHOWN = frozenset({"security"})


def encoded_for_display(code: QRCode) -> str:
    """The exact text of a static code, unless it carries a password (Wi-Fi): the
    readable fields show that one as dots, and the raw text must not undo that."""
    from qrapp.core.payloads import fields

    if code.is_dynamic:
        return ""
    secret = {f.name for f in fields(code.content_type) if f.kind == "password"}
    if any((code.payload or {}).get(name) for name in secret):
        return ""
    return code_text(code)


def content_fields(code: QRCode) -> list[tuple[str, str]]:
    """A static code's content in readable form: (label, value) per filled-in field, in
    the form's order. Passwords are shown as dots: the page is not the place to copy one."""
    from qrapp.core.payloads import fields

    if code.is_dynamic:
        return [("Short link", short_url(code)), ("Destination", code.destination)]
    try:
        data = parse(code.content_type, code.payload).model_dump(mode="json")
        specs = fields(code.content_type)
    except PayloadError:
        return []
    out: list[tuple[str, str]] = []
    for spec in specs:
        value = data.get(spec.name)
        unchanged_choice = spec.kind == "choice" and value == spec.default
        if value in (None, "", [], False) or (unchanged_choice and spec.name not in _SHOWN):
            continue
        if spec.kind == "password":
            shown = "•" * min(len(str(value)), 12)
        elif value is True:
            shown = "yes"
        else:
            shown = str(value)
        out.append((spec.label, shown))
    return out
