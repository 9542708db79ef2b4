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
