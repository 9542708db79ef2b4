"""The audit log viewer's reads and CSV: scope (own workspace plus the account rows of its
members, never another workspace), filters, the cursor, the words, and the download's
authorisation and content."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.core.permissions import Role
from qrapp.db import transaction
from qrapp.models import AuditLog, User
from qrapp.services import api_keys, audit, audit_log
from qrapp.services.accounts import accounts
from qrapp.services.audit_log import Filters
from qrapp.services.errors import PermissionDenied, ServiceError
from qrapp.services.workspaces import members, workspaces
from qrapp.settings import get_settings
from tests.integration.helpers import (
    BINDING,
    PASSWORD,
    actor,
    add_member,
    log_in,
    sign_up_and_session,
    team_workspace,
)
from tests.support.plans import give_plan


@pytest.fixture
def team(clean_db):
    """Workspace A (owner Olga, editor Erik, an API key, a few events) and workspace B
    (owner Bo) with events of its own."""
    olga_token = sign_up_and_session("olga@example.com", "Olga")
    erik_token = sign_up_and_session("erik@example.com", "Erik")
    acme = team_workspace("Acme")
    give_plan(acme.id, "business")  # room for the invitation
    add_member(acme.id, actor(olga_token).user_id, Role.OWNER)
    add_member(acme.id, actor(erik_token).user_id, Role.EDITOR)
    for token in (olga_token, erik_token):
        workspaces.switch(actor=actor(token), workspace_id=acme.id)
    olga = actor(olga_token)
    workspaces.rename(actor=olga, name="Acme", ip="203.0.113.1")
    key = api_keys.create_key(actor=olga, name="Shop", scopes=["codes:read"], ip="203.0.113.1")
    members.invite(actor=olga, email="new@example.com", role=Role.VIEWER, ip="203.0.113.1")
    # Erik's account rows: a failed and a good login, then a logout.
    with pytest.raises(ServiceError):
        accounts.log_in(
            email="erik@example.com", password="wrong one", ip="198.51.100.9", binding=BINDING
        )
    erik_again = log_in("erik@example.com", PASSWORD, ip="198.51.100.9")
    accounts.log_out(session_token=erik_again, ip="198.51.100.9")
    bo_token = sign_up_and_session("bo@example.com", "Bo")
    workspaces.rename(actor=actor(bo_token), name="Bo's secret", ip="192.0.2.99")
    return {
        "olga": olga,
        "erik": actor(erik_token),
        "bo": actor(bo_token),
        "key": key,
        "olga_token": olga_token,
        "erik_token": erik_token,
        "bo_token": bo_token,
    }


def _all(who, **filters) -> list[audit_log.Row]:
    out, cursor = [], ""
    while True:
        got = audit_log.page(actor=who, filters=Filters(**filters), cursor=cursor, limit=3)
        out += got.rows
        if not got.next_cursor:
            return out
        cursor = got.next_cursor


def test_the_log_shows_this_workspace_and_its_members_account_rows_only(team):
    rows = _all(team["olga"])
    actions = [r.action for r in rows]
    for expected in (
        "workspace.renamed",
        "api_key.created",
        "member.invited",
        "user.login_failed",
        "user.logged_in",
        "user.logged_out",
    ):
        assert expected in actions, expected
    assert all(r.ip != "192.0.2.99" for r in rows)  # nothing of workspace B
    assert not any("secret" in r.object for r in rows)
    # Newest first, no row twice across the pages.
    assert [r.created_at for r in rows] == sorted((r.created_at for r in rows), reverse=True)
    assert len({r.id for r in rows}) == len(rows)
    renamed = next(r for r in rows if r.action == "workspace.renamed")
    assert renamed.what == "Renamed the workspace"
    assert renamed.who == "Olga (olga@example.com)"
    failed = next(r for r in rows if r.action == "user.login_failed")
    assert failed.what == "Sign-in failed"
    assert failed.ip == "198.51.100.9"
    assert failed.who == "Erik (erik@example.com)"
    key_row = next(r for r in rows if r.action == "api_key.created")
    assert key_row.object == "API key “Shop”"
    # Workspace B sees its own rename, not A's.
    b_rows = _all(team["bo"])
    assert "workspace.renamed" in [r.action for r in b_rows]
    assert all(r.ip != "203.0.113.1" for r in b_rows)


def test_filters_by_person_action_object_and_dates(team):
    olga, erik = team["olga"], team["erik"]
    by_erik = _all(olga, person=f"user:{erik.user_id}")
    assert by_erik
    assert {r.who for r in by_erik} == {"Erik (erik@example.com)"}
    logins = _all(olga, action="user.logged_in")
    assert logins
    assert {r.action for r in logins} == {"user.logged_in"}
    keys = _all(olga, object_type="api_key")
    assert [r.action for r in keys] == ["api_key.created"]
    assert _all(olga, object_type="api_key", object_id=str(team["key"].key.id))
    today = dt.datetime.now(dt.UTC).date()
    assert len(_all(olga, date_from=str(today), date_to=str(today))) == len(_all(olga))
    assert _all(olga, date_to=str(today - dt.timedelta(days=1))) == []
    with pytest.raises(ServiceError, match="must look like 2026-12-01"):
        _all(olga, date_from="yesterday")
    with pytest.raises(ServiceError, match="before"):
        _all(olga, date_from=str(today), date_to=str(today - dt.timedelta(days=2)))
    with pytest.raises(ServiceError):
        _all(olga, person="user:not-a-uuid")
    picks = audit_log.choices(actor=olga)
    assert ("user.logged_in", "Signed in") in picks.actions
    assert {label for _v, label in picks.people} >= {"Olga", "Erik"}
    assert "Bo" not in {label for _v, label in picks.people}


def test_an_api_keys_rows_name_the_key(team):
    olga = team["olga"]
    with transaction() as tx:  # what a service writes while the key acts
        token = audit.acting_api_key.set(team["key"].key.id)
        try:
            audit.record(
                tx.session,
                action=audit.AuditAction.QR_CREATED,
                actor_user_id=olga.user_id,
                workspace_id=olga.workspace_id,
                target_type="qr_code",
                target_id="x1",
                details={"name": "Poster"},
            )
        finally:
            audit.acting_api_key.reset(token)
    row = _all(olga, person=f"key:{team['key'].key.id}")[0]
    assert row.who == "API key “Shop”"
    assert row.what == "QR code: created"
    assert row.object == "QR code “Poster”"


def test_viewing_needs_audit_view(team):
    with pytest.raises(PermissionDenied):
        audit_log.page(actor=team["erik"], filters=Filters())
    with pytest.raises(PermissionDenied):
        audit_log.export_csv(actor=team["erik"], filters=Filters())


def _client(token: str | None) -> TestClient:
    client = TestClient(transform(Starlette()), client=("203.0.113.5", 1), follow_redirects=False)
    if token:
        client.cookies.set(get_settings().session_cookie_name, token)
    return client


def test_the_csv_download_is_filtered_authorised_and_scoped(team):
    got = _client(team["olga_token"]).get("/files/audit/audit.csv?action=user.logged_in")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "audit-log-" in got.headers["content-disposition"]
    assert got.headers["cache-control"] == "no-store"
    table = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert table[0] == audit_log.CSV_HEADER
    assert len(table) > 1
    assert {r[3] for r in table[1:]} == {"user.logged_in"}
    assert {r[2] for r in table[1:]} == {"Signed in"}
    # The download is audited, with the filters it used.
    with transaction() as tx:
        row = tx.session.exec(select(AuditLog).where(AuditLog.action == "audit.exported")).one()
    assert row.workspace_id == team["olga"].workspace_id
    assert row.details["filters"] == {"action": "user.logged_in"}
    # Everything of A, nothing of B.
    whole = _client(team["olga_token"]).get("/files/audit/audit.csv").content.decode("utf-8-sig")
    assert "workspace.renamed" in whole
    assert "192.0.2.99" not in whole
    b_whole = _client(team["bo_token"]).get("/files/audit/audit.csv").content.decode()
    assert "203.0.113.1" not in b_whole
    assert "erik@example.com" not in b_whole
    # An editor, a stranger, bad filters.
    assert _client(team["erik_token"]).get("/files/audit/audit.csv").status_code == 403
    assert _client(None).get("/files/audit/audit.csv").status_code == 401
    bad = _client(team["olga_token"]).get("/files/audit/audit.csv?date_from=soon")
    assert bad.status_code == 400
    assert "2026-12-01" in bad.text


def test_csv_cells_cannot_become_formulas(team):
    olga = team["olga"]
    with transaction() as tx:
        user = tx.session.get(User, olga.user_id)
        user.name = "=SUM(A1)"
        tx.session.add(user)
    body = audit_log.export_csv(actor=olga, filters=Filters(action="workspace.renamed"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][1] == "'=SUM(A1) (olga@example.com)"
