"""Webhook tests: a workspace with its owner, admin, editor and viewer, a second
workspace, and receivers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qrapp.core.permissions import Role
from qrapp.services.webhooks import queueing
from qrapp.services.workspaces import workspaces
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace
from tests.support.webhook_receiver import Receiver


@pytest.fixture(autouse=True)
def _private_receivers(private_webhooks) -> None:
    """Every webhook test may deliver to its receivers on 127.0.0.1."""


@pytest.fixture
def people(clean_db):
    ws = team_workspace("Team A")
    out = {}
    for role in (Role.OWNER, Role.ADMIN, Role.EDITOR, Role.VIEWER):
        token = sign_up_and_session(f"{role.value}@hooks.example")
        add_member(ws.id, actor(token).user_id, role)
        workspaces.switch(actor=actor(token), workspace_id=ws.id)
        out[role.value] = actor(token)
    out["stranger"] = actor(sign_up_and_session("b@other-hooks.example"))
    return out


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def other_receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def held(monkeypatch) -> list:
    """Messages are not handed to the worker: the test attempts them with its own clock."""
    queued: list = []

    def schedule(ids, countdown: float = 0) -> None:
        assert countdown >= 0
        queued.extend(ids)

    monkeypatch.setattr(queueing, "schedule", schedule)
    return queued


def resolving_to(*ips: str):
    """A resolver for addresses.using_resolver: every name resolves to `ips`."""

    def resolve(_host: str, _port: int) -> list[str]:
        return list(ips)

    return resolve
