"""Wi-Fi network join codes (the ZXing `WIFI:` format Android and iOS cameras read)."""

import re
from typing import ClassVar, Literal

from pydantic import model_validator

from qrapp.core.payloads.base import Payload, field
from qrapp.core.payloads.errors import PayloadError
from qrapp.core.payloads.escaping import backslash_escape

_HEX = re.compile(r"^[0-9A-Fa-f]+$")
_WPA_RULE = "A WPA password has 8 to 63 characters."
_WEP_RULE = "A WEP key has 5 or 13 characters, or 10 or 26 hex digits."


def _esc(value: str) -> str:
    return backslash_escape(value, '\\;,":')


class WifiPayload(Payload):
    type_name: ClassVar[str] = "wifi"
    label: ClassVar[str] = "Wi-Fi network"

    ssid: str = field("Network name (SSID)", min_length=1)
    security: Literal["WPA", "WEP", "nopass", "WPA2-EAP"] = field(
        "Security", "choice", "WPA covers WPA2 and WPA3.", default="WPA"
    )
    password: str = field("Password", "password", default="", max_length=128)
    hidden: bool = field("Hidden network", "bool", default=False)
    eap_method: Literal["PEAP", "TTLS", "TLS", "PWD", "SIM", "AKA"] = field(
        "EAP method", "choice", "Enterprise networks only.", default="PEAP"
    )
    phase2: Literal["", "MSCHAPV2", "GTC", "PAP", "MSCHAP"] = field(
        "Phase 2 authentication", "choice", default=""
    )
    anonymous_identity: str = field("Anonymous identity", default="", max_length=128)
    identity: str = field("Identity", default="", max_length=128)

    @model_validator(mode="after")
    def _check(self) -> "WifiPayload":
        errors: dict[str, str] = {}
        if len(self.ssid.encode("utf-8")) > 32:
            errors["ssid"] = "A network name is at most 32 bytes."
        key = self.password
        wpa_ok = 8 <= len(key) <= 63 or (len(key) == 64 and _HEX.match(key))
        wep_ok = len(key) in (5, 13) or (len(key) in (10, 26) and _HEX.match(key))
        if self.security == "WPA" and not wpa_ok:
            errors["password"] = _WPA_RULE
        elif self.security == "WEP" and not wep_ok:
            errors["password"] = _WEP_RULE
        elif self.security == "WPA2-EAP" and not self.identity:
            errors["identity"] = "Enterprise networks need an identity."
        if errors:
            raise PayloadError(errors)
        return self

    def encode(self) -> str:
        parts = [f"T:{self.security}", f"S:{_esc(self.ssid)}"]
        if self.security == "WPA2-EAP":
            parts.append(f"E:{self.eap_method}")
            if self.phase2:
                parts.append(f"PH2:{self.phase2}")
            if self.anonymous_identity:
                parts.append(f"A:{_esc(self.anonymous_identity)}")
            parts.append(f"I:{_esc(self.identity)}")
        if self.security != "nopass":
            parts.append(f"P:{_esc(self.password)}")
        if self.hidden:
            parts.append("H:true")
        return "WIFI:" + ";".join(parts) + ";;"
