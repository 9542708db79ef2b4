"""The export routes over HTTP: the session cookie authorizes, the role decides."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from qrapp.api.app import build
from qrapp.core.permissions import Role
from qrapp.services.workspaces import workspaces
from qrapp.settings import get_settings
from tests.integration.analytics.fixtures import stockholm_world, utc
from tests.integration.helpers import actor, add_member, sign_up_and_session
from tests.support.scans import Scan, record_scans

pytestmark = pytest.mark.integration

Q = "range=custom&from=2026-03-28&to=2026-03-30"


def _client(token: str | None) -> TestClient:
    client = TestClient(build())
    if token:
        client.cookies.set(get_settings().session_cookie_name, token)
    return client


def test_owner_downloads_all_three(clean_db):
    w = stockholm_world()
    c = _client(w.token)
    r = c.get(f"/analytics/export/scans.csv?{Q}")
    assert r.status_code == 200
    assert r.headers["content-disposition"].startswith("attachment;")
    assert r.headers["cache-control"] == "no-store"
    lines = r.text.strip().splitlines()
    assert len(lines) == 1 + 4
    r = c.get(f"/analytics/export/breakdowns.xlsx?{Q}&bots=1")
    assert r.status_code == 200
    assert r.content[:2] == b"PK"
    r = c.get(f"/analytics/export/report.pdf?{Q}")
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")


@pytest.mark.parametrize("path", ["scans.csv", "breakdowns.xlsx", "report.pdf"])
def test_no_session_or_viewer_is_refused(clean_db, path):
    w = stockholm_world()
    assert _client(None).get(f"/analytics/export/{path}?{Q}").status_code == 401
    assert _client("forged-token").get(f"/analytics/export/{path}?{Q}").status_code == 401
    viewer_token = sign_up_and_session("viewer@example.com")
    viewer = actor(viewer_token)
    add_member(w.workspace_id, viewer.user_id, Role.VIEWER)
    workspaces.switch(actor=viewer, workspace_id=w.workspace_id)
    r = _client(viewer_token).get(f"/analytics/export/{path}?{Q}")
    assert r.status_code == 403
    assert "Menu" not in r.text


def test_other_tenant_gets_only_its_own_rows(clean_db):
    w = stockholm_world()
    bob = sign_up_and_session("bob@example.com")
    from tests.support.scans import make_code

    record_scans(Scan(make_code(actor(bob).workspace_id, "Bob's"), utc(2026, 3, 29, 9)))
    body = _client(bob).get(f"/analytics/export/scans.csv?{Q}&code={w.code_a}").text
    assert body.strip().splitlines()[1:] == []
    rows = _client(bob).get(f"/analytics/export/scans.csv?{Q}").text.strip().splitlines()[1:]
    assert len(rows) == 1
    assert "Bob's" in rows[0]
    assert "Menu" not in rows[0]
