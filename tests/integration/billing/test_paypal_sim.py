"""The PayPal simulator refuses what PayPal refuses, so our client is tested against a
strict counterpart (no database needed)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.paypal_sim import PayPalSim, paypal_sim


@pytest.fixture(scope="module")
def sim():
    with paypal_sim() as s:
        yield s


def _token(sim: PayPalSim) -> dict[str, str]:
    r = httpx.post(
        f"{sim.url}/v1/oauth2/token",
        auth=(sim.client_id, sim.client_secret),
        data={"grant_type": "client_credentials"},
    )
    assert r.status_code == 200
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _plan(sim: PayPalSim, auth: dict[str, str]) -> str:
    product = httpx.post(
        f"{sim.url}/v1/catalogs/products", headers=auth, json={"name": "x", "type": "SERVICE"}
    ).json()
    cycle = {
        "frequency": {"interval_unit": "MONTH", "interval_count": 1},
        "tenure_type": "REGULAR",
        "sequence": 1,
        "total_cycles": 0,
        "pricing_scheme": {"fixed_price": {"value": "14.00", "currency_code": "EUR"}},
    }
    body = {
        "product_id": product["id"],
        "name": "p",
        "billing_cycles": [cycle],
        "payment_preferences": {"payment_failure_threshold": 1},
    }
    return httpx.post(f"{sim.url}/v1/billing/plans", headers=auth, json=body).json()["id"]


def test_credentials_and_bearer_tokens(sim):
    wrong = httpx.post(
        f"{sim.url}/v1/oauth2/token",
        auth=(sim.client_id, "wrong"),
        data={"grant_type": "client_credentials"},
    )
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    url = f"{sim.url}/v1/catalogs/products"
    assert httpx.post(url, json={"name": "x", "type": "SERVICE"}).status_code == 401
    auth = _token(sim)
    assert httpx.post(url, headers=auth, json={"name": "x", "type": "SERVICE"}).status_code == 201
    sim.expire_tokens()
    expired = httpx.post(url, headers=auth, json={"name": "x", "type": "SERVICE"})
    assert (expired.status_code, expired.json()["error"]) == (401, "invalid_token")


def test_bad_json_unknown_plan_and_cancel_rules(sim):
    auth = _token(sim)
    subs = f"{sim.url}/v1/billing/subscriptions"
    garbled = httpx.post(subs, headers=auth | {"Content-Type": "application/json"}, content=b"{")
    assert (garbled.status_code, garbled.json()["name"]) == (400, "INVALID_REQUEST")
    unknown = httpx.post(subs, headers=auth, json={"plan_id": "P-NOPE"})
    assert (unknown.status_code, unknown.json()["details"][0]["issue"]) == (422, "INVALID_PLAN_ID")
    created = httpx.post(subs, headers=auth, json={"plan_id": _plan(sim, auth)}).json()
    assert created["status"] == "APPROVAL_PENDING"
    assert "approve" in [link["rel"] for link in created["links"]]
    # Not active yet: PayPal will not cancel it; and a reason is required.
    cancel = f"{subs}/{created['id']}/cancel"
    assert httpx.post(cancel, headers=auth, json={"reason": "x"}).status_code == 422
    sim.approve(created["id"])
    assert httpx.post(cancel, headers=auth, json={}).status_code == 400
    assert httpx.post(cancel, headers=auth, json={"reason": "x"}).status_code == 204
    shown = httpx.get(f"{subs}/{created['id']}", headers=auth).json()
    assert shown["status"] == "CANCELLED"
    assert httpx.get(f"{subs}/I-NOPE", headers=auth).status_code == 404


def test_verify_says_success_only_for_an_untouched_event_and_our_webhook_id(sim):
    auth = _token(sim)
    created = httpx.post(
        f"{sim.url}/v1/billing/subscriptions", headers=auth, json={"plan_id": _plan(sim, auth)}
    ).json()
    d = sim.subscription_event("BILLING.SUBSCRIPTION.CREATED", created["id"])
    body = {
        "auth_algo": d.headers["paypal-auth-algo"],
        "cert_url": d.headers["paypal-cert-url"],
        "transmission_id": d.headers["paypal-transmission-id"],
        "transmission_sig": d.headers["paypal-transmission-sig"],
        "transmission_time": d.headers["paypal-transmission-time"],
        "webhook_id": sim.webhook_id,
        "webhook_event": json.loads(d.body),
    }
    url = f"{sim.url}/v1/notifications/verify-webhook-signature"

    def verdict(**change):
        return httpx.post(url, headers=auth, json=body | change).json()["verification_status"]

    assert verdict() == "SUCCESS"
    assert verdict(webhook_id="WH-OTHER") == "FAILURE"
    assert verdict(transmission_time="2020-01-01T00:00:00Z") == "FAILURE"
    assert verdict(webhook_event={**body["webhook_event"], "event_type": "X"}) == "FAILURE"
    missing = httpx.post(url, headers=auth, json={k: v for k, v in body.items() if k != "cert_url"})
    assert missing.status_code == 400
