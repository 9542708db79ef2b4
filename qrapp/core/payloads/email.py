"""E-mail: a `mailto:` URI (RFC 6068) or the MATMSG form some older phones read."""

import re
from typing import ClassVar, Literal
from urllib.parse import quote

from pydantic import field_validator

from qrapp.core.payloads.base import Payload, field
from qrapp.core.payloads.escaping import backslash_escape

_ADDRESS = re.compile(r"^[^@\s,;:<>\"]+@[^@\s,;:<>\"]+\.[^@\s,;:<>\"]+$")


def _address(value: str) -> str:
    value = value.strip()
    if not _ADDRESS.match(value):
        raise ValueError("Not an e-mail address, e.g. name@example.com.")
    return value


def _crlf(value: str) -> str:
    # RFC 6068 2: line breaks in a body are CRLF, percent-encoded as %0D%0A.
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


class EmailPayload(Payload):
    type_name: ClassVar[str] = "email"
    label: ClassVar[str] = "E-mail"

    to: str = field("To", "email")
    subject: str = field("Subject", default="", max_length=250)
    body: str = field("Message", "multiline", default="", max_length=2000)
    style: Literal["mailto", "matmsg"] = field(
        "Format", "choice", "mailto works everywhere; MATMSG for old phones.", default="mailto"
    )

    _to = field_validator("to")(lambda cls, v: _address(v))

    def encode(self) -> str:
        if self.style == "matmsg":
            to, sub, body = (
                backslash_escape(v, '\\;:"') for v in (self.to, self.subject, self.body)
            )
            return f"MATMSG:TO:{to};SUB:{sub};BODY:{body};;"
        # The address keeps '@'; everything in headers is percent-encoded (spaces as %20).
        query = [
            f"{name}={quote(_crlf(value), safe='')}"
            for name, value in (("subject", self.subject), ("body", self.body))
            if value
        ]
        uri = "mailto:" + quote(self.to, safe="@+")
        return uri + ("?" + "&".join(query) if query else "")
