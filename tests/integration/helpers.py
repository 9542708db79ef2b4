"""Small helpers for account-level integration tests."""

from __future__ import annotations

from qrapp.core.permissions import Role
from qrapp.db import transaction
from qrapp.models import Membership, Workspace
from qrapp.services import accounts
from qrapp.services.authz import Actor, actor_for_session

PASSWORD = "correct horse battery staple"


def sign_up_and_session(email: str, name: str = "", password: str = PASSWORD) -> str:
    """A new account; returns its session token (what the cookie would hold)."""
    result = accounts.sign_up(email=email, password=password, name=name)
    assert result.handoff
    token = accounts.start_session(handoff=result.handoff)
    assert token
    return token


def log_in(email: str, password: str = PASSWORD, ip: str = "203.0.113.9") -> str:
    token = accounts.start_session(handoff=accounts.log_in(email=email, password=password, ip=ip))
    assert token
    return token


def actor(token: str | None) -> Actor:
    with transaction() as tx:
        return actor_for_session(tx.session, token)


def add_member(workspace_id, user_id, role: Role) -> None:
    with transaction() as tx:
        tx.session.add(Membership(workspace_id=workspace_id, user_id=user_id, role=role.value))


def team_workspace(name: str = "Team A") -> Workspace:
    with transaction() as tx:
        ws = Workspace(name=name)
        tx.session.add(ws)
        return ws
