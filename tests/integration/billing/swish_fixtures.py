"""Swish for the integration tests: a test CA, the simulator (mTLS) and our backend's
routes served over HTTPS so the simulator can call back the way Swish does.

Test modules bind the fixtures by name (`owner = swish_fixtures.owner`) rather than
through a conftest.py, which other billing lanes may write too.
"""

from __future__ import annotations

import base64
import datetime as dt
import ssl
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel import select

from qrapp.api.app import build
from qrapp.db import read_session
from qrapp.models.billing import Invoice, Subscription
from qrapp.models.billing_swish import SwishPayment
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.environment import patched_env
from tests.support.swish_sim import SwishSim, swish_sim
from tests.support.tls_app import https_app
from tests.support.tls_certs import Certs, make_pki
from tests.unit.qr.helpers import svg_text

PAYEE = "1231181189"  # Swish's documented test merchant number


@dataclass(frozen=True)
class SwishWorld:
    sim: SwishSim
    pki: Certs
    app_url: str  # our backend over https (the callback's host)


@pytest.fixture(scope="module")
def swish_world(backend, tmp_path_factory) -> Iterator[SwishWorld]:
    pki = make_pki(tmp_path_factory.mktemp("swish-pki"), client_cn=PAYEE)
    with swish_sim(pki) as sim, https_app(build(), pki.server) as app_url:
        env = {
            "SWISH_API_BASE": sim.base_url,
            "SWISH_CERT_FILE": str(pki.client.cert),
            "SWISH_KEY_FILE": str(pki.client.key),
            "SWISH_CA_FILE": str(pki.ca),
            "SWISH_PAYEE_ALIAS": PAYEE,
            "SWISH_CALLBACK_BASE": app_url,
        }
        with patched_env(env):
            yield SwishWorld(sim, pki, app_url)


@pytest.fixture
def swish_env(swish_world, clean_db) -> SwishWorld:
    swish_world.sim.reset()
    return swish_world


def https_client(world: SwishWorld) -> httpx.Client:
    """A client that trusts our backend's test certificate (as Swish trusts public CAs)."""
    return httpx.Client(verify=ssl.create_default_context(cafile=world.pki.ca), timeout=30)


@pytest.fixture
def owner_token(swish_env) -> str:
    return sign_up_and_session("owner@swish.example", "Olle")


@pytest.fixture
def owner(owner_token):
    return actor(owner_token)


def scanned_token(qr_data: str) -> str:
    """What the Swish app reads from the QR code on the page: decoded from the image."""
    assert qr_data.startswith("data:image/svg+xml;base64,")
    text = svg_text(base64.b64decode(qr_data.split(",", 1)[1]))
    assert text is not None, "the QR code does not scan"
    assert text.startswith("D")
    return text[1:]


def invoices(workspace_id) -> list[Invoice]:
    with read_session() as s:
        return list(s.exec(select(Invoice).where(Invoice.workspace_id == workspace_id)).all())


def subscription(workspace_id) -> Subscription | None:
    with read_session() as s:
        return s.exec(select(Subscription).where(Subscription.workspace_id == workspace_id)).first()


def payment(payment_id: str) -> SwishPayment:
    with read_session() as s:
        row = s.get(SwishPayment, payment_id)
        assert row is not None
        return row


def close_to(a: dt.datetime | None, b: dt.datetime, seconds: float = 120) -> bool:
    return a is not None and abs((a - b).total_seconds()) < seconds
