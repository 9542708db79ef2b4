"""Which of the workspace's codes and pages are read-only under its plan, for the UI's
badges and notices (the services refuse the edits themselves: entitlements)."""

from __future__ import annotations

import uuid

from qrapp.core.permissions import Permission
from qrapp.core.plans import Resource
from qrapp.db import read_session
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements

CODE_RESOURCES = (Resource.DYNAMIC_CODES, Resource.STATIC_CODES)


def code_reasons(*, actor: Actor) -> dict[str, str]:
    """code id (str) -> why it is read-only, for every read-only code of the workspace
    (usually none: one query per resource when nothing is over)."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    out: dict[str, str] = {}
    with read_session() as s:
        for resource in CODE_RESOURCES:
            reason = entitlements.read_only_reason(s, workspace_id, resource)
            if reason:
                for code_id in entitlements.read_only_ids(s, workspace_id, resource):
                    out[str(code_id)] = reason
    return out


def reason_for(*, actor: Actor, resource: Resource, item_id: uuid.UUID) -> str:
    """Why this code or page is read-only, or ''."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        if item_id not in entitlements.read_only_ids(s, workspace_id, resource):
            return ""
        return entitlements.read_only_reason(s, workspace_id, resource)
