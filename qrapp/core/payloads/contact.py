"""Contact cards: vCard 3.0 (RFC 2426) / 4.0 (RFC 6350) and the compact MECARD."""

import datetime as dt
from typing import ClassVar, Literal

from pydantic import field_validator, model_validator

from qrapp.core.payloads import validators
from qrapp.core.payloads.base import Payload, field
from qrapp.core.payloads.errors import PayloadError
from qrapp.core.payloads.escaping import backslash_escape, content_lines, rfc_text


def _optional_phone(value: str) -> str:
    return validators.e164(value) if value.strip() else ""


class VCardPayload(Payload):
    type_name: ClassVar[str] = "vcard"
    label: ClassVar[str] = "Contact (vCard)"

    version: Literal["3.0", "4.0"] = field("vCard version", "choice", default="3.0")
    first_name: str = field("First name", default="", max_length=100)
    last_name: str = field("Last name", default="", max_length=100)
    formatted_name: str = field(
        "Display name", help="Defaults to first and last name.", default="", max_length=200
    )
    organization: str = field("Company", default="", max_length=200)
    title: str = field("Job title", default="", max_length=200)
    mobile: str = field("Mobile", "phone", default="")
    work_phone: str = field("Work phone", "phone", default="")
    email: str = field("E-mail", "email", default="", max_length=254)
    website: str = field("Website", "url", default="", max_length=500)
    street: str = field("Street", default="", max_length=200)
    city: str = field("City", default="", max_length=100)
    region: str = field("Region", default="", max_length=100)
    postcode: str = field("Postcode", default="", max_length=20)
    country: str = field("Country", default="", max_length=100)
    note: str = field("Note", "multiline", default="", max_length=1000)

    @field_validator("mobile", "work_phone")
    @classmethod
    def _phones(cls, value: str) -> str:
        return _optional_phone(value)

    _website = field_validator("website")(lambda cls, v: validators.optional_web_url(v))

    @model_validator(mode="after")
    def _needs_a_name(self) -> "VCardPayload":
        # FN is the one property both RFCs require.
        if not self.display_name:
            raise PayloadError({"first_name": "Give a name or a company."})
        return self

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name.strip(), self.last_name.strip()) if p)
        return self.formatted_name.strip() or name or self.organization.strip()

    def encode(self) -> str:
        v4 = self.version == "4.0"
        lines = ["BEGIN:VCARD", f"VERSION:{self.version}"]
        lines.append(f"N:{rfc_text(self.last_name)};{rfc_text(self.first_name)};;;")
        lines.append("FN:" + rfc_text(self.display_name))
        if self.organization:
            lines.append("ORG:" + rfc_text(self.organization))
        if self.title:
            lines.append("TITLE:" + rfc_text(self.title))
        for number, kind in ((self.mobile, "cell"), (self.work_phone, "work")):
            if number and v4:
                lines.append(f"TEL;TYPE={kind};VALUE=uri:tel:{number}")
            elif number:
                lines.append(f"TEL;TYPE={'CELL' if kind == 'cell' else 'WORK,VOICE'}:{number}")
        if self.email:
            lines.append(("EMAIL:" if v4 else "EMAIL;TYPE=INTERNET:") + rfc_text(self.email))
        if any((self.street, self.city, self.region, self.postcode, self.country)):
            parts = (self.street, self.city, self.region, self.postcode, self.country)
            lines.append("ADR:;;" + ";".join(rfc_text(p) for p in parts))
        if self.website:
            # A URI value, not TEXT: escaping its commas would change the address.
            lines.append("URL:" + self.website.strip())
        if self.note:
            lines.append("NOTE:" + rfc_text(self.note))
        lines.append("END:VCARD")
        return content_lines(lines)


def _mecard(value: str) -> str:
    return backslash_escape(value, '\\;:"')


class MeCardPayload(Payload):
    type_name: ClassVar[str] = "mecard"
    label: ClassVar[str] = "Contact (MECARD, compact)"

    first_name: str = field("First name", default="", max_length=100)
    last_name: str = field("Last name", min_length=1, max_length=100)
    phone: str = field("Phone", "phone", default="")
    email: str = field("E-mail", "email", default="", max_length=254)
    address: str = field("Address", default="", max_length=300)
    website: str = field("Website", "url", default="", max_length=500)
    birthday: dt.date | None = field("Birthday", "date", default=None)
    note: str = field("Note", "multiline", default="", max_length=500)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return _optional_phone(value)

    _website = field_validator("website")(lambda cls, v: validators.optional_web_url(v))

    def encode(self) -> str:
        name = _mecard(self.last_name) + ("," + _mecard(self.first_name) if self.first_name else "")
        fields = [("N", name)]
        fields += [
            (key, _mecard(value))
            for key, value in (
                ("TEL", self.phone),
                ("EMAIL", self.email),
                ("ADR", self.address),
                ("URL", self.website.strip()),
            )
            if value
        ]
        if self.birthday:
            fields.append(("BDAY", self.birthday.strftime("%Y%m%d")))
        if self.note:
            fields.append(("NOTE", _mecard(self.note)))
        return "MECARD:" + "".join(f"{key}:{value};" for key, value in fields) + ";"
