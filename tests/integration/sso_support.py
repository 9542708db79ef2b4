"""Shared set-up of the SAML and LDAP sign-in tests: a workspace on a plan with SSO whose
e-mail domain is verified, and the HTTP client for the backend's routes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.db import read_session, transaction
from qrapp.models import Membership, SsoDomain, User, Workspace
from qrapp.models.types import utcnow
from qrapp.services.authz import Actor
from qrapp.services.workspaces import workspaces
from qrapp.settings import get_settings
from tests.integration.helpers import BINDING, actor, sign_up_and_session
from tests.support.plans import give_plan


@dataclass(frozen=True)
class Tenant:
    actor: Actor
    workspace_id: uuid.UUID
    session: str  # the owner's session token (what the browser's cookie would hold)


def tenant(owner_email: str, domain: str) -> Tenant:
    """A team workspace on the Business plan (single sign-on is for team workspaces, not
    personal ones) that has proved it owns `domain`, its owner's session switched to it."""
    session = sign_up_and_session(owner_email)
    owner = actor(session)
    with transaction() as tx:
        team = Workspace(name=f"Team of {domain}")
        tx.session.add(team)
        tx.session.flush()
        tx.session.add(Membership(workspace_id=team.id, user_id=owner.user_id, role="owner"))
        team_id = team.id
    workspaces.switch(actor=owner, workspace_id=team_id)
    give_plan(team_id, "business")
    with transaction() as tx:
        tx.session.add(
            SsoDomain(workspace_id=team_id, domain=domain, token="t" * 32, verified_at=utcnow())
        )
    who = actor(session)
    assert who.workspace_id == team_id
    return Tenant(actor=who, workspace_id=team_id, session=session)


def backend_client(binding: str = BINDING) -> TestClient:
    """Our routes (no Reflex behind them), as a browser holding `binding`."""
    client = TestClient(transform(Starlette()), follow_redirects=False)
    client.cookies.set(get_settings().login_binding_cookie_name, binding)
    return client


def path_of(url: str) -> str:
    """A redirect's path and query on our backend (the routes answer absolute URLs)."""
    base = get_settings().public_api_url
    assert url.startswith(base), url
    return url[len(base) :]


def role_in(workspace_id: uuid.UUID, email: str) -> str | None:
    with read_session() as s:
        row = s.exec(
            select(Membership.role)
            .join(User, User.id == Membership.user_id)  # type: ignore[arg-type]
            .where(Membership.workspace_id == workspace_id, User.email == email)
        ).first()
    return row
