"""Klarna's Payments API v1 and Customer Token API v1, the few calls qrapp makes: a
payment session that will tokenize, the customer token made from the shopper's
authorization, orders on that token (recurring charges) and cancelling the token.
Basic auth with the merchant's API username and password, over httpx.
"""

from __future__ import annotations

from typing import Any

import httpx

from qrapp.services.errors import ServiceError
from qrapp.settings import get_settings

_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
_UNAVAILABLE = "Klarna could not be reached. Please try again in a moment."


class KlarnaError(ServiceError):
    """Klarna could not be reached or answered with an error we did not cause by the
    payment method (our credentials, its outage): worth trying again later."""

    def __init__(self, message: str = _UNAVAILABLE, *, status: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class KlarnaDeclined(KlarnaError):
    """Klarna refused this payment (the payment method failed, the token is cancelled,
    fraud check rejected): retrying the same request will not help."""


def configured() -> bool:
    s = get_settings()
    return bool(s.klarna_username and s.klarna_password)


def _call(
    method: str, path: str, body: dict[str, Any], *, idempotency_key: str = ""
) -> httpx.Response:
    s = get_settings()
    headers = {"Content-Type": "application/json"}
    if idempotency_key:
        headers["Klarna-Idempotency-Key"] = idempotency_key
    try:
        r = httpx.request(
            method,
            f"{s.klarna_api_base.rstrip('/')}/{path}",  # paths are relative: "payments/v1/..."
            json=body,
            headers=headers,
            auth=(s.klarna_username, s.klarna_password),
            timeout=_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        raise KlarnaError() from exc
    if 200 <= r.status_code < 300:
        return r
    code = _error_code(r)
    # 401 (our credentials), 409 (an idempotency key reused for another body: our bug) and
    # 5xx are not the shopper's doing; other refusals are about this payment.
    if r.status_code in (401, 409) or r.status_code >= 500:
        raise KlarnaError(status=r.status_code, code=code)
    raise KlarnaDeclined(
        "Klarna declined the payment. Please try again or choose another way to pay.",
        status=r.status_code,
        code=code,
    )


def _error_code(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return ""
    return str(body.get("error_code", "")) if isinstance(body, dict) else ""


def _path_part(value: str) -> str:
    """Tokens go into URL paths: Klarna's are UUID-like; anything else is refused."""
    if not value or len(value) > 100 or not all(c.isalnum() or c in "-_" for c in value):
        raise KlarnaDeclined("That Klarna authorization is not valid. Please start again.")
    return value


def create_session(order: dict[str, Any]) -> dict[str, Any]:
    """`order`: purchase_country/currency, locale, amounts and lines; intent tokenize."""
    return _call("POST", "payments/v1/sessions", order).json()


def create_customer_token(authorization_token: str, body: dict[str, Any]) -> dict[str, Any]:
    path = f"payments/v1/authorizations/{_path_part(authorization_token)}/customer-token"
    return _call("POST", path, body).json()


def create_order(token_id: str, order: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
    """Charge the customer token. A fraud_status other than ACCEPTED is a decline here:
    the service renews only on money it is sure of."""
    path = f"customer-token/v1/tokens/{_path_part(token_id)}/order"
    body = _call("POST", path, order, idempotency_key=idempotency_key).json()
    if body.get("fraud_status") != "ACCEPTED" or not body.get("order_id"):
        raise KlarnaDeclined(
            "Klarna declined the payment. Please try again or choose another way to pay.",
            code=str(body.get("fraud_status", "")),
        )
    return body


def cancel_token(token_id: str) -> None:
    _call(
        "PATCH", f"customer-token/v1/tokens/{_path_part(token_id)}/status", {"status": "CANCELLED"}
    )


def session_url(session_id: str) -> str:
    """The KP session as Klarna's Hosted Payment Page names it (payment_session_url)."""
    return f"{get_settings().klarna_api_base.rstrip('/')}/payments/v1/sessions/{session_id}"


def create_hpp_session(body: dict[str, Any]) -> dict[str, Any]:
    """Klarna's Hosted Payment Page (HPP API v1) for a KP session: the authorization runs
    on Klarna's own page, so ours loads no Klarna script. The answer's redirect_url is
    where the browser goes; session_id is the HPP session's own id (not the KP one)."""
    answer = _call("POST", "hpp/v1/sessions", body).json()
    if not isinstance(answer, dict) or not str(answer.get("redirect_url", "")).startswith(
        ("https://", "http://")
    ):
        raise KlarnaError()
    return answer
