"""Stripe in tests: localstripe (tests/support/localstripe_server.py) and webhook events
signed with the Stripe library's own signing helper.

scripts/test starts one localstripe for the run (TEST_STRIPE_API_BASE); a plain `pytest`
without it gets one started here for the session.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import stripe

from tests.support.processes import free_port, start, stop, wait_http

API_KEY = "sk_test_qrapp"
WEBHOOK_SECRET = "whsec_test_qrapp_webhook_secret"
SIGNATURE_HEADER = "Stripe-Signature"


@functools.cache
def api_base() -> str:
    if base := os.environ.get("TEST_STRIPE_API_BASE"):
        return base.rstrip("/")
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"localstripe-{os.getpid()}.log"
    proc = start(
        [sys.executable, "-m", "tests.support.localstripe_server", "--port", str(port)], {}, log
    )
    atexit.register(stop, proc)
    base = f"http://127.0.0.1:{port}"
    wait_http(f"{base}/v1/customers", 30, proc, log)
    return base


def stripe_env() -> dict[str, str]:
    """The product's settings for Stripe, pointed at localstripe."""
    return {
        "STRIPE_API_KEY": API_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": api_base(),
    }


def client() -> stripe.StripeClient:
    return stripe.StripeClient(API_KEY, base_addresses={"api": api_base()}, max_network_retries=0)


def _post(path: str, data: dict[str, str] | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{api_base()}{path}", data=data or {}, headers={"Authorization": f"Bearer {API_KEY}"}
    )
    response.raise_for_status()
    return response.json()


def customer_with_card(email: str, payment_method: str = "pm_card_visa") -> str:
    """A Stripe customer whose default card is `payment_method` (Stripe's test cards:
    pm_card_visa pays, pm_card_chargeCustomerFail attaches and then fails to charge)."""
    c = client()
    customer = c.v1.customers.create(params={"email": email})
    set_card(customer.id, payment_method)
    return customer.id


def set_card(customer_id: str, payment_method: str) -> None:
    c = client()
    pm = c.v1.payment_methods.attach(payment_method, params={"customer": customer_id})
    c.v1.customers.update(
        customer_id, params={"invoice_settings": {"default_payment_method": pm.id}}
    )


def checkout_session(session_id: str) -> dict[str, Any]:
    """What Checkout was asked for (the stand-in keeps it)."""
    response = httpx.get(
        f"{api_base()}/v1/checkout/sessions/{session_id}",
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    response.raise_for_status()
    return response.json()


def complete_checkout(session_id: str, payment_method: str = "pm_card_visa") -> dict[str, Any]:
    """A person pays on the hosted Checkout page: the subscription now exists in
    localstripe. Returns the completed session (send it as checkout.session.completed)."""
    return _post(
        f"/_config/stand_in/checkout/{session_id}/complete", {"payment_method": payment_method}
    )


def register_webhook(name: str, url: str, events: list[str]) -> None:
    """Have localstripe (and the hosted Checkout page's Pay button) deliver `events` to
    `url`, signed with WEBHOOK_SECRET; registering `name` again replaces it, and an empty
    `events` list switches it off."""
    response = httpx.post(
        f"{api_base()}/_config/webhooks/{name}",
        json={"url": url, "secret": WEBHOOK_SECRET, "events": events},
    )
    response.raise_for_status()


def renew(subscription_id: str) -> dict[str, Any]:
    """Charge the subscription's next invoice now, as Stripe does at renewal."""
    return _post(f"/_config/stand_in/subscriptions/{subscription_id}/renew")


def event(type_: str, obj: dict[str, Any], *, created: int | None = None) -> dict[str, Any]:
    """A webhook event envelope as Stripe sends it."""
    return {
        "id": "evt_" + secrets.token_hex(12),
        "object": "event",
        "api_version": stripe.api_version,
        "created": created or int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
        "data": {"object": obj},
    }


def signed(
    payload: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """The raw body and the Stripe-Signature header, made by Stripe's own helper."""
    body = json.dumps(payload)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return body.encode(), {SIGNATURE_HEADER: header, "Content-Type": "application/json"}
