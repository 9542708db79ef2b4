"""The Swish Commerce API over mutual TLS: the four calls we make, nothing else.

Swish identifies us by our client certificate (SWISH_CERT_FILE/SWISH_KEY_FILE, issued in
the Swish certificate portal) and we verify Swish's server against SWISH_CA_FILE. Amounts go
as "123.00" strings: Swish reads a JSON float like 123.0 as a different amount format.
"""

from __future__ import annotations

import json
import re
import ssl
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from qrapp.core import routes
from qrapp.services.errors import ServiceError
from qrapp.settings import Settings, get_settings

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# Swish's instructionUUID: 32 upper-case hex characters (no dashes); ours are uuid4s.
INSTRUCTION_ID = re.compile(r"[0-9A-F]{32}")

# What a payer can do something about; any other refusal is ours to fix (a generic message).
_PAYER_MESSAGES = {
    "BE18": "That phone number is not a valid Swish number.",
    "ACMT03": "That phone number is not connected to Swish.",
    "ACMT01": "That phone number is not connected to Swish.",
    "RP06": "There is already a Swish payment waiting in that phone's Swish app.",
}


class SwishUnavailable(ServiceError):
    """Swish did not answer, or answered something we did not expect."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("Swish could not be reached. Please try again in a minute.")
        self.detail = detail


class SwishRefused(ServiceError):
    """Swish answered 422 with its list of {errorCode, errorMessage}."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.codes = [str(e.get("errorCode", "")) for e in errors]
        message = next((_PAYER_MESSAGES[c] for c in self.codes if c in _PAYER_MESSAGES), None)
        super().__init__(message or "Swish refused the payment request. Please try again later.")
        self.errors = errors


@dataclass(frozen=True)
class Created:
    location: str
    token: str  # PaymentRequestToken: m-commerce only ("" when a payer alias was given)


def money(amount_minor: int) -> str:
    """Öre -> Swish's amount text: 9900 -> "99.00"."""
    return f"{amount_minor // 100}.{amount_minor % 100:02d}"


def minor(amount: Any) -> int:
    """Swish's amount (a JSON number or text) -> öre, without float rounding."""
    return int(Decimal(str(amount)) * 100)


def callback_url() -> str:
    """Where Swish POSTs its callbacks (payments and refunds): https, or Swish refuses."""
    s = get_settings()
    return (s.swish_callback_base or s.public_api_url).rstrip("/") + routes.SWISH_CALLBACK


def _ssl_context(settings: Settings) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.swish_ca_file or None)
    context.load_cert_chain(settings.swish_cert_file, settings.swish_key_file)
    return context


class SwishApi:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.base = self.settings.swish_api_base.rstrip("/")

    def _send(self, method: str, path: str, body: dict[str, Any] | None = None):
        try:
            with httpx.Client(verify=_ssl_context(self.settings), timeout=TIMEOUT) as client:
                return client.request(
                    method,
                    f"{self.base}/{path}",  # Swish's paths, not ours: relative
                    content=None if body is None else json.dumps(body),
                    headers={"Content-Type": "application/json"} if body is not None else {},
                )
        except (httpx.HTTPError, ssl.SSLError, OSError) as exc:
            raise SwishUnavailable(repr(exc)) from exc

    @staticmethod
    def _refusal(response: httpx.Response) -> ServiceError:
        if response.status_code == 422:
            try:
                errors = response.json()
            except ValueError:
                errors = []
            return SwishRefused(errors if isinstance(errors, list) else [errors])
        return SwishUnavailable(f"HTTP {response.status_code}: {response.text[:200]}")

    def _create(self, path: str, body: dict[str, Any]) -> Created:
        response = self._send("PUT", path, body)
        if response.status_code != 201:
            raise self._refusal(response)
        return Created(
            location=response.headers.get("Location", ""),
            token=response.headers.get("PaymentRequestToken", ""),
        )

    def _read(self, path: str) -> dict[str, Any]:
        response = self._send("GET", path)
        if response.status_code != 200:
            raise self._refusal(response)
        try:
            found = response.json()
        except ValueError as exc:
            raise SwishUnavailable("not JSON") from exc
        if not isinstance(found, dict):
            raise SwishUnavailable("not an object")
        return found

    def create_payment_request(self, instruction_id: str, body: dict[str, Any]) -> Created:
        return self._create(f"api/v2/paymentrequests/{instruction_id}", body)

    def payment_request(self, instruction_id: str) -> dict[str, Any]:
        return self._read(f"api/v1/paymentrequests/{instruction_id}")

    def create_refund(self, instruction_id: str, body: dict[str, Any]) -> Created:
        return self._create(f"api/v2/refunds/{instruction_id}", body)

    def refund(self, instruction_id: str) -> dict[str, Any]:
        return self._read(f"api/v1/refunds/{instruction_id}")
