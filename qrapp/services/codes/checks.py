"""Checks of what a person enters for a code, shared by creating and editing it (and by
redirect rules for destinations): name, design, static content, tags, UTM parameters,
destinations, and whether the symbol still scans. Each raises FieldErrors with the
message a person reads next to the field.

Imports the renderer's design model and the scannability check: never the edge's.
"""

from __future__ import annotations

from typing import Any

from qrapp.core.destinations import DestinationError, OwnAddresses, normalise_destination
from qrapp.core.payloads import Payload, PayloadError, parse
from qrapp.core.render.design import Design
from qrapp.core.scannability import check as check_scannable
from qrapp.models import QRCode
from qrapp.services.errors import FieldErrors
from qrapp.services.hosts import own_hosts, short_url

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
UTM_MAX = 200


def check_destination(
    url: str, *, field: str = "destination", own: OwnAddresses | None = None
) -> str:
    """`own`: our addresses when the caller checks many URLs at once (a bulk file), as
    working them out from the settings is half the cost of a check."""
    try:
        return normalise_destination(url, own_hosts=own or own_hosts())
    except DestinationError as exc:
        raise FieldErrors({field: exc.message}) from None


def check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise FieldErrors({"name": "Give the code a name you will recognise."})
    if len(name) > 120:
        raise FieldErrors({"name": "Use at most 120 characters."})
    return name


def check_design(design: dict[str, Any] | None) -> dict[str, Any]:
    try:
        return Design.parse(design or {}).model_dump(mode="json")
    except PayloadError as exc:
        raise FieldErrors({f"design.{k}": v for k, v in exc.errors.items()}) from None


def parse_payload(content_type: str, payload: dict[str, Any]) -> Payload:
    """The validated content (its `encode()` is the symbol's text), or FieldErrors."""
    try:
        return parse(content_type, payload)
    except PayloadError as exc:
        raise FieldErrors(exc.errors) from None


def check_payload(content_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    return parse_payload(content_type, payload).model_dump(mode="json")


def clean_tags(tags: tuple[str, ...] | list[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())[:40]
        if tag and tag.lower() not in {t.lower() for t in out}:
            out.append(tag)
    if len(out) > 20:
        raise FieldErrors({"tags": "Use at most 20 tags on one code."})
    return out


def code_text(code: QRCode) -> str:
    """What the QR symbol encodes: the short URL of a dynamic code, else its payload."""
    if code.is_dynamic:
        return short_url(code)
    return parse(code.content_type, code.payload).encode()


def require_scannable(text: str, design: dict[str, Any]) -> None:
    """Refuse a design that a real decoder cannot read (the verdict `fail`)."""
    verdict = check_scannable(text, design)
    if verdict.level == "fail":
        raise FieldErrors({"design": " ".join(verdict.reasons) or "This design does not scan."})


def check_utm(utm: dict[str, str] | None) -> dict[str, str]:
    """The cleaned UTM parameters (empty ones dropped), or FieldErrors per key. Control
    characters are refused: the values end up in a query string analytics tools parse."""
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, value in (utm or {}).items():
        if key not in UTM_KEYS:
            errors[str(key)[:40]] = f"Use only {', '.join(UTM_KEYS)}."
            continue
        if not isinstance(value, str):
            errors[key] = "Must be text."
            continue
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value.replace(" ", "")):
            errors[key] = "Use letters, digits and punctuation, not control characters."
            continue
        value = " ".join(value.split())
        if len(value) > UTM_MAX:
            errors[key] = f"Use at most {UTM_MAX} characters."
        elif value:
            clean[key] = value
    if errors:
        raise FieldErrors(errors)
    return clean


def utm_preview(destination: str, utm: dict[str, str]) -> str:
    """The URL a scan is sent to with these UTM parameters (the edge's own function)."""
    from qrapp.core.rules import append_utm

    return append_utm(destination, utm)
