"""localstripe (a stateful fake Stripe server from PyPI) plus stand-ins for the two hosted
Stripe pages it lacks, run as one process: `python -m tests.support.localstripe_server
--port N`.

- POST /v1/checkout/sessions, GET /v1/checkout/sessions/{id}: a Checkout Session in
  subscription mode, checked as strictly as Stripe checks the fields we send (unknown
  fields, a price or customer that does not exist, a bad URL or trial -> 400).
- POST /v1/billing_portal/sessions: a Customer Portal session for an existing customer.
- POST /_config/stand_in/checkout/{id}/complete: what a person paying on the hosted page
  causes: the card attached, the subscription created in localstripe (with the session's
  trial and metadata), the session completed. The test then sends the signed
  checkout.session.completed event to our webhook, as Stripe would.
- GET /_config/stand_in/checkout/{id}: the hosted page for a browser test: a test card to
  choose and a Pay button (POST .../pay) that completes the session, sends the signed
  checkout.session.completed to the webhooks registered with localstripe
  (POST /_config/webhooks/{id}, url + secret) and goes back to the success URL.
- GET /_config/stand_in/portal/{id}: the Portal's page, with a link back.
- POST /_config/stand_in/subscriptions/{id}/renew: the next period's invoice charged now (a
  renewal), so a test can make a payment fail with a declining card.

localstripe predates Prices: subscription updates here take Stripe's `items[].price` (a
Plan id is a price id) and `proration_behavior`, and hand localstripe its older names
(`items[].plan`, `prorate`), and archiving a price (active=false) stores a boolean.

localstripe keeps no `trialing` status (a subscription with a trial stays `incomplete`);
the stand-in sets `trialing` on a subscription it creates with a trial, as Stripe does.
localstripe pickles its store to /tmp/localstripe.pickle after each write; several test
runs share this machine, so that is switched off (each run starts empty anyway).
The stand-in paths sit under /_config/, which localstripe serves without an API key: a
person's browser opening the hosted page has none.
"""

from __future__ import annotations

import argparse
import html
import json
import secrets
import time

import stripe
from aiohttp import ClientError, ClientSession, web
from localstripe import resources
from localstripe.errors import UserError
from localstripe.server import app, get_post_data
from localstripe.webhooks import _webhooks

resources.Store.dump_to_disk = lambda _self: None  # type: ignore[method-assign]

_SESSIONS: dict[str, dict] = {}
_PORTALS: dict[str, dict] = {}
_update_subscription = resources.Subscription._update


def _update_with_prices(self, items=None, proration_behavior=None, **data):
    if proration_behavior is not None:
        if proration_behavior not in ("create_prorations", "none", "always_invoice"):
            raise UserError(400, "Invalid proration_behavior")
        data["prorate"] = proration_behavior != "none"
    if items is not None:
        items = [{("plan" if k == "price" else k): v for k, v in item.items()} for item in items]
    return _update_subscription(self, items=items, **data)


resources.Subscription._update = _update_with_prices  # type: ignore[method-assign]
_update_plan = resources.Plan._update


def _update_plan_typed(self, **data):
    # localstripe stores a form-encoded "false" as the string (truthy); Stripe a boolean.
    if "active" in data:
        data["active"] = resources.try_convert_to_bool(data["active"])
    return _update_plan(self, **data)


resources.Plan._update = _update_plan_typed  # type: ignore[method-assign]
_CHECKOUT_FIELDS = {
    "mode",
    "line_items",
    "customer",
    "customer_email",
    "client_reference_id",
    "success_url",
    "cancel_url",
    "subscription_data",
    "tax_id_collection",
    "customer_update",
    "billing_address_collection",
    "metadata",
}


def _bad(message: str) -> UserError:
    return UserError(400, message)


def _url(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise _bad(f"Invalid URL: {name}")
    return value


def _check_checkout(data: dict) -> dict:
    unknown = set(data) - _CHECKOUT_FIELDS
    if unknown:
        raise _bad("Received unknown parameter: " + ", ".join(sorted(unknown)))
    if data.get("mode") != "subscription":
        raise _bad("mode must be subscription here")
    items = data.get("line_items")
    if not isinstance(items, list) or len(items) != 1:
        raise _bad("line_items: exactly one price")
    price = items[0].get("price")
    if not isinstance(price, str) or str(items[0].get("quantity", "1")) != "1":
        raise _bad("line_items[0]: a price and quantity 1")
    resources.Plan._api_retrieve(price)  # 404 for an unknown price, as Stripe answers
    if customer := data.get("customer"):
        resources.Customer._api_retrieve(customer)
        if "customer_email" in data:
            raise _bad("You may only specify one of these parameters: customer, customer_email")
    elif "customer_update" in data:
        raise _bad("customer_update can only be used with customer")
    sub_data = data.get("subscription_data") or {}
    if "trial_period_days" in sub_data:
        days = resources.try_convert_to_int(sub_data["trial_period_days"])
        if not isinstance(days, int) or not 1 <= days <= 730:
            raise _bad("subscription_data[trial_period_days] must be 1..730")
        sub_data["trial_period_days"] = days
    tax = data.get("tax_id_collection")
    if tax is not None:
        tax = {"enabled": resources.try_convert_to_bool(tax.get("enabled"))}
        if tax["enabled"] not in (True, False):
            raise _bad("tax_id_collection[enabled] must be a boolean")
    if data.get("billing_address_collection", "auto") not in ("auto", "required"):
        raise _bad("billing_address_collection must be auto or required")
    return {
        "id": "cs_test_" + secrets.token_hex(12),
        "object": "checkout.session",
        "mode": "subscription",
        "status": "open",
        "payment_status": "unpaid",
        "customer": customer or None,
        "customer_email": data.get("customer_email"),
        "client_reference_id": data.get("client_reference_id"),
        "success_url": _url(data.get("success_url"), "success_url"),
        "cancel_url": _url(data.get("cancel_url"), "cancel_url"),
        "subscription": None,
        "metadata": data.get("metadata") or {},
        "created": int(time.time()),
        "livemode": False,
        # What we sent, kept so a test can read what Checkout was asked for.
        "line_items_requested": items,
        "subscription_data": sub_data,
        "tax_id_collection": tax,
        "billing_address_collection": data.get("billing_address_collection", "auto"),
        "customer_update": data.get("customer_update"),
    }


async def create_checkout(request: web.Request) -> web.Response:
    session = _check_checkout(await get_post_data(request) or {})
    session["url"] = f"{request.scheme}://{request.host}/_config/stand_in/checkout/{session['id']}"
    _SESSIONS[session["id"]] = session
    return web.json_response(session)


def _session(request: web.Request) -> dict:
    session = _SESSIONS.get(request.match_info["id"])
    if session is None:
        raise UserError(404, "No such checkout.session")
    return session


async def get_checkout(request: web.Request) -> web.Response:
    return web.json_response(_session(request))


def _complete(session: dict, payment_method: str) -> dict:
    if session["status"] != "open":
        raise _bad("This Checkout Session is no longer open")
    customer = session["customer"] or resources.Customer(email=session["customer_email"]).id
    pm = resources.PaymentMethod._api_retrieve(payment_method)
    resources.PaymentMethod._api_attach(pm.id, customer=customer)
    cus = resources.Customer._api_retrieve(customer)
    cus.invoice_settings["default_payment_method"] = pm.id
    sub_data = session["subscription_data"]
    trial = sub_data.get("trial_period_days")
    sub = resources.Subscription(
        customer=customer,
        items=[{"plan": session["line_items_requested"][0]["price"]}],
        metadata=dict(sub_data.get("metadata") or {}),
        trial_end=int(time.time()) + trial * 86400 if trial else None,
    )
    if trial:
        sub.status = "trialing"
        sub.trial_start = int(time.time())
    session.update(
        status="complete",
        payment_status="no_payment_required" if trial else "paid",
        customer=customer,
        subscription=sub.id,
    )
    return session


async def complete_checkout(request: web.Request) -> web.Response:
    data = await get_post_data(request) or {}
    session = _complete(_session(request), data.get("payment_method", "pm_card_visa"))
    return web.json_response(session)


async def _announce(session: dict) -> None:
    """checkout.session.completed to every webhook registered with localstripe
    (POST /_config/webhooks/{id} with url and secret), signed with the Stripe library's
    own helper, as Stripe sends it when a person has paid on the hosted page."""
    body = json.dumps(
        {
            "id": "evt_" + secrets.token_hex(12),
            "object": "event",
            "created": int(time.time()),
            "livemode": False,
            "type": "checkout.session.completed",
            "data": {"object": session},
        }
    )
    async with ClientSession() as http:
        for hook in list(_webhooks.values()):
            if hook.events is not None and "checkout.session.completed" not in hook.events:
                continue
            header = stripe.WebhookSignature.generate_signature_header(body, hook.secret)
            headers = {"Stripe-Signature": header, "Content-Type": "application/json"}
            try:  # as localstripe's own deliveries: a dead endpoint fails alone
                async with http.post(hook.url, data=body.encode(), headers=headers) as answer:
                    print(f"checkout.session.completed -> {hook.url}: {answer.status}")
            except ClientError as exc:
                print(f"checkout.session.completed -> {hook.url} failed: {exc}")


async def pay(request: web.Request) -> web.Response:
    """The hosted page's Pay button: complete, tell the webhooks, go back to the app."""
    data = await get_post_data(request) or {}
    session = _complete(_session(request), data.get("payment_method", "pm_card_visa"))
    await _announce(session)
    success = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
    raise web.HTTPSeeOther(success)


async def renew(request: web.Request) -> web.Response:
    sub = resources.Subscription._api_retrieve(request.match_info["id"])
    sub._create_invoice()
    return web.json_response(sub._export())


async def create_portal(request: web.Request) -> web.Response:
    data = await get_post_data(request) or {}
    unknown = set(data) - {"customer", "return_url"}
    if unknown:
        raise _bad("Received unknown parameter: " + ", ".join(sorted(unknown)))
    resources.Customer._api_retrieve(data.get("customer") or "")
    session_id = "bps_" + secrets.token_hex(12)
    portal = {
        "id": session_id,
        "object": "billing_portal.session",
        "customer": data["customer"],
        "return_url": _url(data.get("return_url"), "return_url"),
        "url": f"{request.scheme}://{request.host}/_config/stand_in/portal/{session_id}",
        "livemode": False,
    }
    _PORTALS[session_id] = portal
    return web.json_response(portal)


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"""


async def checkout_page(request: web.Request) -> web.Response:
    """The hosted Checkout page: what is bought, a test card to choose and Pay."""
    session = _session(request)
    price = html.escape(session["line_items_requested"][0]["price"])
    trial = session["subscription_data"].get("trial_period_days")
    body = (
        f"<p>Subscription: <strong>{price}</strong>"
        + (f", {int(trial)} days free" if trial else "")
        + "</p>"
        + f'<form method="post" action="/_config/stand_in/checkout/{session["id"]}/pay">'
        + '<label for="pm">Test card</label> <select id="pm" name="payment_method">'
        + '<option value="pm_card_visa">Visa 4242 (pays)</option>'
        + '<option value="pm_card_chargeCustomerFail">Visa 0341 (later charges fail)</option>'
        + '</select> <button type="submit">Pay and subscribe</button></form>'
        + f'<p><a href="{html.escape(session["cancel_url"])}">Cancel</a></p>'
    )
    page = _PAGE.format(title="Checkout (Stripe stand-in)", body=body)
    return web.Response(text=page, content_type="text/html")


async def portal_page(request: web.Request) -> web.Response:
    portal = _PORTALS.get(request.match_info["id"])
    if portal is None:
        raise UserError(404, "No such billing_portal.session")
    back = html.escape(portal["return_url"])
    body = f'<p>Customer {html.escape(portal["customer"])}</p><p><a href="{back}">Return</a></p>'
    page = _PAGE.format(title="Customer Portal (Stripe stand-in)", body=body)
    return web.Response(text=page, content_type="text/html")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # Added after localstripe's own routes; none of these paths is one of them.
    app.router.add_post("/v1/checkout/sessions", create_checkout)
    app.router.add_get("/v1/checkout/sessions/{id}", get_checkout)
    app.router.add_post("/v1/billing_portal/sessions", create_portal)
    app.router.add_post("/_config/stand_in/checkout/{id}/complete", complete_checkout)
    app.router.add_post("/_config/stand_in/subscriptions/{id}/renew", renew)
    app.router.add_post("/_config/stand_in/checkout/{id}/pay", pay)
    app.router.add_get("/_config/stand_in/checkout/{id}", checkout_page)
    app.router.add_get("/_config/stand_in/portal/{id}", portal_page)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
