"""A small, strict stand-in for the Swish Commerce API (payment requests v2, refunds v2),
written from Swish's published API guide, over real mutual TLS.

Swish cannot be reached from here, so tests talk to this over the same wire the real one
uses: HTTPS where the TLS handshake itself refuses a client without a certificate from the
merchant CA (`tls_certs.make_pki`), JSON bodies, 201 + Location (+ PaymentRequestToken for
m-commerce), 422 with Swish's list of {errorCode, errorMessage, additionalInformation}.
It refuses what the real service refuses (and nothing it accepts):

    PUT  /swish-cpcapi/api/v2/paymentrequests/{instructionUUID}   create (our own id)
    GET  /swish-cpcapi/api/v1/paymentrequests/{id}                read the status
    PUT  /swish-cpcapi/api/v2/refunds/{instructionUUID}           refund a paid payment
    GET  /swish-cpcapi/api/v1/refunds/{id}                        read the refund

- instructionUUID: 32 upper-case hex characters, else 400 (malformed request); one already
  used: 422 RP09.
- Content-Type other than application/json: 415. A body that is not a JSON object: 400.
- payeeAlias (refunds: payerAlias) must be the Swish number in the client certificate's
  subject, else 403, as the real service answers a merchant using someone else's number.
- callbackUrl must be https (RP03); Swish calls back over TLS and verifies the server's
  certificate, and so does this (against the test CA, standing in for the public CAs).
- amount: a string or JSON number written as digits with an optional two-digit decimal
  part ("100" or "100.00"), else PA02; below 1.00 AM06; above 999999999999.99 AM02.
- currency must be "SEK" (AM03); payeePaymentReference 1-35 of a-z A-Z 0-9 -_.+*/ (FF08);
  message at most 50 characters of Swish's allowed set (RP02); payerAlias (e-commerce)
  8-15 digits (BE18), enrolled (ACMT03), without another open request (RP06).

The payer's side is the test-control hook: `pay(token=...)` (the QR code or deep link's
token, as the Swish app reads it), `decline(...)` or `fail(...)` settle a request and then
POST the callback exactly as Swish does (the payment object as JSON). Statuses: CREATED,
PAID, DECLINED, ERROR, CANCELLED. Refunds settle at once (CREATED -> PAID is seconds at
Swish) and are called back too. `callbacks` records each callback's URL and answer.

Over 400 lines: one simulator process for one provider's API, kept whole like the real
service it stands in for.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from tests.support.tls_certs import Certs

PREFIX = "/swish-cpcapi"
INSTRUCTION_ID = re.compile(r"[0-9A-F]{32}")
AMOUNT = re.compile(r"\d{1,12}(\.\d{2})?")
PAYEE_REFERENCE = re.compile(r"[a-zA-Z0-9\-_.+*/]{1,35}")
PAYER_ALIAS = re.compile(r"\d{8,15}")
# Swish's documented message characters: letters a-ö A-Ö, digits, space and :;.,?!()-"'
# plus a few more its guide lists (=, &, %, +, /, *, _, <, >, @, #, $).
MESSAGE = re.compile(r"[a-zA-Z0-9åäöÅÄÖéÉüÜ :;.,?!()\-\"'=&%+/*_<>@#$]{0,50}")

MESSAGES = {
    "FF08": "PayeePaymentReference is invalid.",
    "RP01": "Missing Merchant Swish Number.",
    "RP02": "Wrong formatted message.",
    "RP03": "Callback URL is missing or does not use HTTPS.",
    "RP06": "A payment request already exists for that payer. Only applicable for Swish "
    "e-commerce.",
    "RP09": "The given instructionUUID is not available.",
    "PA02": "Amount value is missing or not a valid number.",
    "AM02": "Amount value is too large.",
    "AM03": "Invalid or missing Currency.",
    "AM06": "Specified transaction amount is less than agreed minimum.",
    "BE18": "Payer alias is invalid.",
    "ACMT03": "Payer not Enrolled.",
    "RF02": "Original Payment not found or original payment is more than 13 months old.",
    "RF03": "Payer alias in the refund does not match the payee alias in the original payment.",
    "RF08": "Amount value is too large, or amount exceeds the amount of the original payment "
    "minus any previous refunds.",
    "TM01": "Swish timed out before the payment was started.",
    "BANKIDCL": "Payer cancelled BankID signing.",
    "RF07": "Transaction declined.",
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _error(code: str) -> dict[str, Any]:
    return {"errorCode": code, "errorMessage": MESSAGES[code], "additionalInformation": None}


@dataclass
class Payment:
    id: str
    payee_alias: str
    body: dict[str, Any]
    amount: Decimal
    token: str | None
    status: str = "CREATED"
    payment_reference: str | None = None
    date_created: str = field(default_factory=_now)
    date_paid: str | None = None
    error_code: str | None = None
    refunded: Decimal = Decimal("0")

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "payeePaymentReference": self.body.get("payeePaymentReference"),
            "paymentReference": self.payment_reference,
            "callbackUrl": self.body["callbackUrl"],
            "payerAlias": self.body.get("payerAlias"),
            "payeeAlias": self.payee_alias,
            "amount": float(self.amount),
            "currency": "SEK",
            "message": self.body.get("message", ""),
            "status": self.status,
            "dateCreated": self.date_created,
            "datePaid": self.date_paid,
            "errorCode": self.error_code,
            "errorMessage": MESSAGES.get(self.error_code or ""),
        }


@dataclass
class Refund:
    id: str
    payer_alias: str
    body: dict[str, Any]
    amount: Decimal
    original: Payment
    status: str = "CREATED"
    payment_reference: str | None = None
    date_created: str = field(default_factory=_now)
    date_paid: str | None = None

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "payerPaymentReference": self.body.get("payerPaymentReference"),
            "originalPaymentReference": self.body["originalPaymentReference"],
            "paymentReference": self.payment_reference,
            "callbackUrl": self.body["callbackUrl"],
            "payerAlias": self.payer_alias,
            "payeeAlias": self.original.body.get("payerAlias"),
            "amount": float(self.amount),
            "currency": "SEK",
            "message": self.body.get("message", ""),
            "status": self.status,
            "dateCreated": self.date_created,
            "datePaid": self.date_paid,
            "errorCode": None,
            "errorMessage": None,
            "additionalInformation": None,
        }


class _Refused(Exception):
    def __init__(self, status: int, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.errors = errors


def _amount(raw: Any, errors: list[dict[str, Any]]) -> Decimal:
    # The body is parsed with parse_float=str, so a JSON number keeps the text it was
    # written with ("100.00", not 100.0) and is judged by the same rule as a string.
    if not isinstance(raw, str) or not AMOUNT.fullmatch(raw):
        errors.append(_error("PA02"))
        return Decimal("0")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.append(_error("PA02"))
        return Decimal("0")
    if value < Decimal("1.00"):
        errors.append(_error("AM06"))
    elif value > Decimal("999999999999.99"):
        errors.append(_error("AM02"))
    return value


def _common(body: dict[str, Any], errors: list[dict[str, Any]]) -> None:
    callback = body.get("callbackUrl")
    if not isinstance(callback, str) or not callback.lower().startswith("https://"):
        errors.append(_error("RP03"))
    if body.get("currency") != "SEK":
        errors.append(_error("AM03"))
    message = body.get("message", "")
    if not isinstance(message, str) or not MESSAGE.fullmatch(message):
        errors.append(_error("RP02"))


class SwishSim:
    """Run with `swish_sim(pki)`; `base_url` is what SWISH_API_BASE points at."""

    def __init__(self, pki: Certs) -> None:
        self.pki = pki
        self.payments: dict[str, Payment] = {}
        self.refunds: dict[str, Refund] = {}
        self.callbacks: list[tuple[str, int]] = []
        self.not_enrolled: set[str] = {"46700000000"}
        self.refused_handshakes = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def reset(self) -> None:
        """Forget every request (between tests sharing one running simulator)."""
        with self._lock:
            self.payments.clear()
            self.refunds.clear()
            self.callbacks.clear()
            self.refused_handshakes = 0

    # --- the payer's side (test control) ---------------------------------------------
    def pay(self, *, token: str | None = None, instruction_id: str | None = None) -> Payment:
        """Approve a request in the payer's app (m-commerce: by its token; e-commerce: by
        id), then call the merchant back."""
        payment = self._settle(token, instruction_id, "PAID")
        return payment

    def decline(self, *, token: str | None = None, instruction_id: str | None = None) -> Payment:
        return self._settle(token, instruction_id, "DECLINED")

    def fail(self, instruction_id: str, code: str = "TM01") -> Payment:
        return self._settle(None, instruction_id, "ERROR", code)

    def call_back_again(self, instruction_id: str) -> int:
        """Deliver the same callback once more (Swish retries when it got no 200)."""
        return self._call_back(self.payments[instruction_id].public())

    def _settle(self, token, instruction_id, status: str, code: str | None = None) -> Payment:
        with self._lock:
            if token is not None:
                found = [p for p in self.payments.values() if p.token == token]
                assert found, f"no payment request has token {token!r}"
                payment = found[0]
            else:
                payment = self.payments[instruction_id]
            assert payment.status == "CREATED", f"{payment.id} is already {payment.status}"
            payment.status = status
            if status == "PAID":
                payment.payment_reference = secrets.token_hex(16).upper()
                payment.date_paid = _now()
                if payment.body.get("payerAlias") is None:
                    payment.body["payerAlias"] = "46701234567"  # the app's owner
            payment.error_code = code
            public = payment.public()
        self._call_back(public)
        return payment

    def _call_back(self, body: dict[str, Any]) -> int:
        url = body["callbackUrl"]
        with httpx.Client(verify=ssl.create_default_context(cafile=self.pki.ca)) as client:
            status = client.post(url, json=body, timeout=30).status_code
        self.callbacks.append((url, status))
        return status

    # --- the API -----------------------------------------------------------------------
    def create_payment(self, alias: str, instruction_id: str, body: dict[str, Any]):
        if not INSTRUCTION_ID.fullmatch(instruction_id):
            raise _Refused(400)
        errors: list[dict[str, Any]] = []
        payee = body.get("payeeAlias")
        if not payee:
            errors.append(_error("RP01"))
        elif payee != alias:
            raise _Refused(403)
        reference = body.get("payeePaymentReference")
        if reference is not None and (
            not isinstance(reference, str) or not PAYEE_REFERENCE.fullmatch(reference)
        ):
            errors.append(_error("FF08"))
        amount = _amount(body.get("amount"), errors)
        _common(body, errors)
        payer = body.get("payerAlias")
        with self._lock:
            if payer is not None:
                if not isinstance(payer, str) or not PAYER_ALIAS.fullmatch(payer):
                    errors.append(_error("BE18"))
                elif payer in self.not_enrolled:
                    errors.append(_error("ACMT03"))
                elif any(
                    p.status == "CREATED" and p.body.get("payerAlias") == payer
                    for p in self.payments.values()
                ):
                    errors.append(_error("RP06"))
            if instruction_id in self.payments:
                errors.append(_error("RP09"))
            if errors:
                raise _Refused(422, errors)
            token = None if payer is not None else secrets.token_urlsafe(24)
            self.payments[instruction_id] = Payment(
                instruction_id, alias, dict(body), amount, token
            )
        headers = {"Location": f"{self.base_url}/api/v1/paymentrequests/{instruction_id}"}
        if token:
            headers["PaymentRequestToken"] = token
        return headers

    def create_refund(self, alias: str, instruction_id: str, body: dict[str, Any]):
        if not INSTRUCTION_ID.fullmatch(instruction_id):
            raise _Refused(400)
        errors: list[dict[str, Any]] = []
        payer = body.get("payerAlias")
        if not payer:
            errors.append(_error("RP01"))
        elif payer != alias:
            raise _Refused(403)
        amount = _amount(body.get("amount"), errors)
        _common(body, errors)
        with self._lock:
            original = next(
                (
                    p
                    for p in self.payments.values()
                    if p.status == "PAID"
                    and p.payment_reference == body.get("originalPaymentReference")
                ),
                None,
            )
            if original is None:
                errors.append(_error("RF02"))
            elif original.payee_alias != payer:
                errors.append(_error("RF03"))
            elif amount > original.amount - original.refunded:
                errors.append(_error("RF08"))
            if instruction_id in self.refunds:
                errors.append(_error("RP09"))
            if errors:
                raise _Refused(422, errors)
            assert original is not None
            original.refunded += amount
            refund = Refund(instruction_id, alias, dict(body), amount, original)
            # Settled at once: at Swish a refund goes CREATED -> DEBITED -> PAID in seconds.
            refund.status = "PAID"
            refund.payment_reference = secrets.token_hex(16).upper()
            refund.date_paid = _now()
            self.refunds[instruction_id] = refund
        # Called back after the 201 is on its way, as Swish does (from another thread).
        threading.Thread(target=self._call_back, args=(refund.public(),), daemon=True).start()
        return {"Location": f"{self.base_url}/api/v1/refunds/{instruction_id}"}

    def read(self, alias: str, kind: str, id_: str) -> dict[str, Any]:
        with self._lock:
            found = (self.payments if kind == "paymentrequests" else self.refunds).get(id_)
            owner = None
            if isinstance(found, Payment):
                owner = found.payee_alias
            elif isinstance(found, Refund):
                owner = found.payer_alias
            # Another merchant's request reads as missing, as at Swish.
            if found is None or owner != alias:
                raise _Refused(404)
            return found.public()

    # --- serving -----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_port}{PREFIX}"

    def start(self) -> SwishSim:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=self.pki.ca)
        context.load_cert_chain(self.pki.server.cert, self.pki.server.key)
        # The point of Swish's mTLS: no merchant certificate, no connection.
        context.verify_mode = ssl.CERT_REQUIRED
        sim = self

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def finish_request(self, request, client_address) -> None:
                # The handshake in the connection's own thread, so a client that stalls
                # or is refused cannot hold up the accept loop.
                try:
                    tls = context.wrap_socket(request, server_side=True)
                except (ssl.SSLError, OSError):
                    sim.refused_handshakes += 1
                    return
                try:
                    self.RequestHandlerClass(tls, client_address, self)
                finally:
                    tls.close()

        self._server = Server(("127.0.0.1", 0), _handler(self))
        # A short poll: stop() waits up to one interval (the default 0.5 s, on every test).
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _client_alias(connection: ssl.SSLSocket) -> str:
    cert = connection.getpeercert() or {}
    for rdn in cert.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return value
    return ""


def _handler(sim: SwishSim):
    routes = {
        ("PUT", "/api/v2/paymentrequests/"): sim.create_payment,
        ("PUT", "/api/v2/refunds/"): sim.create_refund,
    }

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, status: int, body: Any = None, headers: dict | None = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _route(self) -> tuple[str, str] | None:
            path = self.path.split("?", 1)[0]
            if not path.startswith(PREFIX + "/api/"):
                return None
            rest = path[len(PREFIX) :]
            for prefix in ("/api/v2/paymentrequests/", "/api/v2/refunds/"):
                if rest.startswith(prefix):
                    return prefix, rest[len(prefix) :]
            for kind in ("paymentrequests", "refunds"):
                if rest.startswith(f"/api/v1/{kind}/"):
                    return kind, rest[len(f"/api/v1/{kind}/") :]
            return None

        def do_PUT(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            route = self._route()
            if route is None or (self.command, route[0]) not in routes:
                return self._answer(404)
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                return self._answer(415)
            try:
                body = json.loads(raw, parse_float=str, parse_int=str)
            except ValueError:
                return self._answer(400)
            if not isinstance(body, dict):
                return self._answer(400)
            try:
                headers = routes[(self.command, route[0])](
                    _client_alias(self.connection), route[1], body
                )
            except _Refused as refused:
                return self._answer(refused.status, refused.errors)
            return self._answer(201, None, headers)

        def do_GET(self) -> None:
            route = self._route()
            if route is None or route[0] not in ("paymentrequests", "refunds"):
                return self._answer(404)
            try:
                found = sim.read(_client_alias(self.connection), route[0], route[1])
            except _Refused as refused:
                return self._answer(refused.status, refused.errors)
            return self._answer(200, found)

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def swish_sim(pki: Certs) -> Iterator[SwishSim]:
    sim = SwishSim(pki).start()
    try:
        yield sim
    finally:
        sim.stop()
