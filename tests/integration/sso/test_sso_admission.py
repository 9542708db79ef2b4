"""SSO connections and admission: owners and admins manage connections of their own
workspace only, on a plan with SSO; a connection admits only e-mails of its workspace's
verified domains, just in time with the default role, and hands off a login like the
password login's."""

from __future__ import annotations

import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import Membership, User, Workspace
from qrapp.models.sso import SsoConnection
from qrapp.services.accounts import accounts
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied, ServiceError
from qrapp.services.sso import admission, connections
from tests.integration.helpers import BINDING, actor, sign_up_and_session
from tests.integration.sso.conftest import verified_domain

pytestmark = pytest.mark.integration

CONFIG = {
    "issuer": "https://login.acme.example",
    "client_id": "qrapp",
    "client_secret": "s3cret-value-xyz",
}


def _connection(who, **kw):
    return connections.create_connection(
        actor=who, protocol="oidc", name="Acme login", config=CONFIG, **kw
    )


def _row(connection_id) -> SsoConnection:
    with read_session() as s:
        return s.get(SsoConnection, connection_id)


def test_owner_and_admin_manage_secrets_are_write_only(people):
    c = _connection(people["admin"], default_role="editor")
    assert c.config["client_secret"] == "••••-xyz"
    assert "s3cret" not in repr(connections.list_connections(actor=people["owner"]))
    # A blank secret on update keeps the stored one.
    changed = connections.update_connection(
        actor=people["owner"],
        connection_id=c.id,
        config={
            "issuer": "https://login.acme.example/",
            "client_id": "qrapp2",
            "client_secret": "",
        },
        sso_only=True,
    )
    assert changed.config["client_id"] == "qrapp2"
    assert changed.sso_only
    assert _row(c.id).config["client_secret"] == "s3cret-value-xyz"
    assert _row(c.id).config["issuer"] == "https://login.acme.example"


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_cannot_touch_sso(people, role):
    c = _connection(people["owner"])
    someone = people[role]
    for call in (
        lambda: connections.list_connections(actor=someone),
        lambda: connections.get_connection(actor=someone, connection_id=c.id),
        lambda: _connection(someone),
        lambda: connections.update_connection(actor=someone, connection_id=c.id, enabled=False),
        lambda: connections.delete_connection(actor=someone, connection_id=c.id),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert _row(c.id).enabled


def test_another_workspaces_admin_gets_not_found(people):
    c = _connection(people["admin"])
    other = people["admin_b"]
    for call in (
        lambda: connections.get_connection(actor=other, connection_id=c.id),
        lambda: connections.update_connection(actor=other, connection_id=c.id, enabled=False),
        lambda: connections.delete_connection(actor=other, connection_id=c.id),
    ):
        with pytest.raises(NotFound):
            call()
    assert connections.list_connections(actor=other) == []
    assert _row(c.id).enabled


def test_bad_input_is_refused_and_nothing_is_stored(people):
    with pytest.raises(FieldErrors) as err:
        connections.create_connection(
            actor=people["admin"],
            protocol="oidc",
            name=" ",
            default_role="owner",
            config={"issuer": "http://login.acme.example", "client_id": "", "client_secret": ""},
        )
    assert set(err.value.errors) == {"name", "default_role", "issuer", "client_id", "client_secret"}
    assert "https://" in err.value.errors["issuer"]
    assert connections.list_connections(actor=people["admin"]) == []


def test_a_plan_without_sso_refuses(people):
    with transaction() as tx:
        tx.session.get(Workspace, people["ws_a"].id).plan = "pro"
    with pytest.raises(PlanLimitReached) as err:
        _connection(people["admin"])
    assert "Business and Enterprise" in err.value.message


def test_admit_makes_a_member_just_in_time_and_hands_off_a_login(people):
    verified_domain(people["ws_a"].id, "acme.example")
    c = _row(_connection(people["admin"], default_role="editor").id)
    user_id = admission.admit(c, "New.Person@ACME.example", "New Person")
    with read_session() as s:
        user = s.get(User, user_id)
        member = s.exec(select(Membership).where(Membership.user_id == user_id)).one()
    assert user.email == "new.person@acme.example"
    assert user.email_verified_at is not None
    assert member.workspace_id == people["ws_a"].id
    assert member.role == Role.EDITOR.value
    handoff = admission.finish_login(connection=c, user_id=user_id, binding=BINDING)
    token = accounts.start_session(handoff=handoff, binding=BINDING)
    me = actor(token)
    assert me.workspace_id == people["ws_a"].id
    assert me.role == Role.EDITOR
    # A second sign-in finds the same person; an admin's role change is kept.
    with transaction() as tx:
        row = tx.session.exec(select(Membership).where(Membership.user_id == user_id)).one()
        row.role = "admin"
    assert admission.admit(c, "new.person@acme.example", "x") == user_id
    assert actor(token).role == Role.ADMIN
    # No password login for an account made by SSO.
    with pytest.raises(Exception, match="do not match"):
        accounts.log_in(email="new.person@acme.example", password="", binding=BINDING)


def test_a_person_with_a_personal_workspace_lands_in_the_sso_workspace(people):
    # An account made by signing up has its personal workspace, which a password login
    # starts in; signing in through workspace A's identity provider starts in A.
    verified_domain(people["ws_a"].id, "acme.example")
    c = _row(_connection(people["admin"], default_role="viewer").id)
    own = actor(sign_up_and_session("old.hand@acme.example"))
    assert own.workspace_id != people["ws_a"].id
    user_id = admission.admit(c, "old.hand@acme.example", "Old Hand")
    assert user_id == own.user_id
    handoff = admission.finish_login(connection=c, user_id=user_id, binding=BINDING)
    me = actor(accounts.start_session(handoff=handoff, binding=BINDING))
    assert me.workspace_id == people["ws_a"].id
    assert me.role == Role.VIEWER
    # Removed from A before the hand-off is used: the session starts where it may.
    handoff = admission.finish_login(connection=c, user_id=user_id, binding=BINDING)
    with transaction() as tx:
        row = tx.session.exec(
            select(Membership).where(
                Membership.user_id == user_id, Membership.workspace_id == people["ws_a"].id
            )
        ).one()
        tx.session.delete(row)
    assert actor(accounts.start_session(handoff=handoff, binding=BINDING)).workspace_id == (
        own.workspace_id
    )


def test_group_roles_map_to_the_highest_role(people):
    mapping = {"group_roles": {"eng": "editor", "it": "admin", "boss": "owner"}}
    assert admission.role_for_groups(mapping, ["eng", "it"], "viewer") == "admin"
    assert admission.role_for_groups(mapping, ["boss"], "viewer") == "viewer"


def test_outside_the_verified_domains_is_refused(people):
    verified_domain(people["ws_b"].id, "acme.example")  # B's domain, not A's
    c = _row(_connection(people["admin"]).id)
    with pytest.raises(admission.SsoRefused) as err:
        admission.admit(c, "someone@acme.example", "Someone")
    assert "not one this workspace has verified" in err.value.message
    with read_session() as s:
        assert s.exec(select(User).where(User.email == "someone@acme.example")).first() is None


def test_a_disabled_connection_admits_nobody(people):
    verified_domain(people["ws_a"].id, "acme.example")
    c = _connection(people["admin"])
    connections.update_connection(actor=people["admin"], connection_id=c.id, enabled=False)
    with pytest.raises(admission.SsoRefused, match="switched off"):
        admission.admit(_row(c.id), "someone@acme.example")


def test_a_personal_workspace_cannot_have_sso(people):
    from tests.integration.helpers import sign_up_and_session
    from tests.support.plans import give_plan

    me = actor(sign_up_and_session("solo@admins.example"))
    give_plan(me.workspace_id, "business")
    with pytest.raises(ServiceError, match="Personal workspaces"):
        _connection(me)
