"""The one way to learn who is acting and whether they may.

Every event handler, route and service gets an `Actor` from `actor_for_token` (the
browser's session cookie; `actor_for_session` inside a transaction already open) and passes
it on; `require` checks a permission in the actor's workspace.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from qrapp.core.permissions import Permission, Role, role_allows
from qrapp.db import transaction
from qrapp.models import Membership, User, UserSession
from qrapp.services.accounts import sessions
from qrapp.services.errors import NotSignedIn, PermissionDenied
from qrapp.services.workspaces.memberships import first_membership


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID
    email: str
    name: str
    email_verified: bool
    session_id: uuid.UUID
    workspace_id: uuid.UUID | None
    role: Role | None
    # Set when an API key acts (qrapp.services.api_keys): the key's id, and the permissions
    # its scopes grant, which replace a role. user_id is then the key's maker, and
    # session_id the key's id.
    api_key_id: uuid.UUID | None = None
    key_permissions: frozenset[Permission] = frozenset()

    def can(self, permission: Permission) -> bool:
        if self.api_key_id is not None:
            return permission in self.key_permissions
        return self.role is not None and role_allows(self.role, permission)


def require(actor: Actor, permission: Permission) -> uuid.UUID:
    """Return the actor's workspace id if the role there grants `permission`."""
    if actor.workspace_id is None or not actor.can(permission):
        raise PermissionDenied()
    return actor.workspace_id


def _membership(session: Session, user_id: uuid.UUID, workspace_id: uuid.UUID | None):
    if workspace_id is None:
        return None
    return session.exec(
        select(Membership).where(
            Membership.user_id == user_id, Membership.workspace_id == workspace_id
        )
    ).first()


def actor_for_session(session: Session, token: str | None) -> Actor:
    """Load the actor from a session token, or raise NotSignedIn."""
    row: UserSession | None = sessions.touch(session, token)
    if row is None:
        raise NotSignedIn()
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise NotSignedIn()
    membership = _membership(session, user.id, row.workspace_id)
    if membership is None:
        # The remembered workspace is gone (left, removed): fall back to another one.
        membership = first_membership(session, user.id)
        row.workspace_id = membership.workspace_id if membership else None
        session.add(row)
    return Actor(
        user_id=user.id,
        email=user.email,
        name=user.name,
        email_verified=user.email_verified_at is not None,
        session_id=row.id,
        workspace_id=membership.workspace_id if membership else None,
        role=Role(membership.role) if membership else None,
    )


def actor_for_token(token: str | None) -> Actor:
    """The actor of a session token in a transaction of its own (touching the session);
    raise NotSignedIn when the token is missing or its session has ended."""
    with transaction() as tx:
        return actor_for_session(tx.session, token)
