"""SSO tests: workspace A (Business plan) with its owner, admin, editor and viewer,
workspace B (Business plan) with its own admin, and a helper that marks a domain verified
(the DNS proof itself is tested in test_sso_domains.py)."""

from __future__ import annotations

import pytest

from qrapp.core.permissions import Role
from qrapp.db import transaction
from qrapp.models.sso import SsoDomain
from qrapp.models.types import utcnow
from qrapp.services.workspaces import workspaces
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace
from tests.support.plans import give_plan


def _team(name: str, people: dict, roles, suffix: str) -> object:
    ws = team_workspace(name)
    give_plan(ws.id, "business")
    for role in roles:
        token = sign_up_and_session(f"{role.value}{suffix}@admins.example")
        add_member(ws.id, actor(token).user_id, role)
        workspaces.switch(actor=actor(token), workspace_id=ws.id)
        people[f"{role.value}{suffix}"] = actor(token)
        people.setdefault("tokens", {})[f"{role.value}{suffix}"] = token
    return ws


@pytest.fixture
def people(clean_db):
    out: dict = {}
    out["ws_a"] = _team("Team A", out, (Role.OWNER, Role.ADMIN, Role.EDITOR, Role.VIEWER), "")
    out["ws_b"] = _team("Team B", out, (Role.ADMIN,), "_b")
    return out


def verified_domain(workspace_id, domain: str) -> None:
    with transaction() as tx:
        tx.session.add(
            SsoDomain(workspace_id=workspace_id, domain=domain, token="t", verified_at=utcnow())
        )


@pytest.fixture(scope="session")
def idp_server():
    from tests.support.oidc_provider import running_provider

    with running_provider() as provider:
        yield provider


CLIENT_ID = "qrapp-test-client"
CLIENT_SECRET = "test-client-secret-0123"


@pytest.fixture
def idp(idp_server, clean_db, private_webhooks):
    """The test provider knowing our app as a client, with no users and behaving well (on
    127.0.0.1: outgoing calls to a provider follow the webhooks' private-address rule)."""
    from qrapp.services.sso import oidc

    idp_server.reset()
    oidc.forget_cached_metadata()
    idp_server.add_client(CLIENT_ID, CLIENT_SECRET, oidc.callback_url())
    yield idp_server
    idp_server.reset()


def oidc_connection(who, issuer: str, **kw):
    from qrapp.services.sso import connections

    config = {"issuer": issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    return connections.create_connection(
        actor=who, protocol="oidc", name="Test IdP", config=config, **kw
    )


def sign_in_at_idp(authorize_url: str, email: str, password: str) -> dict[str, str]:
    """What a person does at the provider's login form: the query our callback then gets."""
    from urllib.parse import parse_qsl, urlsplit

    import httpx

    page = httpx.get(authorize_url)
    assert page.status_code == 200, page.text
    answer = httpx.post(authorize_url, data={"username": email, "password": password})
    assert answer.status_code == 302, answer.text
    return dict(parse_qsl(urlsplit(answer.headers["location"]).query))
