"""Checks shared by several payload types: web links, phone numbers, IBAN, BIC, money."""

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_HOST_PORT = re.compile(r"^[^:/]+:\d+(/|$)")
# An allow list: a phone opens whatever a printed code says, and every other scheme
# (intent:, smb:, ftp:, itms-services:, javascript:, data:, file: ...) either runs
# something, reaches into the device or its network, or installs an app. The other
# content types build their own tel:, SMSTO:, geo:, WIFI: and mailto: texts.
WEB_SCHEMES = ("http", "https")


def web_url(value: str) -> str:
    """An http(s) link as it goes into a code (https:// added when no scheme is given), or
    ValueError with what to change."""
    value = (value or "").strip()
    if not value:
        raise ValueError("This field is required.")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        # Browsers drop tabs and newlines inside URLs (`java\tscript:`): refuse them all.
        raise ValueError("A URL cannot contain spaces or control characters; encode spaces as %20.")
    # Scanners only open a link they recognise, and that needs a scheme.
    # "host:8080/x" has a port, not a scheme.
    if not _SCHEME.match(value) or _HOST_PORT.match(value) or value.startswith("www."):
        value = "https://" + value
    if value.split(":", 1)[0].lower() not in WEB_SCHEMES:
        raise ValueError(
            "This kind of link is not allowed: use a web address (http:// or https://)."
            " For e-mail, phone, SMS, Wi-Fi or a place, choose that content type."
        )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError("That is not a valid web address.") from None
    host = parts.hostname or ""
    if "." not in host.strip("."):
        raise ValueError("The address needs a domain, e.g. https://example.com.")
    if parts.username is not None or parts.password is not None:
        # https://bank.example@evil.example/ goes to evil.example.
        raise ValueError("A web address cannot contain a user name or password.")
    return value


def optional_web_url(value: str) -> str:
    return web_url(value) if (value or "").strip() else ""


_PHONE_JUNK = re.compile(r"[\s\-().\u00a0/]")


def e164(value: str) -> str:
    """Normalise a phone number to E.164 (`+` and 8 to 15 digits) or raise ValueError."""
    digits = _PHONE_JUNK.sub("", value or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not digits.startswith("+"):
        raise ValueError("Use international format with the country code, e.g. +46 70 123 45 67.")
    number = digits[1:]
    if not number.isascii() or not number.isdigit():
        raise ValueError("A phone number may only contain digits after the +.")
    if number.startswith("0") or not 7 <= len(number) <= 15:
        raise ValueError("Not a valid international number (country code, then 6 to 14 digits).")
    return "+" + number


# Lengths from the SWIFT IBAN registry; an IBAN of another length cannot be valid.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 18, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def _mod97(text: str) -> int:
    # ISO 7064 MOD 97-10 over letters mapped to 10..35, as IBAN and RF references use.
    return int("".join(str(int(ch, 36)) for ch in text)) % 97


def iban(value: str) -> str:
    """Normalise (no spaces, upper case) and check country length and checksum."""
    code = re.sub(r"\s", "", value or "").upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}", code):
        raise ValueError("An IBAN starts with a country code and two check digits.")
    expected = IBAN_LENGTHS.get(code[:2])
    if expected is None:
        raise ValueError(f"Unknown IBAN country {code[:2]}.")
    if len(code) != expected:
        raise ValueError(f"A {code[:2]} IBAN has {expected} characters, this one {len(code)}.")
    if _mod97(code[4:] + code[:4]) != 1:
        raise ValueError("IBAN check digits do not match: please check for a typo.")
    return code


def bic(value: str) -> str:
    code = re.sub(r"\s", "", value or "").upper()
    if not re.fullmatch(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?", code):
        raise ValueError("A BIC has 8 or 11 characters, e.g. DEUTDEFF or DEUTDEFF500.")
    return code


def creditor_reference(value: str) -> str:
    """ISO 11649 structured reference: RF, two check digits, up to 21 characters."""
    code = re.sub(r"\s", "", value or "").upper()
    if not re.fullmatch(r"RF[0-9]{2}[A-Z0-9]{1,21}", code):
        raise ValueError("A creditor reference looks like RF18 5390 0754 7034.")
    if _mod97(code[4:] + code[:4]) != 1:
        raise ValueError("Creditor reference check digits do not match.")
    return code


def money(value: object, low: Decimal, high: Decimal) -> Decimal:
    """A positive amount with at most two decimals within [low, high]."""
    if isinstance(value, float):
        value = repr(value)  # avoid binary noise like 0.1000000000000000055
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError("Must be an amount like 100.00.") from None
    if not amount.is_finite():
        raise ValueError("Must be an amount like 100.00.")
    exponent = amount.as_tuple().exponent  # an int once the amount is finite
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise ValueError("At most two decimals.")
    if not low <= amount <= high:
        raise ValueError(f"Must be between {low} and {high}.")
    return amount.quantize(Decimal("0.01"))
