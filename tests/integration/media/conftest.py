"""People in one workspace (owner, editor, viewer) and a stranger, and a look at every
object the product's media storage holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qrapp.core.permissions import Role
from qrapp.services.media.storage import LocalStorage, S3Storage, get_storage
from qrapp.services.workspaces import workspaces
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace
from tests.support.media import ensure_bucket


@pytest.fixture
def people(clean_db):
    storage = get_storage()
    if isinstance(storage, S3Storage):
        env = os.environ
        ensure_bucket(
            env["S3_ENDPOINT_URL"], env["S3_BUCKET"], env["S3_ACCESS_KEY"], env["S3_SECRET_KEY"]
        )
    ws = team_workspace("Media team")
    out = {"workspace_id": ws.id}
    for role in (Role.OWNER, Role.EDITOR, Role.VIEWER):
        token = sign_up_and_session(f"{role.value}@media.example", name=role.value.title())
        add_member(ws.id, actor(token).user_id, role)
        workspaces.switch(actor=actor(token), workspace_id=ws.id)
        out[role.value] = actor(token)
        out[f"{role.value}_token"] = token
    out["stranger"] = actor(sign_up_and_session("someone@elsewhere.example"))
    return out


def stored_keys() -> set[str]:
    """Every key in the product's media storage (the folder, or the whole bucket)."""
    storage = get_storage()
    if isinstance(storage, LocalStorage):
        root = Path(storage.root)
        if not root.exists():
            return set()
        return {
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file() and not p.name.endswith(".type")
        }
    assert isinstance(storage, S3Storage)
    keys: set[str] = set()
    for page in storage.client.get_paginator("list_objects_v2").paginate(Bucket=storage.bucket):
        keys |= {o["Key"] for o in page.get("Contents", [])}
    return keys
