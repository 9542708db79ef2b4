"""Roles and tenants: every service checks the actor and scopes by workspace."""

from __future__ import annotations

import pytest
from sqlmodel import delete, select

from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import AuditLog, UserSession, Workspace
from qrapp.services.accounts.tokens import token_hash
from qrapp.services.errors import NotFound, PermissionDenied
from qrapp.services.workspaces import workspaces
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace


@pytest.fixture
def team(clean_db):
    """Workspace A with an owner, an editor and a viewer; B is a stranger."""
    ws = team_workspace("Team A")
    people = {}
    for role in (Role.OWNER, Role.EDITOR, Role.VIEWER):
        token = sign_up_and_session(f"{role.value}@a.example")
        add_member(ws.id, actor(token).user_id, role)
        workspaces.switch(actor=actor(token), workspace_id=ws.id)
        people[role.value] = token
    people["stranger"] = sign_up_and_session("b@b.example")
    return ws, people


def _name(ws_id) -> str:
    with read_session() as s:
        return s.get(Workspace, ws_id).name


def test_roles_in_the_session_workspace(team):
    ws, people = team
    for role in ("owner", "editor", "viewer"):
        me = actor(people[role])
        assert me.workspace_id == ws.id
        assert me.role == Role(role)


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_only_owners_and_admins_rename(team, who):
    ws, people = team
    with pytest.raises(PermissionDenied):
        workspaces.rename(actor=actor(people[who]), name="Hacked")
    assert _name(ws.id) == "Team A"


def test_owner_renames_and_it_is_audited(team):
    ws, people = team
    workspaces.rename(actor=actor(people["owner"]), name="  Team   Alpha ")
    assert _name(ws.id) == "Team Alpha"
    with read_session() as s:
        row = s.exec(select(AuditLog).where(AuditLog.action == "workspace.renamed")).one()
    assert row.workspace_id == ws.id
    assert row.details == {"from": "Team A", "to": "Team Alpha"}


def test_a_stranger_cannot_switch_into_another_workspace(team):
    ws, people = team
    stranger = actor(people["stranger"])
    with pytest.raises(NotFound) as err:
        workspaces.switch(actor=stranger, workspace_id=ws.id)
    assert err.value.message == NotFound("workspace").message
    with read_session() as s:
        row = s.exec(
            select(UserSession).where(UserSession.token_hash == token_hash(people["stranger"]))
        ).one()
    assert row.workspace_id != ws.id
    # The stranger's own rename touches only their own workspace.
    workspaces.rename(actor=stranger, name="Mine")
    assert _name(ws.id) == "Team A"


def test_a_removed_member_falls_back_to_their_own_workspace(team):
    ws, people = team
    from qrapp.db import transaction
    from qrapp.models import Membership

    viewer = actor(people["viewer"])
    with transaction() as tx:
        tx.session.exec(
            delete(Membership).where(
                Membership.workspace_id == ws.id, Membership.user_id == viewer.user_id
            )
        )
    again = actor(people["viewer"])
    assert again.workspace_id != ws.id
    assert again.role == Role.OWNER


def test_workspace_list_shows_only_own_memberships(team):
    _ws, people = team
    names = {w.name for w in workspaces.list_for_actor(actor=actor(people["stranger"]))}
    assert "Team A" not in names
    assert len(names) == 1
    viewer_view = {w.name: w for w in workspaces.list_for_actor(actor=actor(people["viewer"]))}
    assert viewer_view["Team A"].role == Role.VIEWER
    assert viewer_view["Team A"].member_count == 3
