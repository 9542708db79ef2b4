"""QR content types: validated models, their exact encodings, and form metadata.

encode("wifi", {"ssid": "Home", "password": "secret123"}) -> "WIFI:T:WPA;S:Home;..."
parse("url", {...}) -> UrlPayload       TYPES["url"] -> UrlPayload
fields("vcard") -> [FieldSpec(...), ...]  so a UI can build a form from data
"""

from qrapp.core.payloads.base import QR_MAX_BYTES, Payload
from qrapp.core.payloads.contact import MeCardPayload, VCardPayload
from qrapp.core.payloads.email import EmailPayload
from qrapp.core.payloads.errors import PayloadError
from qrapp.core.payloads.event import EventPayload
from qrapp.core.payloads.payments import EpcPayload, SwishPayload
from qrapp.core.payloads.registry import TYPES, FieldSpec, encode, fields, parse, type_list
from qrapp.core.payloads.simple import GeoPayload, PhonePayload, SmsPayload, TextPayload, UrlPayload
from qrapp.core.payloads.wifi import WifiPayload

__all__ = [
    "QR_MAX_BYTES",
    "TYPES",
    "EmailPayload",
    "EpcPayload",
    "EventPayload",
    "FieldSpec",
    "GeoPayload",
    "MeCardPayload",
    "Payload",
    "PayloadError",
    "PhonePayload",
    "SmsPayload",
    "SwishPayload",
    "TextPayload",
    "UrlPayload",
    "VCardPayload",
    "WifiPayload",
    "encode",
    "fields",
    "parse",
    "type_list",
]
