"""Two workspaces with an owner each, a code in each, and a way to make keys and call the
API as the web backend mounts it (qrapp.api.app.transform)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.services import api_keys
from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from tests.integration.helpers import actor, sign_up_and_session


@pytest.fixture
def api_client() -> TestClient:
    return TestClient(transform(Starlette()), follow_redirects=False)


@pytest.fixture
def world(clean_db) -> dict:
    out: dict = {}
    for side in ("a", "b"):
        owner = actor(sign_up_and_session(f"owner@{side}.example", name=f"Owner {side.upper()}"))
        out[f"{side}_owner"] = owner
        out[f"{side}_code"] = qrcodes.create(
            actor=owner, data=CodeInput(name=f"Poster {side}", destination="https://example.com/")
        )
    return out


@pytest.fixture
def make_key() -> Callable[..., str]:
    def make(owner, scopes: list[str], **kw) -> str:
        return api_keys.create_key(actor=owner, name="Test key", scopes=scopes, **kw).token

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
