"""The Swish simulator is as strict as Swish: mTLS or no connection, its own id format,
SEK only, its amount format, https callbacks, its error list. The client (swish_api) is
exercised against it at the same time. No database: these run once."""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Iterator

import httpx
import pytest

from qrapp.services.billing.swish_api import SwishApi, SwishRefused
from qrapp.settings import Settings
from tests.support.swish_sim import SwishSim, swish_sim
from tests.support.tls_certs import Certs, make_pki

pytestmark = pytest.mark.integration

PAYEE = "1231181189"
ID = "0123456789ABCDEF0123456789ABCDEF"


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Certs:
    return make_pki(tmp_path_factory.mktemp("pki"), client_cn=PAYEE)


@pytest.fixture
def sim(pki) -> Iterator[SwishSim]:
    with swish_sim(pki) as running:
        yield running


def _api(sim: SwishSim) -> SwishApi:
    return SwishApi(
        Settings(
            swish_api_base=sim.base_url,
            swish_cert_file=str(sim.pki.client.cert),
            swish_key_file=str(sim.pki.client.key),
            swish_ca_file=str(sim.pki.ca),
            swish_payee_alias=PAYEE,
        )
    )


def _raw(sim: SwishSim, cert=None) -> httpx.Client:
    context = ssl.create_default_context(cafile=sim.pki.ca)
    if cert is not None:
        context.load_cert_chain(cert.cert, cert.key)
    return httpx.Client(verify=context, timeout=10)


def _body(**changes) -> dict:
    body = {
        "payeePaymentReference": "order-17",
        "callbackUrl": "https://example.com/swish/callback",
        "payeeAlias": PAYEE,
        "currency": "SEK",
        "amount": "149.00",
        "message": "qrapp Pro, 1 month",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def _codes(sim: SwishSim, body: dict, instruction_id: str = ID) -> list[str]:
    with pytest.raises(SwishRefused) as refused:
        _api(sim).create_payment_request(instruction_id, body)
    return refused.value.codes


def test_a_client_without_the_merchant_certificate_cannot_connect(sim):
    url = f"{sim.base_url}/api/v1/paymentrequests/{ID}"
    with pytest.raises(httpx.TransportError), _raw(sim) as client:
        client.get(url)
    # A certificate for the same Swish number from another CA is no better.
    with pytest.raises(httpx.TransportError), _raw(sim, sim.pki.stranger) as client:
        client.get(url)
    # The server counts a refusal in the connection's thread after it sends the alert, so
    # the client can see the alert first: wait a moment for the count.
    deadline = time.monotonic() + 5
    while sim.refused_handshakes < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sim.refused_handshakes == 2
    # With it, the same request gets an answer (the request is unknown: 404).
    with _raw(sim, sim.pki.client) as client:
        assert client.get(url).status_code == 404


def test_m_commerce_request_gets_201_location_and_token(sim):
    created = _api(sim).create_payment_request(ID, _body())
    assert created.location == f"{sim.base_url}/api/v1/paymentrequests/{ID}"
    assert len(created.token) >= 32
    read = _api(sim).payment_request(ID)
    assert read["status"] == "CREATED"
    assert read["amount"] == 149.0
    assert read["payeeAlias"] == PAYEE
    assert read["paymentReference"] is None


def test_e_commerce_request_has_no_token(sim):
    created = _api(sim).create_payment_request(ID, _body(payerAlias="46701234567"))
    assert created.token == ""


@pytest.mark.parametrize(
    "bad_id", ["0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDE", "X" * 32]
)
def test_a_malformed_instruction_id_is_refused(sim, bad_id):
    with _raw(sim, sim.pki.client) as client:
        r = client.put(f"{sim.base_url}/api/v2/paymentrequests/{bad_id}", json=_body())
    assert r.status_code == 400
    assert sim.payments == {}


def test_an_instruction_id_is_used_once(sim):
    _api(sim).create_payment_request(ID, _body())
    assert _codes(sim, _body()) == ["RP09"]


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"currency": "EUR"}, ["AM03"]),
        ({"currency": None}, ["AM03"]),
        ({"amount": "149.0"}, ["PA02"]),
        ({"amount": "149,00"}, ["PA02"]),
        ({"amount": None}, ["PA02"]),
        ({"amount": "0.50"}, ["AM06"]),
        ({"amount": "1000000000000.00"}, ["PA02"]),
        ({"callbackUrl": "http://example.com/cb"}, ["RP03"]),
        ({"callbackUrl": None}, ["RP03"]),
        ({"payeePaymentReference": "order 17!"}, ["FF08"]),
        ({"message": "x" * 51}, ["RP02"]),
        ({"payeeAlias": None}, ["RP01"]),
        ({"payerAlias": "070123"}, ["BE18"]),
        ({"payerAlias": "46700000000"}, ["ACMT03"]),
        ({"currency": "EUR", "amount": "0.99", "callbackUrl": "ftp://x"}, ["AM06", "RP03", "AM03"]),
    ],
)
def test_what_swish_refuses_is_refused_with_its_error_list(sim, changes, codes):
    assert _codes(sim, _body(**changes)) == codes
    assert sim.payments == {}


def test_amount_as_a_json_number_is_judged_by_how_it_is_written(sim):
    with _raw(sim, sim.pki.client) as client:
        body = json.dumps(_body()).replace('"149.00"', "149.00")
        headers = {"Content-Type": "application/json"}
        url = f"{sim.base_url}/api/v2/paymentrequests/{ID}"
        assert client.put(url, content=body, headers=headers).status_code == 201
        bad = json.dumps(_body()).replace('"149.00"', "149.5")
        r = client.put(url.replace("A", "B"), content=bad, headers=headers)
    assert r.status_code == 422
    assert r.json()[0]["errorCode"] == "PA02"


def test_someone_elses_swish_number_and_non_json_are_refused(sim):
    with _raw(sim, sim.pki.client) as client:
        url = f"{sim.base_url}/api/v2/paymentrequests/{ID}"
        assert client.put(url, json=_body(payeeAlias="1239999999")).status_code == 403
        plain = client.put(url, content="amount=1", headers={"Content-Type": "text/plain"})
        assert plain.status_code == 415
        broken = client.put(url, content="{", headers={"Content-Type": "application/json"})
        assert broken.status_code == 400
    assert sim.payments == {}


def test_another_payer_request_is_refused_while_one_is_open(sim):
    _api(sim).create_payment_request(ID, _body(payerAlias="46701234567"))
    assert _codes(sim, _body(payerAlias="46701234567"), ID[::-1]) == ["RP06"]


def test_refunds_need_a_paid_original_and_no_more_than_it(sim, monkeypatch):
    monkeypatch.setattr(sim, "_call_back", lambda _body: 200)  # nobody listens here
    api = _api(sim)
    api.create_payment_request(ID, _body())
    paid = sim.pay(instruction_id=ID)
    refund = {
        "originalPaymentReference": paid.payment_reference,
        "callbackUrl": "https://example.com/swish/callback",
        "payerAlias": PAYEE,
        "amount": "149.00",
        "currency": "SEK",
        "message": "Refund",
    }
    with pytest.raises(SwishRefused) as unknown:
        api.create_refund(ID, {**refund, "originalPaymentReference": "F" * 32})
    assert unknown.value.codes == ["RF02"]
    with pytest.raises(SwishRefused) as too_much:
        api.create_refund(ID, {**refund, "amount": "149.01"})
    assert too_much.value.codes == ["RF08"]
    api.create_refund(ID, refund)
    assert api.refund(ID)["status"] == "PAID"
    with pytest.raises(SwishRefused) as again:
        api.create_refund(ID[::-1], refund)
    assert again.value.codes == ["RF08"]
