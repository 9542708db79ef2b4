"""PayPal's REST API, the few calls qrapp makes (Catalog Products, Billing Plans,
Subscriptions v1, webhook verification), over httpx with an OAuth2 client-credentials
token that is cached until shortly before it expires and fetched again once when PayPal
says it is no longer good (tokens are revoked early too, e.g. when the secret rotates).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from typing import Any

import httpx

from qrapp.services.errors import ServiceError
from qrapp.settings import get_settings

_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
_TOKEN_PATH = "v1/oauth2/token"  # noqa: S105 (a path, not a secret)
_tokens: dict[tuple[str, str], tuple[str, float]] = {}  # (base, client id) -> (token, until)
_tokens_lock = threading.Lock()


class PayPalError(ServiceError):
    """PayPal refused or could not be reached; `name` is PayPal's error name if any."""

    def __init__(self, message: str, *, status: int = 0, name: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.name = name


_UNAVAILABLE = "PayPal could not be reached. Please try again in a moment."


def configured() -> bool:
    s = get_settings()
    return bool(s.paypal_client_id and s.paypal_client_secret)


def _base() -> str:
    """Without a trailing slash; API paths here are relative ("v1/billing/...")."""
    return get_settings().paypal_api_base.rstrip("/")


def _token(*, fresh: bool = False) -> str:
    s = get_settings()
    key = (_base(), s.paypal_client_id)
    with _tokens_lock:
        cached = _tokens.get(key)
        if cached and not fresh and cached[1] > time.monotonic():
            return cached[0]
    try:
        r = httpx.post(
            f"{_base()}/{_TOKEN_PATH}",
            auth=(s.paypal_client_id, s.paypal_client_secret),
            data={"grant_type": "client_credentials"},
            timeout=_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        raise PayPalError(_UNAVAILABLE) from exc
    if r.status_code != 200:
        raise PayPalError(_UNAVAILABLE, status=r.status_code, name=_error_name(r))
    body = r.json()
    # A minute's margin: a token that expires in flight would fail the call it was for.
    until = time.monotonic() + max(0, int(body.get("expires_in", 0)) - 60)
    with _tokens_lock:
        _tokens[key] = (body["access_token"], until)
    return body["access_token"]


def _error_name(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    details = body.get("details") or [{}]
    return str(details[0].get("issue") or body.get("name") or body.get("error") or "")


def call(
    method: str,
    path: str,
    *,
    body: Any = None,
    content: bytes | None = None,
    request_id: str | None = None,
) -> httpx.Response:
    """One API call; a 401 fetches a new token and tries once more. Raises PayPalError
    for transport errors and any answer outside 2xx."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if request_id:
        headers["PayPal-Request-Id"] = request_id  # PayPal answers a repeat with the first result
    if content is None and body is not None:
        content = json.dumps(body).encode()
    for attempt in range(2):
        headers["Authorization"] = f"Bearer {_token(fresh=attempt > 0)}"
        try:
            r = httpx.request(
                method, f"{_base()}/{path}", headers=headers, content=content, timeout=_TIMEOUT
            )
        except httpx.HTTPError as exc:
            raise PayPalError(_UNAVAILABLE) from exc
        if r.status_code != 401:
            break
    if not 200 <= r.status_code < 300:
        raise PayPalError(
            "PayPal refused the request. Please try again or choose another way to pay.",
            status=r.status_code,
            name=_error_name(r),
        )
    return r


def create_product(*, name: str, request_id: str) -> str:
    body = {"name": name, "type": "SERVICE", "category": "SOFTWARE"}
    return call("POST", "v1/catalogs/products", body=body, request_id=request_id).json()["id"]


def create_plan(
    *, product_id: str, name: str, unit: str, value: str, currency: str, request_id: str
) -> str:
    body = {
        "product_id": product_id,
        "name": name,
        "status": "ACTIVE",
        "billing_cycles": [
            {
                "frequency": {"interval_unit": unit, "interval_count": 1},
                "tenure_type": "REGULAR",
                "sequence": 1,
                "total_cycles": 0,  # renews until cancelled
                "pricing_scheme": {"fixed_price": {"value": value, "currency_code": currency}},
            }
        ],
        "payment_preferences": {
            "auto_bill_outstanding": True,
            # One failed renewal suspends at once; our own grace period (14 days) follows.
            "payment_failure_threshold": 1,
        },
    }
    return call("POST", "v1/billing/plans", body=body, request_id=request_id).json()["id"]


def create_subscription(
    *, plan_id: str, custom_id: str, return_url: str, cancel_url: str, request_id: str
) -> dict[str, Any]:
    body = {
        "plan_id": plan_id,
        "custom_id": custom_id,
        "application_context": {
            "brand_name": "qrapp",
            "shipping_preference": "NO_SHIPPING",
            "user_action": "SUBSCRIBE_NOW",
            "return_url": return_url,
            "cancel_url": cancel_url,
        },
    }
    return call("POST", "v1/billing/subscriptions", body=body, request_id=request_id).json()


def get_subscription(subscription_id: str) -> dict[str, Any]:
    return call("GET", f"v1/billing/subscriptions/{_safe_id(subscription_id)}").json()


def cancel_subscription(subscription_id: str, *, reason: str) -> None:
    call(
        "POST",
        f"v1/billing/subscriptions/{_safe_id(subscription_id)}/cancel",
        body={"reason": reason[:128]},
    )


def verify_webhook(headers: Mapping[str, str], raw_body: bytes) -> bool:
    """Ask PayPal whether it sent this webhook to our webhook id. The event goes back
    byte for byte (spliced into the request, not parsed and dumped again): PayPal checks
    the signature over what it sent, and a re-serialised event may differ from it."""
    s = get_settings()
    names = ("auth-algo", "cert-url", "transmission-id", "transmission-sig", "transmission-time")
    values = {n: headers.get(f"paypal-{n}", "") for n in names}
    if not all(values.values()) or not s.paypal_webhook_id:
        return False
    try:
        if not isinstance(json.loads(raw_body), dict):
            return False
    except ValueError:
        return False
    envelope = {n.replace("-", "_"): v for n, v in values.items()}
    envelope["webhook_id"] = s.paypal_webhook_id
    head = json.dumps(envelope).encode()[:-1]
    content = head + b', "webhook_event": ' + raw_body + b"}"
    r = call("POST", "v1/notifications/verify-webhook-signature", content=content)
    return r.json().get("verification_status") == "SUCCESS"


def _safe_id(value: str) -> str:
    """Ids go into URL paths: only PayPal's own alphabet (I-ABC123...)."""
    if not value or not all(c.isalnum() or c in "-_" for c in value) or len(value) > 64:
        raise PayPalError("That PayPal subscription id is not valid.")
    return value
