"""Which spreadsheet column feeds which field of a bulk job, and a first guess from the
headers a person wrote ("E-mail", "Phone number", "SSID", "Foreground colour"...).

Field keys: the common ones are plain (`name`, `url`, `alias`, `tags`, `folder`, `fg`,
`bg`, `caption`); a content type's own fields are `payload.<field>` as the QR engine names
them (`payload.ssid`, `payload.first_name`), since some of them (EPC's beneficiary `name`,
the static URL type's `url`) share a name with a common key.

    job_fields("wifi", dynamic=False) -> [BulkField("name", ...), BulkField("payload.ssid", ...)]
    guess_mapping(["Network", "Key"], "wifi") -> {"payload.ssid": 0, "payload.password": 1}
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from qrapp.core.payloads import fields, type_list

DYNAMIC = "dynamic"  # the designer's name for a dynamic URL code
PAYLOAD_PREFIX = "payload."


@dataclass(frozen=True)
class BulkField:
    key: str
    label: str
    required: bool


def _content_fields(content_type: str) -> list[BulkField]:
    return [
        BulkField(PAYLOAD_PREFIX + spec.name, spec.label, spec.required)
        for spec in fields(content_type)
    ]


# Every static content type of the QR engine, with the fields its designer form shows.
FIELDS: dict[str, list[BulkField]] = {key: _content_fields(key) for key, _ in type_list()}

NAME = BulkField("name", "Code name", False)
URL = BulkField("url", "Destination URL", True)
ALIAS = BulkField("alias", "Short link alias", False)
TAGS = BulkField("tags", "Tags", False)
FOLDER = BulkField("folder", "Folder", False)
FG = BulkField("fg", "Foreground colour", False)
BG = BulkField("bg", "Background colour", False)
CAPTION = BulkField("caption", "Frame caption", False)
COMMON_FIELDS = [NAME, URL, ALIAS, TAGS, FOLDER, FG, BG, CAPTION]
DESIGN_KEYS = ("fg", "bg", "caption")


def is_dynamic(content_type: str, dynamic: bool = False) -> bool:
    return dynamic or content_type == DYNAMIC


def job_fields(content_type: str, dynamic: bool = False) -> list[BulkField]:
    """The fields a job of this kind maps, in the order a mapping form shows them. A
    dynamic code takes a destination URL and an alias; a static one its content fields."""
    if is_dynamic(content_type, dynamic):
        return [NAME, URL, ALIAS, TAGS, FOLDER, FG, BG, CAPTION]
    return [NAME, *FIELDS[content_type], TAGS, FOLDER, FG, BG, CAPTION]


# Header words people use for each field, beyond the key and the label themselves.
_COMMON_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "code name", "qr name", "label", "file name", "filename", "title"),
    "url": (
        "url",
        "link",
        "destination",
        "destination url",
        "target",
        "target url",
        "website",
        "web address",
        "landing page",
        "redirect",
        "href",
        "address",
    ),
    "alias": (
        "alias",
        "short code",
        "shortcode",
        "slug",
        "short link",
        "back half",
        "custom alias",
    ),
    "tags": ("tags", "tag", "labels", "keywords", "category", "categories"),
    "folder": ("folder", "directory", "group", "collection"),
    "fg": (
        "fg",
        "foreground",
        "foreground colour",
        "foreground color",
        "fg colour",
        "fg color",
        "colour",
        "color",
        "code colour",
        "code color",
        "dark colour",
        "dark color",
    ),
    "bg": ("bg", "background", "background colour", "background color", "bg colour", "bg color"),
    "caption": (
        "caption",
        "frame caption",
        "frame text",
        "frame label",
        "call to action",
        "cta",
        "banner",
        "banner text",
    ),
}

_PAYLOAD_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "url": {"url": ("url", "link", "website", "web address", "address", "destination")},
    "text": {"text": ("text", "content", "message", "body")},
    "email": {
        "to": ("to", "email", "e mail", "email address", "recipient", "mail"),
        "subject": ("subject", "title"),
        "body": ("body", "message", "text"),
        "style": ("style", "format"),
    },
    "sms": {
        "number": ("number", "phone", "phone number", "mobile", "to", "recipient"),
        "body": ("body", "message", "text", "sms"),
    },
    "phone": {"number": ("number", "phone", "phone number", "telephone", "tel", "mobile")},
    "vcard": {
        "first_name": ("first name", "firstname", "given name", "forename", "first"),
        "last_name": ("last name", "lastname", "surname", "family name", "last"),
        "formatted_name": ("display name", "full name", "formatted name"),
        "organization": ("company", "organisation", "organization", "org", "employer"),
        "title": ("job title", "title", "position", "role"),
        "mobile": ("mobile", "cell", "mobile phone", "cell phone", "phone", "mobile number"),
        "work_phone": ("work phone", "office phone", "telephone", "tel", "work"),
        "email": ("email", "e mail", "email address", "mail"),
        "website": ("website", "url", "web", "homepage", "site"),
        "street": ("street", "address", "street address"),
        "city": ("city", "town"),
        "region": ("region", "state", "province", "county"),
        "postcode": ("postcode", "zip", "zip code", "postal code", "post code"),
        "country": ("country",),
        "note": ("note", "notes", "comment", "comments"),
    },
    "mecard": {
        "first_name": ("first name", "firstname", "given name", "forename", "first"),
        "last_name": ("last name", "lastname", "surname", "family name", "last"),
        "phone": ("phone", "mobile", "tel", "telephone", "phone number"),
        "email": ("email", "e mail", "email address", "mail"),
        "address": ("address", "street address"),
        "website": ("website", "url", "web", "homepage"),
        "birthday": ("birthday", "birth date", "date of birth", "dob"),
        "note": ("note", "notes", "comment"),
    },
    "wifi": {
        "ssid": ("ssid", "network", "network name", "wifi", "wifi name", "wlan", "wi fi"),
        "security": ("security", "encryption", "auth", "authentication", "type"),
        "password": ("password", "pass", "passphrase", "key", "wifi password", "psk"),
        "hidden": ("hidden", "hidden network"),
        "eap_method": ("eap", "eap method"),
        "phase2": ("phase 2", "phase2"),
        "anonymous_identity": ("anonymous identity",),
        "identity": ("identity", "username", "user"),
    },
    "geo": {
        "latitude": ("latitude", "lat"),
        "longitude": ("longitude", "lng", "lon", "long"),
    },
    "event": {
        "summary": ("summary", "title", "event", "event name"),
        "start": ("start", "starts", "begin", "start date", "start time", "date", "from"),
        "end": ("end", "ends", "end date", "end time", "until", "to"),
        "all_day": ("all day", "allday"),
        "timezone": ("timezone", "time zone", "tz", "zone"),
        "location": ("location", "venue", "place", "where"),
        "description": ("description", "details", "notes"),
    },
    "swish": {
        "payee": ("payee", "swish number", "swish", "number", "recipient"),
        "amount": ("amount", "sum", "price", "sek"),
        "message": ("message", "note", "reference"),
    },
    "epc": {
        "name": ("beneficiary", "beneficiary name", "recipient", "payee", "creditor"),
        "iban": ("iban", "account"),
        "bic": ("bic", "swift", "bic swift"),
        "amount": ("amount", "sum", "eur"),
        "purpose": ("purpose", "purpose code"),
        "reference": ("reference", "creditor reference", "rf"),
        "text": ("remittance", "remittance text", "text", "message"),
        "information": ("information", "note to payer", "note"),
    },
}


def normalise_header(text: str) -> str:
    """Lower case letters and digits only: "E-Mail Address" and "email_address" agree."""
    return re.sub(r"[^0-9a-z]", "", text.casefold().replace("colour", "color"))


def _words(field: BulkField, content_type: str) -> list[str]:
    if field.key.startswith(PAYLOAD_PREFIX):
        name = field.key.removeprefix(PAYLOAD_PREFIX)
        extra = _PAYLOAD_SYNONYMS.get(content_type, {}).get(name, ())
        words = [*extra, name, field.label]
    else:
        words = [*_COMMON_SYNONYMS.get(field.key, ()), field.key, field.label]
    seen: list[str] = []
    for word in words:
        norm = normalise_header(word)
        if norm and norm not in seen:
            seen.append(norm)
    return seen


def guess_mapping(headers: list[str], content_type: str, dynamic: bool = False) -> dict[str, int]:
    """field key -> column index for the headers that clearly name a field.

    Content fields are matched before the common ones (a vCard's "Website" is its website,
    not a destination), exact names before a header merely containing one, and each
    column feeds at most one field.
    """
    job = job_fields(content_type, dynamic)
    content = [f for f in job if f.key.startswith(PAYLOAD_PREFIX)]
    common = [f for f in job if not f.key.startswith(PAYLOAD_PREFIX)]
    ordered = content + common
    norm_headers = [normalise_header(h) for h in headers]
    mapping: dict[str, int] = {}
    used: set[int] = set()

    def assign(matches: Callable[[str, str], bool]) -> None:
        for field in ordered:
            if field.key in mapping:
                continue
            for word in _words(field, content_type):
                column = next(
                    (i for i, h in enumerate(norm_headers) if i not in used and matches(h, word)),
                    None,
                )
                if column is not None:
                    mapping[field.key] = column
                    used.add(column)
                    break

    assign(lambda header, word: header == word)
    # "Destination URL (https)" or "Wi-Fi network name": a long enough word inside it.
    assign(lambda header, word: len(word) >= 4 and word in header)
    return mapping
