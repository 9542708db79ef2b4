"""Lead forms as the edge sees them: a form's field list (stored with the page version at
publish time), the check of a submitted form against it, and the signed render-time token
behind the minimum fill time. Pure and stdlib only: the edge imports this, not the page
renderer (core.pages.lead_form builds the spec from the block's props).

    errors, values = check_submission(spec, form)   # form: {name: [values]} as parse_qs
    token = sign_token(secret, page_id, now)         # put into the page per request
    token_age(secret, page_id, token, now)           # seconds since, or None if forged
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import math
import re
from typing import Any, TypedDict

# Names of the form's own inputs; custom fields are "c_<id>", so none can collide.
TOKEN_FIELD = "_t"  # noqa: S105 - an input name, not a secret
HONEYPOT_FIELD = "website"
CONSENT_FIELD = "consent"

# The page HTML is rendered once at publish time and served from cache, so it carries this
# placeholder and the edge writes a fresh token over it for every view (same length, so the
# prebuilt Content-Length holds). 10 digits of Unix seconds, a dot, 22 characters of HMAC.
TOKEN_LENGTH = 33
TOKEN_PLACEHOLDER = "0000000000.qrapp-form-token-here0"  # noqa: S105 - see above
assert len(TOKEN_PLACEHOLDER) == TOKEN_LENGTH

FIELD_TYPES = ("text", "paragraph", "email", "phone", "number", "date", "checkbox")
MAX_LENGTH = {"text": 200, "paragraph": 2000, "email": 254, "phone": 32, "number": 32,
              "date": 10, "checkbox": 3}  # fmt: skip
_EMAIL = re.compile(r"^[^@\s<>\"/:,;]+@[^@\s<>\"/:,;]+\.[^@\s<>\"/:,;]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,32}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FieldSpec(TypedDict):
    name: str  # the input's name: name | email | phone | message | c_<id>
    label: str
    type: str  # one of FIELD_TYPES
    required: bool


class FormSpec(TypedDict):
    """One lead-form block as stored in LandingPageVersion.forms[block_id]."""

    title: str
    intro: str
    fields: list[FieldSpec]
    consent: str  # the owner's consent text; "" = no consent checkbox
    submit: str
    thank_you: str
    colours: dict[str, str]  # bg, fg, accent, on_accent, muted (the page's theme)


def _clean(text: str) -> str:
    text = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _check_one(field: FieldSpec, raw: str) -> tuple[str, str]:
    """(stored value, error message or "") of one submitted field."""
    kind = field["type"]
    label = field["label"]
    if kind == "checkbox":
        ticked = raw != ""
        if field["required"] and not ticked:
            return "No", f"Tick “{label}”."
        return ("Yes" if ticked else "No"), ""
    value = _clean(raw)
    if kind != "paragraph":
        value = " ".join(value.split())
    if not value:
        return "", (f"Fill in “{label}”." if field["required"] else "")
    limit = MAX_LENGTH.get(kind, 200)
    if len(value) > limit:
        return value[:limit], f"“{label}” takes at most {limit} characters."
    if kind == "email" and not _EMAIL.match(value):
        return value, f"Write “{label}” as name@example.com."
    if kind == "phone" and not _PHONE.match(value):
        return value, f"“{label}” takes digits, spaces and + ( ) - only."
    if kind == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return value, f"“{label}” must be a number."
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return value, f"Write “{label}” as a date (YYYY-MM-DD)."
    return value, ""


def check_submission(
    spec: FormSpec, form: dict[str, list[str]]
) -> tuple[dict[str, str], dict[str, str]]:
    """(errors by input name, values by input name) of a submitted form. Only the spec's
    fields are read; unknown inputs are ignored. A value is capped before it is checked."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for field in spec["fields"]:
        raw = (form.get(field["name"]) or [""])[0][:5000]
        value, error = _check_one(field, raw)
        values[field["name"]] = value
        if error:
            errors[field["name"]] = error
    if spec["consent"]:
        ticked = bool((form.get(CONSENT_FIELD) or [""])[0])
        values[CONSENT_FIELD] = "Yes" if ticked else ""
        if not ticked:
            errors[CONSENT_FIELD] = "Tick the consent box to send the form."
    return errors, values


def lead_fields(spec: FormSpec, values: dict[str, str]) -> list[dict[str, str]]:
    """The stored form of a lead: [{name, label, value}] in the form's order, so a lead
    keeps the labels it was sent with even after the owner edits the form."""
    return [
        {"name": f["name"], "label": f["label"], "value": values.get(f["name"], "")}
        for f in spec["fields"]
    ]


# --- the render-time token ------------------------------------------------------------------


def _mac(secret: str, page_id: str, stamp: str) -> str:
    digest = hmac.new(
        secret.encode(), f"lead-form:{page_id}:{stamp}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def sign_token(secret: str, page_id: str, now: float) -> str:
    """A token saying "this page was served at `now`", bound to the page."""
    stamp = f"{int(now):010d}"
    token = f"{stamp}.{_mac(secret, page_id, stamp)}"
    assert len(token) == TOKEN_LENGTH
    return token


def token_age(secret: str, page_id: str, token: Any, now: float) -> float | None:
    """Seconds since the token was made, or None when it is missing, forged or from the
    future (the clock of a single edge fleet does not run backwards by much)."""
    if not isinstance(token, str) or len(token) != TOKEN_LENGTH or token[10:11] != ".":
        return None
    stamp, mac = token[:10], token[11:]
    if not stamp.isdigit() or not hmac.compare_digest(mac, _mac(secret, page_id, stamp)):
        return None
    age = now - int(stamp)
    return age if age >= -5 else None
