"""Opaque page cursors: a keyset position (a time and an id) as URL-safe text.

Integrators pass `next_cursor` back unchanged; anything else is a 422 on `cursor`, never
a 500. The text is not signed: a forged position only moves within the caller's own
workspace, as every query is scoped by the key's workspace.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid

from qrapp.services.errors import FieldErrors

_BAD = "This cursor is not one we gave out: pass `next_cursor` from the previous page."


def encode_cursor(at: dt.datetime, item_id: uuid.UUID | int) -> str:
    raw = f"{at.isoformat()}|{item_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[dt.datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, item_text = raw.split("|", 1)
        at = dt.datetime.fromisoformat(at_text)
    except (ValueError, UnicodeDecodeError):
        raise FieldErrors({"cursor": _BAD}) from None
    if at.tzinfo is None:
        raise FieldErrors({"cursor": _BAD})
    return at, item_text


def decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    at, item_text = _decode(cursor)
    try:
        return at, uuid.UUID(item_text)
    except ValueError:
        raise FieldErrors({"cursor": _BAD}) from None


def decode_int_cursor(cursor: str) -> tuple[dt.datetime, int]:
    at, item_text = _decode(cursor)
    if not item_text.isdigit():
        raise FieldErrors({"cursor": _BAD})
    return at, int(item_text)
