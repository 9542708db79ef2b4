"""A Swish receipt as PDF through /files/billing/receipts/{id}.pdf: it opens and says what
was paid; owners and admins of the workspace get it, others do not."""

from __future__ import annotations

import subprocess
import uuid

import pytest
from starlette.testclient import TestClient

from qrapp.api.app import build
from qrapp.core import routes
from qrapp.core.permissions import Role
from qrapp.services.billing import swish
from qrapp.services.workspaces import workspaces
from qrapp.settings import get_settings
from tests.integration.billing import swish_fixtures
from tests.integration.billing.swish_fixtures import invoices, payment, scanned_token
from tests.integration.helpers import actor, add_member, sign_up_and_session

pytestmark = pytest.mark.integration

swish_world = swish_fixtures.swish_world
swish_env = swish_fixtures.swish_env
owner_token = swish_fixtures.owner_token
owner = swish_fixtures.owner


def _get(path: str, token: str | None):
    client = TestClient(build())
    if token:
        client.cookies.set(get_settings().session_cookie_name, token)
    return client.get(path)


def _text(pdf: bytes) -> str:
    """What a PDF reader shows: poppler's pdftotext (it fails on a broken file)."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def _paid_invoice(world, owner):
    start = swish.start_payment(actor=owner, plan="business", interval="year")
    world.sim.pay(token=scanned_token(start.qr_data))
    [invoice] = invoices(owner.workspace_id)
    return start, invoice


def _joined(workspace_id, email: str, role: Role) -> str:
    token = sign_up_and_session(email)
    add_member(workspace_id, actor(token).user_id, role)
    workspaces.switch(actor=actor(token), workspace_id=workspace_id)
    return token


def test_the_receipt_opens_and_says_what_was_paid(swish_env, owner, owner_token):
    start, invoice = _paid_invoice(swish_env, owner)
    r = _get(routes.billing_receipt(invoice.id), owner_token)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "private, no-store"
    text = _text(r.content)
    assert "Receipt from qrapp" in text
    assert invoice.number in text
    assert "Business plan, 1 year" in text
    assert "4 490 kr" in text  # 449 kr a month, ten months for a year
    assert "Swish" in text
    assert payment(start.id).payment_reference in text
    assert "Refunded" not in text

    swish.refund(actor=owner, invoice_id=invoice.id)
    assert "Refunded in full." in _text(
        _get(routes.billing_receipt(invoice.id), owner_token).content
    )


def test_admins_read_it_others_do_not(swish_env, owner, owner_token):
    _, invoice = _paid_invoice(swish_env, owner)
    path = routes.billing_receipt(invoice.id)
    admin = _joined(owner.workspace_id, "admin@swish.example", Role.ADMIN)
    assert _get(path, admin).status_code == 200
    editor = _joined(owner.workspace_id, "editor@swish.example", Role.EDITOR)
    assert _get(path, editor).status_code == 403
    # The owner of another workspace is told it does not exist, as for a made-up id.
    stranger = sign_up_and_session("stranger@other.example")
    refused = _get(path, stranger)
    assert refused.status_code == 404
    assert refused.content == _get(routes.billing_receipt(uuid.uuid4()), stranger).content
    assert b"%PDF" not in refused.content
    assert _get(path, None).status_code == 401
    assert _get("/files/billing/receipts/not-an-id.pdf", owner_token).status_code == 404
