"""API keys after they are made: listed without secrets, rotated with an overlap, revoked
at once (in this process and in others), used (last use, requests and errors per day),
and named in the audit log."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import ApiKey, ApiKeyUsage, AuditLog
from qrapp.services import api_key_usage, api_keys, audit
from qrapp.services.api_key_cache import announce_keys_changed
from qrapp.services.audit import AuditAction
from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from qrapp.services.errors import NotFound, PermissionDenied, ServiceError
from qrapp.services.workspaces import workspaces
from tests.integration.api.conftest import bearer
from tests.integration.helpers import actor, add_member, sign_up_and_session
from tests.support.environment import patched_env
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def _editor_of(owner):
    token = sign_up_and_session("editor@a.example")
    add_member(owner.workspace_id, actor(token).user_id, Role.EDITOR)
    workspaces.switch(actor=actor(token), workspace_id=owner.workspace_id)
    return actor(token)


def test_keys_are_listed_without_their_secret_newest_first(world):
    owner = world["a_owner"]
    first = api_keys.create_key(actor=owner, name="Shop", scopes=["codes:read"])
    second = api_keys.create_key(
        actor=owner,
        name="CRM",
        scopes=["codes:write"],
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3),
    )
    api_keys.create_key(actor=world["b_owner"], name="Theirs", scopes=["codes:read"])
    listed = api_keys.list_keys(actor=owner)
    assert [k.name for k in listed] == ["CRM", "Shop"]
    assert listed[0].scopes == ("codes:read", "codes:write")
    assert listed[0].expires_at is not None
    assert listed[0].status() == "active"
    for view, made in zip(listed, [second, first], strict=True):
        secret = made.token.split("_")[-1]
        assert secret not in repr(view)
        assert made.token.startswith(view.prefix)


def test_editors_may_not_list_rotate_or_revoke_and_other_workspaces_keys_are_not_found(world):
    owner = world["a_owner"]
    made = api_keys.create_key(actor=owner, name="Shop", scopes=["codes:read"])
    editor = _editor_of(owner)
    with pytest.raises(PermissionDenied):
        api_keys.list_keys(actor=editor)
    with pytest.raises(PermissionDenied):
        api_keys.rotate_key(actor=editor, key_id=made.key.id)
    with pytest.raises(PermissionDenied):
        api_keys.revoke_key(actor=editor, key_id=made.key.id)
    with pytest.raises(PermissionDenied):
        api_keys.usage(actor=editor, key_id=made.key.id)
    with pytest.raises(NotFound):
        api_keys.revoke_key(actor=world["b_owner"], key_id=made.key.id)
    with pytest.raises(NotFound):
        api_keys.rotate_key(actor=world["b_owner"], key_id=made.key.id)
    with read_session() as s:
        row = s.get(ApiKey, made.key.id)
    assert row is not None
    assert row.revoked_at is None
    assert row.previous_secret_hash == ""


def test_rotation_keeps_the_old_secret_working_for_the_overlap_only(world, api_client):
    owner = world["a_owner"]
    url = f"/api/v1/codes/{world['a_code'].id}"
    old = api_keys.create_key(actor=owner, name="Shop", scopes=["codes:read"]).token
    assert api_client.get(url, headers=bearer(old)).status_code == 200
    rotated = api_keys.rotate_key(actor=owner, key_id=api_keys.list_keys(actor=owner)[0].id)
    new = rotated.token
    assert new != old
    assert new.split("_")[1] == old.split("_")[1]
    until = rotated.key.previous_valid_until
    assert until is not None
    assert (
        dt.timedelta(hours=23, minutes=59)
        < until - dt.datetime.now(dt.UTC)
        <= dt.timedelta(hours=24)
    )
    assert api_client.get(url, headers=bearer(new)).status_code == 200
    assert api_client.get(url, headers=bearer(old)).status_code == 200
    # The overlap ends: only the new secret works.
    with transaction() as tx:
        row = tx.session.get(ApiKey, rotated.key.id)
        row.previous_valid_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        tx.after_commit(announce_keys_changed)
    assert api_client.get(url, headers=bearer(old)).status_code == 401
    assert api_client.get(url, headers=bearer(new)).status_code == 200
    # A zero overlap ends the old one at once.
    newer = api_keys.rotate_key(actor=owner, key_id=rotated.key.id, overlap=dt.timedelta(0))
    assert api_client.get(url, headers=bearer(new)).status_code == 401
    assert api_client.get(url, headers=bearer(newer.token)).status_code == 200


def test_a_revoked_key_is_refused_at_once_and_cannot_be_rotated(world, api_client):
    owner = world["a_owner"]
    url = f"/api/v1/codes/{world['a_code'].id}"
    made = api_keys.create_key(actor=owner, name="Shop", scopes=["codes:read"])
    # Cached in this process by the first call.
    assert api_client.get(url, headers=bearer(made.token)).status_code == 200
    view = api_keys.revoke_key(actor=owner, key_id=made.key.id)
    assert view.status() == "revoked"
    got = api_client.get(url, headers=bearer(made.token))
    assert got.status_code == 401
    assert got.headers["content-type"] == "application/problem+json"
    with pytest.raises(ServiceError, match="revoked"):
        api_keys.rotate_key(actor=owner, key_id=made.key.id)


def test_created_rotated_and_revoked_are_audited_naming_the_key(world):
    owner = world["a_owner"]
    made = api_keys.create_key(actor=owner, name="Shop", scopes=["codes:read"])
    api_keys.rotate_key(actor=owner, key_id=made.key.id)
    api_keys.revoke_key(actor=owner, key_id=made.key.id)
    api_keys.revoke_key(actor=owner, key_id=made.key.id)  # twice: audited once
    with read_session() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.target_id == str(made.key.id))).all()
    assert sorted(r.action for r in rows) == sorted(
        [
            AuditAction.API_KEY_CREATED.value,
            AuditAction.API_KEY_ROTATED.value,
            AuditAction.API_KEY_REVOKED.value,
        ]
    )
    assert all(r.actor_user_id == owner.user_id for r in rows)


def test_a_service_write_made_by_a_key_names_the_key_in_the_audit_log(world):
    owner = world["a_owner"]
    made = api_keys.create_key(actor=owner, name="Shop", scopes=["codes:write"])
    key_actor = api_keys.key_actor(made.key)
    reset = audit.acting_api_key.set(made.key.id)
    try:
        code = qrcodes.create(
            actor=key_actor, data=CodeInput(name="By key", destination="https://example.com/k")
        )
    finally:
        audit.acting_api_key.reset(reset)
    with read_session() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.target_id == str(code.id))).all()
    assert rows
    assert all(r.api_key_id == made.key.id for r in rows)


def test_usage_is_counted_per_day_exactly_after_a_flush_and_last_use_is_kept(
    world, make_key, api_client
):
    owner = world["a_owner"]
    token = make_key(owner, ["codes:read"])
    key_id = api_keys.list_keys(actor=owner)[0].id
    api_key_usage.meter().flush()  # whatever earlier tests left
    ok = f"/api/v1/codes/{world['a_code'].id}"
    missing = f"/api/v1/codes/{uuid.UUID(int=0)}"
    for _ in range(7):
        assert api_client.get(ok, headers=bearer(token)).status_code == 200
    for _ in range(3):
        assert api_client.get(missing, headers=bearer(token)).status_code == 404
    bad = api_client.get(ok, headers=bearer(token[:-1] + "!"))  # not this key: not counted
    assert bad.status_code == 401
    api_key_usage.meter().flush()
    with read_session() as s:
        rows = s.exec(select(ApiKeyUsage).where(ApiKeyUsage.key_id == key_id)).all()
        key = s.get(ApiKey, key_id)
    assert [(r.requests, r.errors) for r in rows] == [(10, 3)]
    assert rows[0].day == dt.datetime.now(dt.UTC).date()
    assert key is not None
    assert key.last_used_at is not None
    first_use = key.last_used_at
    # More requests add to the same row; last_used_at is not rewritten within a minute.
    assert api_client.get(ok, headers=bearer(token)).status_code == 200
    api_key_usage.meter().flush()
    with read_session() as s:
        rows = s.exec(select(ApiKeyUsage).where(ApiKeyUsage.key_id == key_id)).all()
        key = s.get(ApiKey, key_id)
    assert [(r.requests, r.errors) for r in rows] == [(11, 3)]
    assert key is not None
    assert key.last_used_at == first_use
    series = api_keys.usage(actor=owner, key_id=key_id)
    assert len(series) == 30
    assert (series[-1].requests, series[-1].errors) == (11, 3)
    assert all(d.requests == 0 for d in series[:-1])


def test_counts_reach_the_database_by_themselves_within_the_flush_interval(
    world, make_key, api_client
):
    token = make_key(world["a_owner"], ["codes:read"])
    key_id = api_keys.list_keys(actor=world["a_owner"])[0].id
    with patched_env({"API_USAGE_FLUSH_SECONDS": "0.2"}):
        for _ in range(3):
            got = api_client.get(f"/api/v1/codes/{world['a_code'].id}", headers=bearer(token))
            assert got.status_code == 200

        def counted() -> list:
            with read_session() as s:
                rows = s.exec(select(ApiKeyUsage).where(ApiKeyUsage.key_id == key_id)).all()
            return [(r.requests, r.errors) for r in rows]

        # No flush() here: the meter's own thread writes (its current sleep may be the
        # default 5 s one).
        eventually(lambda: counted() == [(3, 0)], 15, message=lambda: str(counted()))
