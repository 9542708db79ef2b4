"""The API's front door: a key in the Authorization header, scopes, workspaces, and
errors as problem documents (RFC 9457)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import ApiKey
from qrapp.services import api_keys
from qrapp.services.errors import FieldErrors, PermissionDenied
from qrapp.services.workspaces import workspaces
from tests.integration.api.conftest import bearer
from tests.integration.helpers import actor, add_member, sign_up_and_session

pytestmark = pytest.mark.integration


def test_a_key_reads_its_own_workspaces_code(world, make_key, api_client):
    key = make_key(world["a_owner"], ["codes:read"])
    code = world["a_code"]
    got = api_client.get(f"/api/v1/codes/{code.id}", headers=bearer(key))
    assert got.status_code == 200
    body = got.json()
    assert body["id"] == str(code.id)
    assert body["name"] == "Poster a"
    assert body["short_url"].endswith(code.short_code)
    # The secret is stored only as its hash.
    with read_session() as s:
        row = s.exec(select(ApiKey)).first()
    assert row is not None
    assert key.split("_")[-1] not in row.secret_hash


def test_another_workspaces_code_is_not_found_like_a_missing_one(world, make_key, api_client):
    key = make_key(world["b_owner"], ["codes:read"])
    theirs = api_client.get(f"/api/v1/codes/{world['a_code'].id}", headers=bearer(key))
    missing = api_client.get(
        "/api/v1/codes/00000000-0000-7000-8000-000000000000", headers=bearer(key)
    )
    assert theirs.status_code == missing.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"
    assert theirs.json()["detail"] == missing.json()["detail"]
    assert theirs.json()["status"] == 404


@pytest.mark.parametrize(
    "header",
    [None, "Bearer nonsense", "Bearer qrk_aaaaaaaaaaaa_" + "b" * 32, "Basic dXNlcjpwYXNz"],
)
def test_no_or_a_wrong_key_is_401_with_a_problem_document(world, api_client, header):
    headers = {"Authorization": header} if header else {}
    got = api_client.get(f"/api/v1/codes/{world['a_code'].id}", headers=headers)
    assert got.status_code == 401
    assert got.headers["www-authenticate"].startswith("Bearer")
    assert got.json()["title"] == "Not authenticated"


def test_a_revoked_or_expired_key_is_401_and_a_wrong_secret_too(world, make_key, api_client):
    url = f"/api/v1/codes/{world['a_code'].id}"
    key = make_key(world["a_owner"], ["codes:read"])
    assert api_client.get(url, headers=bearer(key)).status_code == 200
    tampered = key[:-1] + ("x" if key[-1] != "x" else "y")
    assert api_client.get(url, headers=bearer(tampered)).status_code == 401
    with transaction() as tx:
        row = tx.session.exec(select(ApiKey)).one()
        row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert api_client.get(url, headers=bearer(key)).status_code == 401
    with transaction() as tx:
        row = tx.session.exec(select(ApiKey)).one()
        row.expires_at = None
        row.revoked_at = dt.datetime.now(dt.UTC)
    assert api_client.get(url, headers=bearer(key)).status_code == 401


def test_a_key_without_the_scope_is_403(world, make_key, api_client):
    key = make_key(world["a_owner"], ["analytics:read"])
    got = api_client.get(f"/api/v1/codes/{world['a_code'].id}", headers=bearer(key))
    assert got.status_code == 403
    assert "codes:read" in got.json()["detail"]


def test_a_bad_id_is_a_422_problem_naming_the_field(world, make_key, api_client):
    key = make_key(world["a_owner"], ["codes:read"])
    got = api_client.get("/api/v1/codes/not-a-uuid", headers=bearer(key))
    assert got.status_code == 422
    assert got.headers["content-type"] == "application/problem+json"
    assert got.json()["errors"][0]["field"] == "code_id"


def test_keys_are_made_by_owners_and_admins_with_known_scopes_only(world):
    owner = world["a_owner"]
    token = sign_up_and_session("editor@a.example")
    add_member(owner.workspace_id, actor(token).user_id, Role.EDITOR)
    workspaces.switch(actor=actor(token), workspace_id=owner.workspace_id)
    editor = actor(token)
    with pytest.raises(PermissionDenied):
        api_keys.create_key(actor=editor, name="Mine", scopes=["codes:read"])
    with pytest.raises(FieldErrors, match="Unknown scope"):
        api_keys.create_key(actor=owner, name="Bad", scopes=["codes:everything"])
    with pytest.raises(FieldErrors, match="at least one scope"):
        api_keys.create_key(actor=owner, name="None", scopes=[])
    with read_session() as s:
        assert s.exec(select(ApiKey)).all() == []


def test_openapi_is_served_and_names_the_bearer_scheme(api_client):
    spec = api_client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/codes/{code_id}" in spec["paths"]
    assert any(s.get("scheme") == "bearer" for s in spec["components"]["securitySchemes"].values())
