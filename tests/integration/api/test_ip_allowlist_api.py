"""REST v1 and the workspace's IP allowlist: a key of a listed workspace answers only
inside the list (403 problem+json outside); other workspaces are not affected."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.services.workspaces import ip_allowlist
from tests.integration.api.conftest import bearer
from tests.support.plans import give_plan

pytestmark = pytest.mark.integration


def _client(ip: str) -> TestClient:
    return TestClient(transform(Starlette()), client=(ip, 40000), follow_redirects=False)


def test_a_key_is_refused_outside_its_workspaces_allowlist(world, make_key):
    owner = world["a_owner"]
    give_plan(owner.workspace_id, "enterprise")
    key = make_key(owner, ["codes:read"])
    b_key = make_key(world["b_owner"], ["codes:read"])
    path = f"/api/v1/codes/{world['a_code'].id}"
    assert _client("8.8.8.8").get(path, headers=bearer(key)).status_code == 200
    ip_allowlist.save(actor=owner, text="203.0.113.0/24\n2001:db8::/32", ip="203.0.113.4")
    try:
        assert _client("203.0.113.200").get(path, headers=bearer(key)).status_code == 200
        assert _client("2001:db8:1::5").get(path, headers=bearer(key)).status_code == 200
        refused = _client("8.8.8.8").get(path, headers=bearer(key))
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        body = refused.json()
        assert body["status"] == 403
        assert "IP allowlist" in body["detail"]
        assert "8.8.8.8" in body["detail"]
        assert body["type"].endswith("ip-not-allowed")
        # Workspace B has no list: its key answers from anywhere.
        b_path = f"/api/v1/codes/{world['b_code'].id}"
        assert _client("8.8.8.8").get(b_path, headers=bearer(b_key)).status_code == 200
    finally:
        ip_allowlist.forget()
