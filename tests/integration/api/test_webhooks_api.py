"""/api/v1/webhooks: endpoints and deliveries through the same services as the UI, with
the webhooks scopes; another workspace's endpoint is 404 like a missing one."""

from __future__ import annotations

import uuid

import pytest

from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from tests.integration.api.conftest import bearer
from tests.support.waiting import eventually
from tests.support.webhook_receiver import Receiver

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("private_webhooks")]

BASE = "/api/v1/webhooks"


def test_endpoints_are_managed_with_a_webhooks_key(world, make_key, api_client):
    receiver = Receiver().start()
    try:
        key = bearer(make_key(world["a_owner"], ["webhooks:write"]))
        made = api_client.post(
            f"{BASE}/endpoints",
            json={"url": receiver.url, "event_types": ["code.created"], "description": "CRM"},
            headers=key,
        )
        assert made.status_code == 201, made.text
        ep = made.json()
        assert ep["secret"].startswith("whsec_")
        assert api_client.get(f"{BASE}/endpoints", headers=key).json()["items"][0]["id"] == ep["id"]

        changed = api_client.patch(
            f"{BASE}/endpoints/{ep['id']}",
            json={"event_types": ["code.created", "code.deleted"]},
            headers=key,
        )
        assert changed.json()["event_types"] == ["code.created", "code.deleted"]
        rotated = api_client.post(f"{BASE}/endpoints/{ep['id']}/rotate-secret", headers=key)
        assert rotated.json()["secret"] != ep["secret"]
        assert rotated.json()["previous_secret_until"] is not None

        qrcodes.create(actor=world["a_owner"], data=CodeInput(name="n", destination="a.example"))
        eventually(lambda: len(receiver.received()) >= 1, 60)

        def delivered():
            rows = api_client.get(f"{BASE}/endpoints/{ep['id']}/deliveries", headers=key).json()
            return [d for d in rows["items"] if d["status"] == "delivered"]

        (row, *_) = eventually(delivered, 30)
        assert row["event_type"] == "code.created"
        assert row["response_status"] == 204
        assert row["msg_id"] == receiver.received()[0].headers["webhook-id"]
        resent = api_client.post(f"{BASE}/deliveries/{row['id']}/resend", headers=key)
        assert resent.status_code == 202
        eventually(lambda: len(receiver.received()) >= 2, 60)
        assert receiver.received()[-1].headers["webhook-id"] == row["msg_id"]

        assert api_client.delete(f"{BASE}/endpoints/{ep['id']}", headers=key).status_code == 204
        assert api_client.get(f"{BASE}/endpoints/{ep['id']}", headers=key).status_code == 404
    finally:
        receiver.stop()


def test_bad_input_is_a_problem_document_with_field_errors(world, make_key, api_client):
    key = bearer(make_key(world["a_owner"], ["webhooks:write"]))
    got = api_client.post(
        f"{BASE}/endpoints",
        json={"url": "ftp://nowhere", "event_types": ["code.created"]},
        headers=key,
    )
    assert got.status_code == 422
    assert got.headers["content-type"].startswith("application/problem+json")
    assert any(e["field"] == "url" for e in got.json()["errors"])
    assert api_client.get(f"{BASE}/endpoints", headers=key).json()["items"] == []


def test_scopes_and_tenancy(world, make_key, api_client):
    a_key = bearer(make_key(world["a_owner"], ["webhooks:write"]))
    made = api_client.post(
        f"{BASE}/endpoints",
        json={"url": "http://127.0.0.1:9/hooks", "event_types": ["code.created"]},
        headers=a_key,
    ).json()
    b_key = bearer(make_key(world["b_owner"], ["webhooks:write"]))
    for method, path in (
        ("get", f"/endpoints/{made['id']}"),
        ("patch", f"/endpoints/{made['id']}"),
        ("delete", f"/endpoints/{made['id']}"),
        ("post", f"/endpoints/{made['id']}/rotate-secret"),
        ("get", f"/endpoints/{made['id']}/deliveries"),
    ):
        kwargs = {"json": {"description": "mine"}} if method == "patch" else {}
        theirs = api_client.request(method, BASE + path, headers=b_key, **kwargs)
        missing = api_client.request(
            method, BASE + path.replace(made["id"], str(uuid.uuid4())), headers=b_key, **kwargs
        )
        assert theirs.status_code == missing.status_code == 404, (method, path)
    assert api_client.get(f"{BASE}/endpoints", headers=b_key).json()["items"] == []

    read_only = bearer(make_key(world["a_owner"], ["webhooks:read"]))
    assert api_client.get(f"{BASE}/endpoints", headers=read_only).status_code == 200
    refused = api_client.post(f"{BASE}/endpoints/{made['id']}/rotate-secret", headers=read_only)
    assert refused.status_code == 403
    codes_only = bearer(make_key(world["a_owner"], ["codes:read"]))
    assert api_client.get(f"{BASE}/endpoints", headers=codes_only).status_code == 403
    assert api_client.get(f"{BASE}/endpoints").status_code == 401
