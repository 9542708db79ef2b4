"""A small, strict Klarna Payments simulator: sessions, the customer token made from an
authorization, and recurring orders on the customer token, as Klarna documents them
(docs.klarna.com: Payments API v1, Customer Token API v1).

It refuses what Klarna refuses: wrong Basic credentials (401), a body that is not JSON
or lacks a field (400 BAD_VALUE), amounts that do not add up (order_amount must equal the
sum of the lines' total_amount, each line's total_amount = quantity x unit_price -
total_discount_amount, order_tax_amount the sum of total_tax_amount), a customer token
asked from a session whose intent is not tokenize/buy_and_tokenize, an authorization
token used twice or unknown (404 NOT_FOUND), a purchase country or currency other than
the session's, a cancelled customer token. `Klarna-Idempotency-Key` makes an order
request safe to retry: the same key answers the same order.

Klarna's Hosted Payment Page (HPP API v1) too: `POST /hpp/v1/sessions` for one of its
KP sessions (payment_session_url, merchant_urls.success with the {{session_id}} and
{{authorization_token}} placeholders, cancel URL, place_order_mode NONE for a tokenizing
session) answers a redirect_url to a plain HTML page `GET /hpp/{id}` whose "Authorize"
button authorizes the KP session and 303-redirects to the success URL with the
placeholders filled in ({{session_id}} is the HPP session's id, as Klarna documents);
"Cancel" goes to the cancel URL. The page needs no JavaScript.

The step that happens in Klarna's widget (Klarna.Payments.authorize gives an
authorization_token to the page) is also the test hook `authorize`; a payment method that
starts to fail is `decline(token_id)`; an order whose answer is lost is
`lose_next_answer`.
"""

from __future__ import annotations

import base64
import hmac
import html
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.support.asgi_thread import serve

_TOKENIZING = {"tokenize", "buy_and_tokenize"}


def _error(status: int, code: str, *messages: str) -> Response:
    return JSONResponse(
        {
            "error_code": code,
            "error_messages": list(messages),
            "correlation_id": str(uuid.uuid4()),
        },
        status_code=status,
    )


def _bad(what: str) -> Response:
    return _error(400, "BAD_VALUE", f"Bad value: {what}")


def check_order(body: dict[str, Any]) -> Response | None:
    """The amount rules Klarna applies to a session or an order."""
    for name in ("purchase_currency", "order_amount", "order_lines"):
        if name not in body:
            return _error(400, "BAD_VALUE", f"Missing field: {name}")
    lines = body["order_lines"]
    if not isinstance(lines, list) or not lines:
        return _bad("order_lines")
    total = tax = 0
    for i, line in enumerate(lines):
        try:
            qty, unit, line_total = line["quantity"], line["unit_price"], line["total_amount"]
            discount = line.get("total_discount_amount", 0)
            line_tax = line.get("total_tax_amount", 0)
            rate = line.get("tax_rate", 0)
            name = line["name"]
        except (KeyError, TypeError):
            return _bad(f"order_lines[{i}]")
        numbers = (qty, unit, line_total, discount, line_tax, rate)
        if not name or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            return _bad(f"order_lines[{i}]")
        if qty < 1 or line_total != qty * unit - discount:
            return _bad(f"order_lines[{i}].total_amount")
        # Klarna's own rule: tax = total - total * 10000 / (10000 + tax_rate), rounded.
        if line_tax != line_total - round(line_total * 10000 / (10000 + rate)):
            return _bad(f"order_lines[{i}].total_tax_amount")
        total += line_total
        tax += line_tax
    if body["order_amount"] != total or body["order_amount"] <= 0:
        return _bad("order_amount")
    if body.get("order_tax_amount", 0) != tax:
        return _bad("order_tax_amount")
    return None


@dataclass
class KlarnaSim:
    url: str = ""
    username: str = field(default_factory=lambda: "PK" + secrets.token_hex(3) + "_sim")
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorizations: dict[str, str] = field(default_factory=dict)  # auth token -> session id
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    orders: list[dict[str, Any]] = field(default_factory=list)
    hpp: dict[str, dict[str, Any]] = field(default_factory=dict)  # HPP session id -> session
    # Test hook: the next order is placed but its answer is lost on the way (a 502 from
    # a proxy, a timeout): the merchant cannot know whether it was charged.
    lose_next_answer: bool = False
    _idempotent: dict[str, tuple[str, Response]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- test hooks -------------------------------------------------------------------

    def authorize(self, session_id: str) -> str:
        """The shopper completes Klarna's widget: the page receives this token."""
        with self._lock:
            assert session_id in self.sessions, session_id
            return self._authorize_locked(session_id)

    def _authorize_locked(self, session_id: str) -> str:
        token = str(uuid.uuid4())
        self.authorizations[token] = session_id
        return token

    def decline(self, token_id: str) -> None:
        """Orders on this customer token are declined from now on."""
        with self._lock:
            self.tokens[token_id]["declining"] = True

    def accepted_orders(self, token_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [o for o in self.orders if o["token_id"] == token_id]

    # --- internals ----------------------------------------------------------------------

    def _authenticated(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return hmac.compare_digest(request.headers.get("authorization", ""), f"Basic {expected}")


def build_app(sim: KlarnaSim) -> Starlette:
    def endpoint(handler):
        """Basic auth first, then a JSON object body, as Klarna checks them."""

        async def run(request: Request) -> Response:
            if not sim._authenticated(request):
                return _error(401, "UNAUTHORIZED", "Unauthorized")
            raw = await request.body()
            try:
                body = json.loads(raw)
            except ValueError:
                return _error(400, "BAD_VALUE", "Invalid JSON")
            if not isinstance(body, dict):
                return _error(400, "BAD_VALUE", "Invalid JSON")
            with sim._lock:
                return handler(request, body, raw)

        return run

    def create_session(request: Request, body: dict[str, Any], raw: bytes) -> Response:
        for name in ("purchase_country", "locale"):
            if not body.get(name):
                return _error(400, "BAD_VALUE", f"Missing field: {name}")
        if (problem := check_order(body)) is not None:
            return problem
        if body.get("intent", "buy") not in {"buy", *_TOKENIZING}:
            return _bad("intent")
        session_id = str(uuid.uuid4())
        sim.sessions[session_id] = {**body, "intent": body.get("intent", "buy")}
        client_token = base64.urlsafe_b64encode(
            json.dumps({"session_id": session_id, "base_url": sim.url}).encode()
        ).decode()
        return JSONResponse(
            {
                "session_id": session_id,
                "client_token": "eyJhbGciOiJub25lIn0." + client_token + ".",
                "payment_method_categories": [
                    {"identifier": "pay_later", "name": "Pay later.", "asset_urls": {}}
                ],
            }
        )

    def customer_token(request: Request, body: dict[str, Any], raw: bytes) -> Response:
        auth_token = request.path_params["authorization_token"]
        session_id = sim.authorizations.pop(auth_token, None)  # an authorization is single-use
        if session_id is None:
            return _error(404, "NOT_FOUND", "Invalid authorization token")
        session = sim.sessions[session_id]
        for name in ("purchase_country", "purchase_currency", "locale", "intended_use"):
            if not body.get(name):
                return _error(400, "BAD_VALUE", f"Missing field: {name}")
        if session["intent"] not in _TOKENIZING:
            return _error(400, "BAD_VALUE", "Session intent does not allow a customer token")
        if body["intended_use"] not in {"SUBSCRIPTION", "ON_DEMAND"}:
            return _bad("intended_use")
        for name in ("purchase_country", "purchase_currency"):
            if body[name] != session[name]:
                return _bad(name)
        token_id = str(uuid.uuid4())
        sim.tokens[token_id] = {
            "token_id": token_id,
            "status": "ACTIVE",
            "purchase_country": session["purchase_country"],
            "purchase_currency": session["purchase_currency"],
            "declining": False,
        }
        return JSONResponse(
            {
                "token_id": token_id,
                "redirect_url": f"{sim.url}/redirect/{token_id}",
                "payment_method_type": "INVOICE",
                "billing_address": {"country": session["purchase_country"].lower()},
            }
        )

    def create_order(request: Request, body: dict[str, Any], raw: bytes) -> Response:
        token = sim.tokens.get(request.path_params["customer_token"])
        if token is None:
            return _error(404, "NOT_FOUND", "Invalid customer token")
        key = request.headers.get("klarna-idempotency-key")
        if key and key in sim._idempotent:
            first_body, response = sim._idempotent[key]
            if first_body != raw.decode():
                return _error(409, "CONFLICT", "Idempotency key used with another request")
            return response
        if token["status"] != "ACTIVE":
            return _error(403, "NOT_ALLOWED", "The customer token is cancelled")
        if (problem := check_order(body)) is not None:
            return problem
        if body["purchase_currency"] != token["purchase_currency"]:
            return _bad("purchase_currency")
        if body.get("purchase_country", token["purchase_country"]) != token["purchase_country"]:
            return _bad("purchase_country")
        if token["declining"]:
            response: Response = _error(
                403, "PAYMENT_METHOD_FAILED", "The payment method was declined"
            )
        else:
            order = {
                "order_id": str(uuid.uuid4()),
                "token_id": token["token_id"],
                "order_amount": body["order_amount"],
                "purchase_currency": body["purchase_currency"],
                "merchant_reference1": body.get("merchant_reference1", ""),
            }
            sim.orders.append(order)
            response = JSONResponse(
                {
                    "order_id": order["order_id"],
                    "fraud_status": "ACCEPTED",
                    "authorized_payment_method": {"type": "invoice"},
                }
            )
        if key:
            sim._idempotent[key] = (raw.decode(), response)
        if sim.lose_next_answer:
            sim.lose_next_answer = False
            return Response("Bad Gateway", status_code=502)
        return response

    def token_status(request: Request, body: dict[str, Any], raw: bytes) -> Response:
        token = sim.tokens.get(request.path_params["customer_token"])
        if token is None:
            return _error(404, "NOT_FOUND", "Invalid customer token")
        if body.get("status") != "CANCELLED":
            return _bad("status")
        token["status"] = "CANCELLED"
        return Response(status_code=202)

    def create_hpp_session(request: Request, body: dict[str, Any], raw: bytes) -> Response:
        kp_prefix = f"{sim.url}/payments/v1/sessions/"
        kp_url = body.get("payment_session_url")
        if not isinstance(kp_url, str) or not kp_url.startswith(kp_prefix):
            return _bad("payment_session_url")
        kp_id = kp_url.removeprefix(kp_prefix)
        if kp_id not in sim.sessions:
            return _error(404, "NOT_FOUND", "Payment session not found")
        urls = body.get("merchant_urls")
        if not isinstance(urls, dict):
            return _error(400, "BAD_VALUE", "Missing field: merchant_urls")
        success, cancel = urls.get("success"), urls.get("cancel")
        if not isinstance(success, str) or not success.startswith(("http://", "https://")):
            return _bad("merchant_urls.success")
        if "{{session_id}}" not in success or "{{authorization_token}}" not in success:
            return _bad("merchant_urls.success (placeholders)")
        if not isinstance(cancel, str) or not cancel.startswith(("http://", "https://")):
            return _bad("merchant_urls.cancel")
        options = body.get("options") or {}
        mode = options.get("place_order_mode", "PLACE_ORDER")
        if mode not in {"NONE", "PLACE_ORDER", "CAPTURE_ORDER"}:
            return _bad("options.place_order_mode")
        if sim.sessions[kp_id]["intent"] in _TOKENIZING and mode != "NONE":
            # An order cannot be placed for a session that only makes a customer token.
            return _bad("options.place_order_mode")
        hpp_id = str(uuid.uuid4())
        sim.hpp[hpp_id] = {"kp_session_id": kp_id, "urls": urls, "status": "WAITING"}
        return JSONResponse(
            {
                "session_id": hpp_id,
                "redirect_url": f"{sim.url}/hpp/{hpp_id}",
                "session_url": f"{sim.url}/hpp/v1/sessions/{hpp_id}",
                "expires_at": "2038-01-19T03:14:07.000Z",
            },
            status_code=201,
        )

    def _page(title: str, body: str, status: int = 200) -> Response:
        return HTMLResponse(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head><body><main><h1>{html.escape(title)}"
            f"</h1>{body}</main></body></html>",
            status_code=status,
        )

    async def hosted_page(request: Request) -> Response:
        with sim._lock:
            hpp = sim.hpp.get(request.path_params["hpp_id"])
            if hpp is None:
                return _page("Session not found", "", 404)
            if hpp["status"] != "WAITING":
                return _page("This payment is finished", "", 410)
            kp = sim.sessions[hpp["kp_session_id"]]
        amount = f"{kp['order_amount'] / 100:.2f} {kp['purchase_currency']}"
        here = f"/hpp/{request.path_params['hpp_id']}"
        return _page(
            "Pay with Klarna (simulator)",
            f"<p>Amount: {html.escape(amount)}</p>"
            f'<form method="post" action="{here}/authorize"><button type="submit">'
            "Authorize</button></form>"
            f'<form method="post" action="{here}/cancel"><button type="submit">'
            "Cancel</button></form>",
        )

    async def hosted_action(request: Request) -> Response:
        hpp_id, action = request.path_params["hpp_id"], request.path_params["action"]
        with sim._lock:
            hpp = sim.hpp.get(hpp_id)
            if hpp is None or action not in {"authorize", "cancel"}:
                return _page("Session not found", "", 404)
            if hpp["status"] != "WAITING":
                return _page("This payment is finished", "", 410)
            if action == "cancel":
                hpp["status"] = "CANCELLED"
                return RedirectResponse(hpp["urls"]["cancel"], status_code=303)
            hpp["status"] = "COMPLETED"
            token = sim._authorize_locked(hpp["kp_session_id"])
            hpp["authorization_token"] = token
            target = (
                hpp["urls"]["success"]
                .replace("{{session_id}}", hpp_id)
                .replace("{{authorization_token}}", token)
            )
        return RedirectResponse(target, status_code=303)

    return Starlette(
        routes=[
            Route("/hpp/v1/sessions", endpoint(create_hpp_session), methods=["POST"]),
            Route("/hpp/{hpp_id}", hosted_page, methods=["GET"]),
            Route("/hpp/{hpp_id}/{action}", hosted_action, methods=["POST"]),
            Route("/payments/v1/sessions", endpoint(create_session), methods=["POST"]),
            Route(
                "/payments/v1/authorizations/{authorization_token}/customer-token",
                endpoint(customer_token),
                methods=["POST"],
            ),
            Route(
                "/customer-token/v1/tokens/{customer_token}/order",
                endpoint(create_order),
                methods=["POST"],
            ),
            Route(
                "/customer-token/v1/tokens/{customer_token}/status",
                endpoint(token_status),
                methods=["PATCH"],
            ),
        ]
    )


@contextmanager
def klarna_sim() -> Iterator[KlarnaSim]:
    sim = KlarnaSim()
    with serve(build_app(sim)) as url:
        sim.url = url
        yield sim


def klarna_env(sim: KlarnaSim) -> dict[str, str]:
    """The product's settings for Klarna, pointed at this simulator."""
    return {
        "KLARNA_API_BASE": sim.url,
        "KLARNA_USERNAME": sim.username,
        "KLARNA_PASSWORD": sim.password,
    }
