"""A small, strict PayPal REST simulator: OAuth2 client credentials, Catalog Products,
Billing Plans and Subscriptions (v1), and the webhook verify call, as PayPal documents
them (developer.paypal.com/docs/api/subscriptions/v1, .../webhooks/v1).

It refuses what PayPal refuses: a missing, unknown or expired bearer token (401
invalid_token), wrong client credentials (401 invalid_client), a body that is not JSON or
lacks a required field (400 INVALID_REQUEST), an unknown product or plan (404
RESOURCE_NOT_FOUND), cancelling a subscription that is not active or suspended (422
SUBSCRIPTION_STATUS_INVALID). What the payer does in PayPal's pages (approve), what
PayPal does on its own (suspend after failed payments, take a renewal payment) and the
webhooks it sends are test hooks on `PayPalSim`.

Webhook signatures: PayPal signs transmission id | time | webhook id | CRC32 of the event
with its certificate and the merchant asks PayPal to check them (verify-webhook-signature).
Here the signature is an HMAC with a key only the simulator knows, over the event as JSON
(canonical form: PayPal re-serialises the event it is given, so whitespace does not count
but every value does); the verify call answers SUCCESS only for an untouched event with
the headers it was sent with and this simulator's webhook id.

Over 400 lines: one simulator process for one provider's API, kept whole like the real
service it stands in for.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.asgi_thread import serve

CERT_URL = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-sim"
_INTERVAL_UNITS = {"DAY", "WEEK", "MONTH", "YEAR"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _canonical(event: Any) -> bytes:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _add(t: dt.datetime, unit: str, count: int) -> dt.datetime:
    if unit == "DAY":
        return t + dt.timedelta(days=count)
    if unit == "WEEK":
        return t + dt.timedelta(weeks=count)
    months = count * (12 if unit == "YEAR" else 1)
    y, m = divmod(t.month - 1 + months, 12)
    day = min(t.day, 28)  # PayPal bills on day 28 at the latest for the same reason
    return t.replace(year=t.year + y, month=m + 1, day=day)


def _error(status: int, name: str, message: str, issue: str = "", field_: str = "") -> Response:
    body: dict[str, Any] = {"name": name, "message": message, "debug_id": secrets.token_hex(6)}
    if issue:
        body["details"] = [{"issue": issue, **({"field": field_} if field_ else {})}]
    return JSONResponse(body, status_code=status)


def _bad(field_: str, issue: str = "MISSING_REQUIRED_PARAMETER") -> Response:
    return _error(
        400,
        "INVALID_REQUEST",
        "Request is not well-formed, syntactically incorrect, or violates schema.",
        issue,
        field_,
    )


def _not_found() -> Response:
    return _error(
        404,
        "RESOURCE_NOT_FOUND",
        "The specified resource does not exist.",
        "INVALID_RESOURCE_ID",
    )


@dataclass
class Delivery:
    """One webhook as PayPal would POST it: the headers and the exact body."""

    event: dict[str, Any]
    headers: dict[str, str]
    body: bytes


@dataclass
class PayPalSim:
    url: str = ""
    client_id: str = field(default_factory=lambda: "sim-client-" + secrets.token_hex(4))
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    webhook_id: str = field(default_factory=lambda: "WH-SIM-" + secrets.token_hex(6).upper())
    token_ttl: int = 32400
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    sales: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[str, dt.datetime] = field(default_factory=dict)  # token -> expiry
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    _key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _idempotent: dict[str, Response] = field(default_factory=dict)

    # --- test hooks: the payer and PayPal itself --------------------------------------

    def expire_tokens(self) -> None:
        """Every issued access token is past its expiry from now on."""
        with self._lock:
            for token in self.tokens:
                self.tokens[token] = _now() - dt.timedelta(seconds=1)

    def approve(self, subscription_id: str, *, at: dt.datetime | None = None) -> dict[str, Any]:
        """The payer approves in PayPal's page: the subscription becomes ACTIVE and the
        first cycle is paid at once (user_action SUBSCRIBE_NOW). Returns the sale."""
        with self._lock:
            sub = self.subscriptions[subscription_id]
            assert sub["status"] == "APPROVAL_PENDING", sub["status"]
            now = at or _now()
            sub["status"] = "ACTIVE"
            sub["start_time"] = iso(now)
            sub["subscriber"] = {"email_address": "payer@example.com", "payer_id": "PAYERSIM1"}
            return self._pay(sub, now)

    def renew(self, subscription_id: str, *, at: dt.datetime | None = None) -> dict[str, Any]:
        """PayPal takes the next cycle's payment. Returns the sale."""
        with self._lock:
            sub = self.subscriptions[subscription_id]
            assert sub["status"] == "ACTIVE", sub["status"]
            return self._pay(sub, at or _now())

    def fail_payment(self, subscription_id: str, *, suspend: bool = True) -> None:
        """A renewal payment fails; past the plan's failure threshold PayPal suspends."""
        with self._lock:
            sub = self.subscriptions[subscription_id]
            sub["billing_info"]["failed_payments_count"] += 1
            if suspend:
                sub["status"] = "SUSPENDED"
                sub["status_update_time"] = iso(_now())

    def set_status(self, subscription_id: str, status: str) -> None:
        with self._lock:
            sub = self.subscriptions[subscription_id]
            sub["status"] = status
            sub["status_update_time"] = iso(_now())
            if status in {"CANCELLED", "EXPIRED"}:
                sub["billing_info"].pop("next_billing_time", None)

    def subscription(self, subscription_id: str) -> dict[str, Any]:
        with self._lock:
            return json.loads(json.dumps(self.subscriptions[subscription_id]))

    def delivery(
        self,
        event_type: str,
        resource: dict[str, Any],
        *,
        event_id: str | None = None,
        sent_at: dt.datetime | None = None,
    ) -> Delivery:
        """A signed webhook of `event_type` about `resource` (a subscription or sale)."""
        resource_type = "sale" if event_type.startswith("PAYMENT.SALE.") else "subscription"
        event = {
            "id": event_id or "WH-" + secrets.token_hex(10).upper(),
            "event_version": "1.0",
            "create_time": iso(_now()),
            "resource_type": resource_type,
            "resource_version": "1.0" if resource_type == "sale" else "2.0",
            "event_type": event_type,
            "summary": f"Simulated {event_type}",
            "resource": resource,
        }
        transmission_id = secrets.token_hex(16)
        transmission_time = iso(sent_at or _now())
        headers = {
            "content-type": "application/json",
            "paypal-transmission-id": transmission_id,
            "paypal-transmission-time": transmission_time,
            "paypal-transmission-sig": self._sign(
                transmission_id, transmission_time, self.webhook_id, event
            ),
            "paypal-cert-url": CERT_URL,
            "paypal-auth-algo": "SHA256withRSA",
        }
        return Delivery(event=event, headers=headers, body=json.dumps(event).encode())

    def subscription_event(self, event_type: str, subscription_id: str, **kw: Any) -> Delivery:
        return self.delivery(event_type, self.subscription(subscription_id), **kw)

    # --- internals ----------------------------------------------------------------------

    def _pay(self, sub: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
        plan = self.plans[sub["plan_id"]]
        cycle = plan["billing_cycles"][0]
        price = cycle["pricing_scheme"]["fixed_price"]
        freq = cycle["frequency"]
        info = sub["billing_info"]
        info["last_payment"] = {"amount": dict(price), "time": iso(now)}
        info["next_billing_time"] = iso(_add(now, freq["interval_unit"], freq["interval_count"]))
        info["cycle_executions"][0]["cycles_completed"] += 1
        sub["status_update_time"] = iso(now)
        sale = {
            "id": "SALE" + secrets.token_hex(8).upper(),
            "state": "completed",
            "amount": {"total": price["value"], "currency": price["currency_code"]},
            "billing_agreement_id": sub["id"],
            "custom": sub.get("custom_id", ""),
            "create_time": iso(now),
            "update_time": iso(now),
        }
        self.sales.append(sale)
        return dict(sale)

    def _sign(self, transmission_id: str, time: str, webhook_id: str, event: Any) -> str:
        crc = binascii.crc32(_canonical(event))
        message = f"{transmission_id}|{time}|{webhook_id}|{crc}".encode()
        return base64.b64encode(hmac.new(self._key, message, hashlib.sha256).digest()).decode()

    def _authorized(self, request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return False
        expiry = self.tokens.get(auth.removeprefix("Bearer "))
        return expiry is not None and expiry > _now()


def _token_error() -> Response:
    return JSONResponse(
        {"error": "invalid_token", "error_description": "Token signature verification failed"},
        status_code=401,
    )


def build_app(sim: PayPalSim) -> Starlette:
    async def json_body(request: Request) -> Any:
        if not request.headers.get("content-type", "").startswith("application/json"):
            raise ValueError("not JSON")
        return json.loads(await request.body())

    def guarded(handler):
        """Bearer token first, then a JSON object body (POST), as PayPal checks them."""

        async def endpoint(request: Request) -> Response:
            with sim._lock:
                sim.requests.append((request.method, request.url.path))
                ok = sim._authorized(request)
            if not ok:
                return _token_error()
            body: Any = None
            if request.method == "POST":
                try:
                    body = await json_body(request)
                except ValueError:
                    return _error(
                        400,
                        "INVALID_REQUEST",
                        "Request is not well-formed (malformed JSON).",
                        "MALFORMED_REQUEST_JSON",
                    )
                if not isinstance(body, dict):
                    return _bad("/", "MALFORMED_REQUEST_JSON")
            # PayPal-Request-Id makes a POST idempotent: the same id answers the same.
            key = request.headers.get("paypal-request-id")
            cache_key = f"{request.url.path}|{key}"
            if key and cache_key in sim._idempotent:
                return sim._idempotent[cache_key]
            with sim._lock:
                response = handler(request, body)
            if key and response.status_code < 300:
                sim._idempotent[cache_key] = response
            return response

        return endpoint

    async def token(request: Request) -> Response:
        auth = request.headers.get("authorization", "")
        expected = base64.b64encode(f"{sim.client_id}:{sim.client_secret}".encode()).decode()
        if not hmac.compare_digest(auth, f"Basic {expected}"):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client Authentication failed"},
                status_code=401,
            )
        form = await request.form()
        if form.get("grant_type") != "client_credentials":
            return JSONResponse(
                {"error": "unsupported_grant_type", "error_description": "Grant Type is NULL"},
                status_code=400,
            )
        access = "A21AA" + secrets.token_urlsafe(24)
        with sim._lock:
            sim.tokens[access] = _now() + dt.timedelta(seconds=sim.token_ttl)
        return JSONResponse(
            {
                "scope": "https://uri.paypal.com/services/subscriptions",
                "access_token": access,
                "token_type": "Bearer",
                "app_id": "APP-SIM",
                "expires_in": sim.token_ttl,
                "nonce": secrets.token_hex(8),
            }
        )

    def create_product(request: Request, body: dict[str, Any]) -> Response:
        for name in ("name", "type"):
            if not body.get(name):
                return _bad(f"/{name}")
        if body["type"] not in {"PHYSICAL", "DIGITAL", "SERVICE"}:
            return _bad("/type", "INVALID_PARAMETER_VALUE")
        product_id = "PROD-" + secrets.token_hex(8).upper()
        product = {**body, "id": product_id, "create_time": iso(_now())}
        sim.products[product_id] = product
        return JSONResponse(product, status_code=201)

    def create_plan(request: Request, body: dict[str, Any]) -> Response:
        for name in ("product_id", "name", "billing_cycles", "payment_preferences"):
            if not body.get(name):
                return _bad(f"/{name}")
        if body["product_id"] not in sim.products:
            return _not_found()
        for i, cycle in enumerate(body["billing_cycles"]):
            freq = cycle.get("frequency") or {}
            price = (cycle.get("pricing_scheme") or {}).get("fixed_price") or {}
            if freq.get("interval_unit") not in _INTERVAL_UNITS:
                return _bad(f"/billing_cycles/{i}/frequency/interval_unit")
            if cycle.get("tenure_type") not in {"REGULAR", "TRIAL"}:
                return _bad(f"/billing_cycles/{i}/tenure_type")
            if not price.get("currency_code") or not _is_amount(price.get("value")):
                return _bad(
                    f"/billing_cycles/{i}/pricing_scheme/fixed_price", "INVALID_PARAMETER_VALUE"
                )
        plan_id = "P-" + secrets.token_hex(12).upper()
        plan = {**body, "id": plan_id, "status": "ACTIVE", "create_time": iso(_now())}
        sim.plans[plan_id] = plan
        return JSONResponse(plan, status_code=201)

    def create_subscription(request: Request, body: dict[str, Any]) -> Response:
        if not body.get("plan_id"):
            return _bad("/plan_id")
        plan = sim.plans.get(body["plan_id"])
        if plan is None or plan["status"] != "ACTIVE":
            return _error(
                422,
                "UNPROCESSABLE_ENTITY",
                "The requested action could not be performed.",
                "INVALID_PLAN_ID" if plan is None else "PLAN_STATUS_INVALID",
            )
        sub_id = "I-" + secrets.token_hex(6).upper()
        now = iso(_now())
        sub = {
            "id": sub_id,
            "plan_id": plan["id"],
            "status": "APPROVAL_PENDING",
            "status_update_time": now,
            "create_time": now,
            "custom_id": body.get("custom_id", ""),
            "quantity": "1",
            "billing_info": {
                "outstanding_balance": {
                    "currency_code": plan["billing_cycles"][0]["pricing_scheme"]["fixed_price"][
                        "currency_code"
                    ],
                    "value": "0.00",
                },
                "cycle_executions": [
                    {"tenure_type": "REGULAR", "sequence": 1, "cycles_completed": 0}
                ],
                "failed_payments_count": 0,
            },
            "application_context": body.get("application_context", {}),
        }
        sim.subscriptions[sub_id] = sub
        links = [
            {
                "href": f"https://www.sandbox.paypal.com/webapps/billing/subscriptions?ba_token=BA-{sub_id}",
                "rel": "approve",
                "method": "GET",
            },
            {
                "href": f"{sim.url}/v1/billing/subscriptions/{sub_id}",
                "rel": "self",
                "method": "GET",
            },
        ]
        return JSONResponse(
            {k: sub[k] for k in ("id", "status", "status_update_time", "create_time", "plan_id")}
            | {"links": links},
            status_code=201,
        )

    def show_subscription(request: Request, body: Any) -> Response:
        sub = sim.subscriptions.get(request.path_params["sub_id"])
        if sub is None:
            return _not_found()
        return JSONResponse(json.loads(json.dumps(sub)))

    def cancel_subscription(request: Request, body: dict[str, Any]) -> Response:
        sub = sim.subscriptions.get(request.path_params["sub_id"])
        if sub is None:
            return _not_found()
        if not body.get("reason"):
            return _bad("/reason")
        if sub["status"] not in {"ACTIVE", "SUSPENDED"}:
            return _error(
                422,
                "UNPROCESSABLE_ENTITY",
                "The requested action could not be performed.",
                "SUBSCRIPTION_STATUS_INVALID",
            )
        sub["status"] = "CANCELLED"
        sub["status_update_time"] = iso(_now())
        sub["billing_info"].pop("next_billing_time", None)
        return Response(status_code=204)

    def verify(request: Request, body: dict[str, Any]) -> Response:
        names = (
            "auth_algo",
            "cert_url",
            "transmission_id",
            "transmission_sig",
            "transmission_time",
            "webhook_id",
            "webhook_event",
        )
        for name in names:
            if not body.get(name):
                return _bad(f"/{name}")
        expected = sim._sign(
            body["transmission_id"],
            body["transmission_time"],
            body["webhook_id"],
            body["webhook_event"],
        )
        good = (
            body["webhook_id"] == sim.webhook_id
            and body["cert_url"] == CERT_URL
            and body["auth_algo"] == "SHA256withRSA"
            and hmac.compare_digest(expected, str(body["transmission_sig"]))
        )
        return JSONResponse({"verification_status": "SUCCESS" if good else "FAILURE"})

    return Starlette(
        routes=[
            Route("/v1/oauth2/token", token, methods=["POST"]),
            Route("/v1/catalogs/products", guarded(create_product), methods=["POST"]),
            Route("/v1/billing/plans", guarded(create_plan), methods=["POST"]),
            Route("/v1/billing/subscriptions", guarded(create_subscription), methods=["POST"]),
            Route(
                "/v1/billing/subscriptions/{sub_id}", guarded(show_subscription), methods=["GET"]
            ),
            Route(
                "/v1/billing/subscriptions/{sub_id}/cancel",
                guarded(cancel_subscription),
                methods=["POST"],
            ),
            Route("/v1/notifications/verify-webhook-signature", guarded(verify), methods=["POST"]),
        ]
    )


def _is_amount(value: Any) -> bool:
    """PayPal amounts are strings with at most two decimals, e.g. "99.00"."""
    if not isinstance(value, str):
        return False
    whole, _, cents = value.partition(".")
    return whole.isdigit() and (cents == "" or (cents.isdigit() and len(cents) <= 2))


@contextmanager
def paypal_sim() -> Iterator[PayPalSim]:
    sim = PayPalSim()
    with serve(build_app(sim)) as url:
        sim.url = url
        yield sim
