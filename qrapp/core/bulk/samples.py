"""A sample file per kind of job: the headers the mapping guesses, two rows that pass the
dry run, so a person can see the shape and fill in their own rows."""

from __future__ import annotations

import csv
import io

from qrapp.core.bulk.mapping import PAYLOAD_PREFIX, is_dynamic, job_fields

# Two example rows per content type, by payload field; fields not listed stay empty.
_EXAMPLES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "url": ({"url": "https://example.com/spring"}, {"url": "https://example.com/summer"}),
    "text": ({"text": "Table 1: ask for the menu"}, {"text": "Table 2: ask for the menu"}),
    "email": (
        {"to": "orders@example.com", "subject": "Order 1001"},
        {"to": "orders@example.com", "subject": "Order 1002", "body": "Hello!"},
    ),
    "sms": (
        {"number": "+46701234567", "body": "JOIN"},
        {"number": "+46701234568", "body": "STOP"},
    ),
    "phone": ({"number": "+46701234567"}, {"number": "+14155550123"}),
    "vcard": (
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "organization": "Analytical Ltd",
            "mobile": "+447700900123",
            "email": "ada@example.com",
        },
        {
            "first_name": "Alan",
            "last_name": "Turing",
            "title": "Engineer",
            "email": "alan@example.com",
            "website": "https://example.com",
        },
    ),
    "mecard": (
        {"first_name": "Ada", "last_name": "Lovelace", "phone": "+447700900123"},
        {"first_name": "Alan", "last_name": "Turing", "email": "alan@example.com"},
    ),
    "wifi": (
        {"ssid": "Cafe Guest", "security": "WPA", "password": "coffee-and-cake"},
        {"ssid": "Cafe Staff", "security": "WPA", "password": "only-for-staff-2026"},
    ),
    "geo": (
        {"latitude": "59.3293", "longitude": "18.0686"},
        {"latitude": "48.8584", "longitude": "2.2945"},
    ),
    "event": (
        {
            "summary": "Opening night",
            "start": "2026-12-01T19:00",
            "end": "2026-12-01T22:00",
            "timezone": "Europe/Stockholm",
            "location": "Main hall",
        },
        {"summary": "Workshop", "start": "2026-12-02", "all_day": "true"},
    ),
    "swish": (
        {"payee": "1237856901", "amount": "100", "message": "Ticket 1"},
        {"payee": "1237856901", "amount": "250", "message": "Ticket 2"},
    ),
    "epc": (
        {
            "name": "Red Cross",
            "iban": "DE89370400440532013000",
            "amount": "10.00",
            "text": "Donation",
        },
        {
            "name": "Red Cross",
            "iban": "DE89370400440532013000",
            "amount": "25.00",
            "text": "Donation",
        },
    ),
}

_COMMON = (
    {
        "name": "Spring poster",
        "tags": "posters, spring",
        "folder": "Posters",
        "alias": "spring-poster",
        "url": "https://example.com/spring",
    },
    {
        "name": "Summer poster",
        "tags": "posters",
        "folder": "Posters",
        "fg": "#1a237e",
        "bg": "#ffffff",
        "caption": "SCAN ME",
        "url": "https://example.com/summer",
    },
)


def sample_csv(content_type: str, dynamic: bool = False) -> bytes:
    """A UTF-8 CSV (with a BOM, so Excel shows accents right) for this kind of job."""
    dynamic = is_dynamic(content_type, dynamic)
    examples = () if dynamic else _EXAMPLES[content_type]
    shown = {k for example in examples for k in example}
    # Rarely used optional fields (a Wi-Fi's EAP settings) stay out of the sample.
    job = [
        f
        for f in job_fields(content_type, dynamic)
        if not f.key.startswith(PAYLOAD_PREFIX)
        or f.required
        or f.key.removeprefix(PAYLOAD_PREFIX) in shown
    ]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.label for f in job])
    for index, common in enumerate(_COMMON):
        content = examples[index] if examples else {}
        row = []
        for f in job:
            if f.key.startswith(PAYLOAD_PREFIX):
                row.append(content.get(f.key.removeprefix(PAYLOAD_PREFIX), ""))
            elif f.key == "alias" and not dynamic:
                row.append("")
            else:
                row.append(common.get(f.key, ""))
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
