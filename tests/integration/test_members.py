"""Members, roles and invitations: who may do what, and the last owner stays."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import Membership
from qrapp.services.errors import FieldErrors, PermissionDenied, ServiceError
from qrapp.services.workspaces import members, workspaces
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.mailsink import link_in
from tests.support.plans import give_plan


@pytest.fixture
def team(mail):
    owner = sign_up_and_session("owner@team.example", name="Olga")
    workspaces.create(actor=actor(owner), name="Team")
    give_plan(actor(owner).workspace_id, "business")  # seats for the invitations below
    return owner


def _invite_token(mail, email: str) -> str:
    msg = mail.wait_for(email, "invited you")
    return link_in(msg, "/invite").split("token=")[1]


def _role_of(email_token: str) -> Role | None:
    return actor(email_token).role


def test_invite_by_mail_and_accept_with_the_same_address(team, mail):
    members.invite(actor=actor(team), email="Eve@Team.example", role="editor")
    token = _invite_token(mail, "eve@team.example")
    eve = sign_up_and_session("eve@team.example")
    ws = members.accept_invite(actor=actor(eve), token=token)
    me = actor(eve)
    assert me.workspace_id == ws
    assert me.role == Role.EDITOR
    with pytest.raises(ServiceError, match="invalid, used or expired"):
        members.accept_invite(actor=actor(eve), token=token)
    rows, pending = members.list_members(actor=actor(team))
    assert {m.email for m in rows} == {"owner@team.example", "eve@team.example"}
    assert pending == []


def test_an_invitation_is_accepted_only_by_its_addressee(team, mail):
    members.invite(actor=actor(team), email="right@team.example", role="viewer")
    token = _invite_token(mail, "right@team.example")
    wrong = sign_up_and_session("wrong@team.example")
    with pytest.raises(PermissionDenied, match=re.escape("right@team.example")):
        members.accept_invite(actor=actor(wrong), token=token)
    assert _role_of(wrong) == Role.OWNER  # still only in their personal workspace
    right = sign_up_and_session("right@team.example")
    members.accept_invite(actor=actor(right), token=token)
    assert _role_of(right) == Role.VIEWER


def test_viewers_and_editors_cannot_invite_or_manage(team, mail):
    members.invite(actor=actor(team), email="v@team.example", role="viewer")
    v = sign_up_and_session("v@team.example")
    members.accept_invite(actor=actor(v), token=_invite_token(mail, "v@team.example"))
    with pytest.raises(PermissionDenied):
        members.invite(actor=actor(v), email="x@team.example", role="viewer")
    owner_id = actor(team).user_id
    with pytest.raises(PermissionDenied):
        members.change_role(actor=actor(v), user_id=owner_id, role="viewer")
    with pytest.raises(PermissionDenied):
        members.remove_member(actor=actor(v), user_id=owner_id)
    assert _role_of(team) == Role.OWNER


def test_admins_cannot_touch_owners_and_the_last_owner_stays(team, mail):
    members.invite(actor=actor(team), email="a@team.example", role="admin")
    a = sign_up_and_session("a@team.example")
    members.accept_invite(actor=actor(a), token=_invite_token(mail, "a@team.example"))
    owner_id = actor(team).user_id
    with pytest.raises(PermissionDenied):
        members.change_role(actor=actor(a), user_id=owner_id, role="viewer")
    with pytest.raises(PermissionDenied):
        members.invite(actor=actor(a), email="o2@team.example", role="owner")
    with pytest.raises(ServiceError, match="at least one owner"):
        members.change_role(actor=actor(team), user_id=owner_id, role="admin")
    with pytest.raises(ServiceError, match="last owner"):
        members.remove_member(actor=actor(team), user_id=owner_id)
    # With a second owner, the first may step down.
    members.change_role(actor=actor(team), user_id=actor(a).user_id, role="owner")
    members.change_role(actor=actor(team), user_id=owner_id, role="editor")
    assert _role_of(team) == Role.EDITOR


def test_members_of_another_workspace_are_not_found(team, mail):
    stranger = sign_up_and_session("s@other.example")
    owner_id = actor(team).user_id
    with pytest.raises(ServiceError):
        members.change_role(actor=actor(stranger), user_id=owner_id, role="viewer")
    with read_session() as s:
        roles = s.exec(select(Membership.role).where(Membership.user_id == owner_id)).all()
    assert set(roles) == {"owner"}


def test_personal_workspaces_take_no_invitations(mail):
    solo = sign_up_and_session("solo@team.example")
    with pytest.raises(ServiceError, match="Personal workspaces"):
        members.invite(actor=actor(solo), email="friend@team.example", role="editor")
    with pytest.raises(ServiceError) as err:
        members.invite(actor=actor(solo), email="not an email", role="editor")
    assert err.value.field == "email"
    with pytest.raises(FieldErrors):
        members.invite(actor=actor(solo), email="friend@team.example", role="superuser")
