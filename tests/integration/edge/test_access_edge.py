"""A workspace's IP allowlist guards its dashboard and API, never its public scans."""

from __future__ import annotations

import pytest

from qrapp.services.workspaces import ip_allowlist
from tests.integration.edge.conftest import IPHONE
from tests.support.plans import give_plan

pytestmark = pytest.mark.integration


def test_scans_of_an_allowlisted_workspace_answer_everyone(edge, make_code, owner):
    give_plan(owner.workspace_id, "enterprise")
    code = make_code("https://example.com/menu")
    ip_allowlist.save(actor=owner, text="198.51.100.0/24", ip="198.51.100.1")
    assert not ip_allowlist.allowed(owner.workspace_id, "127.0.0.1")
    try:
        for forwarded in ("8.8.8.8", "2001:4860:4860::8888"):
            r = edge.client.get(
                f"/{code.short_code}",
                headers={"user-agent": IPHONE, "x-forwarded-for": forwarded},
            )
            assert r.status_code == 302
            assert r.headers["location"] == "https://example.com/menu"
    finally:
        ip_allowlist.forget()
