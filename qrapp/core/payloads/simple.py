"""The one-line content types: URL, plain text, phone call, SMS and geo location."""

from typing import ClassVar

from pydantic import field_validator

from qrapp.core.payloads import validators
from qrapp.core.payloads.base import Payload, field


class UrlPayload(Payload):
    type_name: ClassVar[str] = "url"
    label: ClassVar[str] = "Website (URL)"

    url: str = field("URL", "url", "https:// is added when no scheme is given.", min_length=1)

    _url = field_validator("url")(lambda cls, v: validators.web_url(v))

    def encode(self) -> str:
        return self.url


class TextPayload(Payload):
    type_name: ClassVar[str] = "text"
    label: ClassVar[str] = "Plain text"

    text: str = field("Text", "multiline", min_length=1, max_length=2900)

    def encode(self) -> str:
        return self.text


class PhonePayload(Payload):
    type_name: ClassVar[str] = "phone"
    label: ClassVar[str] = "Phone call"

    number: str = field("Phone number", "phone", "International format, e.g. +46 70 123 45 67.")

    _number = field_validator("number")(lambda cls, v: validators.e164(v))

    def encode(self) -> str:
        return "tel:" + self.number


class SmsPayload(Payload):
    type_name: ClassVar[str] = "sms"
    label: ClassVar[str] = "SMS"

    number: str = field("Phone number", "phone", "International format, e.g. +46 70 123 45 67.")
    body: str = field("Message", "multiline", default="", max_length=1000)

    _number = field_validator("number")(lambda cls, v: validators.e164(v))

    def encode(self) -> str:
        # SMSTO splits on the first two colons only, so the body needs no escaping.
        return f"SMSTO:{self.number}:{self.body}"


def _coordinate(value: float) -> str:
    # Fixed-point with at most 7 decimals (about 1 cm): never exponent notation, no "-0".
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class GeoPayload(Payload):
    type_name: ClassVar[str] = "geo"
    label: ClassVar[str] = "Location"

    latitude: float = field("Latitude", "number", "Decimal degrees, -90 to 90.", ge=-90, le=90)
    longitude: float = field(
        "Longitude", "number", "Decimal degrees, -180 to 180.", ge=-180, le=180
    )

    def encode(self) -> str:
        return f"geo:{_coordinate(self.latitude)},{_coordinate(self.longitude)}"
