"""Payment requests: Swish (Sweden) and EPC / SEPA credit transfer (EPC069-12)."""

import re
from decimal import Decimal
from typing import ClassVar
from urllib.parse import quote

from pydantic import field_validator, model_validator

from qrapp.core.payloads import validators
from qrapp.core.payloads.base import Payload, field
from qrapp.core.payloads.errors import PayloadError


class SwishPayload(Payload):
    """A prefilled Swish payment. Scanning it never confirms a payment: the payer does."""

    type_name: ClassVar[str] = "swish"
    label: ClassVar[str] = "Swish payment"

    payee: str = field("Swish number", "digits", "Digits only, e.g. 123 785 69 01.")
    amount: Decimal | None = field("Amount (SEK)", "decimal", default=None)
    message: str = field("Message", default="", max_length=50)
    payee_editable: bool = field("Payer may change the number", "bool", default=False)
    amount_editable: bool = field("Payer may change the amount", "bool", default=False)
    message_editable: bool = field("Payer may change the message", "bool", default=False)

    @field_validator("payee", mode="before")
    @classmethod
    def _payee(cls, value: object) -> str:
        digits = re.sub(r"[\s\-]", "", str(value or ""))
        if not digits.isascii() or not digits.isdigit() or not 5 <= len(digits) <= 15:
            raise ValueError("A Swish number is 5 to 15 digits, e.g. 1237856901.")
        return digits

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: object) -> Decimal | None:
        if value is None or str(value).strip() == "":
            return None
        return validators.money(value, Decimal("1.00"), Decimal("999999999999.99"))

    @model_validator(mode="after")
    def _field_caps(self) -> "SwishPayload":
        # Swish caps every field at 70 characters after URL encoding.
        if len(quote(self.message, safe="")) > 70:
            raise PayloadError({"message": "Too long once encoded (max 70); use fewer symbols."})
        return self

    @property
    def editable_mask(self) -> int:
        # PAYLOADS.md: bit 0 payee, bit 1 amount, bit 2 message; a set bit means editable.
        return (
            (1 if self.payee_editable else 0)
            | (2 if self.amount_editable else 0)
            | (4 if self.message_editable else 0)
        )

    def encode(self) -> str:
        amount = "" if self.amount is None else f"{self.amount:.2f}".replace(".", ",")
        return f"C{self.payee};{amount};{quote(self.message, safe='')};{self.editable_mask}"


EPC_MAX_BYTES = 331


class EpcPayload(Payload):
    """SEPA credit transfer (the "GiroCode"), version 002, UTF-8."""

    type_name: ClassVar[str] = "epc"
    label: ClassVar[str] = "SEPA transfer (EPC)"
    preferred_error: ClassVar[str | None] = "M"

    name: str = field("Beneficiary name", min_length=1, max_length=70)
    iban: str = field("IBAN", "iban")
    bic: str = field("BIC", "bic", "Optional inside the EEA.", default="")
    amount: Decimal | None = field("Amount (EUR)", "decimal", default=None)
    purpose: str = field("Purpose code", help="4 letters, e.g. CHAR; usually empty.", default="")
    reference: str = field(
        "Creditor reference (RF)", help="Use this or a text, not both.", default=""
    )
    text: str = field("Remittance text", "multiline", default="", max_length=140)
    information: str = field("Note to payer", default="", max_length=70)

    @field_validator("name", "text", "information")
    @classmethod
    def _single_line(cls, value: str) -> str:
        # Each element is one line of the payload: a line break would shift every field.
        if "\n" in value or "\r" in value:
            raise ValueError("Must fit on one line.")
        return value.strip()

    @field_validator("iban")
    @classmethod
    def _iban(cls, value: str) -> str:
        return validators.iban(value)

    @field_validator("bic")
    @classmethod
    def _bic(cls, value: str) -> str:
        return validators.bic(value) if value.strip() else ""

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: object) -> Decimal | None:
        if value is None or str(value).strip() == "":
            return None
        return validators.money(value, Decimal("0.01"), Decimal("999999999.99"))

    @field_validator("purpose")
    @classmethod
    def _purpose(cls, value: str) -> str:
        value = value.strip().upper()
        if value and not re.fullmatch(r"[A-Z0-9]{4}", value):
            raise ValueError("A purpose code is 4 letters, e.g. CHAR.")
        return value

    @field_validator("reference")
    @classmethod
    def _reference(cls, value: str) -> str:
        return validators.creditor_reference(value) if value.strip() else ""

    @model_validator(mode="after")
    def _check(self) -> "EpcPayload":
        if self.reference and self.text:
            raise PayloadError({"text": "Use a creditor reference or a text, not both."})
        if len(self.encode().encode("utf-8")) > EPC_MAX_BYTES:
            raise PayloadError({"__all__": f"Too long: an EPC code holds {EPC_MAX_BYTES} bytes."})
        return self

    def encode(self) -> str:
        amount = f"EUR{self.amount:.2f}" if self.amount is not None else ""
        lines = ["BCD", "002", "1", "SCT", self.bic, self.name, self.iban, amount]
        lines += [self.purpose, self.reference, self.text, self.information]
        # EPC069-12: the last populated element ends the payload, no trailing separator.
        while lines[-1] == "":
            lines.pop()
        return "\n".join(lines)
