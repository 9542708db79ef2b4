"""The Klarna simulator refuses what Klarna refuses (no database needed)."""

from __future__ import annotations

import httpx
import pytest

from tests.support.klarna_sim import KlarnaSim, klarna_sim


@pytest.fixture(scope="module")
def sim():
    with klarna_sim() as s:
        yield s


def _order(amount: int = 14900, **change) -> dict:
    line = {
        "name": "qrapp Pro",
        "quantity": 1,
        "unit_price": amount,
        "tax_rate": 0,
        "total_amount": amount,
        "total_tax_amount": 0,
    }
    return {
        "purchase_country": "SE",
        "purchase_currency": "SEK",
        "locale": "sv-SE",
        "order_amount": amount,
        "order_tax_amount": 0,
        "order_lines": [line],
    } | change


def _post(sim: KlarnaSim, path: str, body: dict, auth=None, **kw) -> httpx.Response:
    return httpx.post(
        f"{sim.url}{path}", json=body, auth=auth or (sim.username, sim.password), **kw
    )


def _token_for(sim: KlarnaSim, intent: str) -> httpx.Response:
    session = _post(sim, "/payments/v1/sessions", _order(intent=intent)).json()
    auth_token = sim.authorize(session["session_id"])
    body = {
        "purchase_country": "SE",
        "purchase_currency": "SEK",
        "locale": "sv-SE",
        "intended_use": "SUBSCRIPTION",
    }
    return _post(sim, f"/payments/v1/authorizations/{auth_token}/customer-token", body)


def test_auth_and_amounts(sim):
    assert _post(sim, "/payments/v1/sessions", _order(), auth=("x", "y")).status_code == 401
    wrong_total = _post(sim, "/payments/v1/sessions", _order(order_amount=100))
    assert (wrong_total.status_code, wrong_total.json()["error_code"]) == (400, "BAD_VALUE")
    bad_line = _order()
    bad_line["order_lines"][0]["total_amount"] = 1
    assert _post(sim, "/payments/v1/sessions", bad_line).status_code == 400
    taxed = _order()
    taxed["order_lines"][0]["tax_rate"] = 2500  # 25 % but no tax amount given
    assert _post(sim, "/payments/v1/sessions", taxed).status_code == 400
    ok = _post(sim, "/payments/v1/sessions", _order(intent="tokenize"))
    assert ok.status_code == 200
    assert ok.json()["client_token"]


def test_a_customer_token_needs_intent_tokenize_and_a_fresh_authorization(sim):
    assert _token_for(sim, "buy").status_code == 400
    made = _token_for(sim, "tokenize")
    assert made.status_code == 200
    token_id = made.json()["token_id"]
    unknown = _post(sim, "/payments/v1/authorizations/nope/customer-token", {"x": 1})
    assert unknown.status_code == 404

    path = f"/customer-token/v1/tokens/{token_id}/order"
    first = _post(sim, path, _order(), headers={"Klarna-Idempotency-Key": "k1"})
    assert first.json()["fraud_status"] == "ACCEPTED"
    repeat = _post(sim, path, _order(), headers={"Klarna-Idempotency-Key": "k1"})
    assert repeat.json()["order_id"] == first.json()["order_id"]
    other_body = _post(sim, path, _order(20000), headers={"Klarna-Idempotency-Key": "k1"})
    assert other_body.status_code == 409
    assert _post(sim, path, _order(purchase_currency="EUR")).status_code == 400
    sim.decline(token_id)
    declined = _post(sim, path, _order())
    assert (declined.status_code, declined.json()["error_code"]) == (403, "PAYMENT_METHOD_FAILED")
    assert len(sim.accepted_orders(token_id)) == 1
