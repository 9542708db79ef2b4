"""Who is in a workspace: members, their roles, and e-mailed invitations.

Only the account whose e-mail an invitation was sent to can accept it; a workspace always
keeps at least one owner; only owners make or unmake owners.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from qrapp.core import routes
from qrapp.core.permissions import Permission, Role
from qrapp.core.plans import Resource
from qrapp.db import read_session, transaction
from qrapp.models import Invitation, Membership, User, UserSession, Workspace
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.accounts.accounts import normalise_email
from qrapp.services.accounts.tokens import new_token, token_hash
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied, ServiceError
from qrapp.services.mail import app_link, queue_mail

INVITE_TTL = dt.timedelta(days=7)
MAX_PENDING = 100


@dataclass(frozen=True)
class MemberView:
    user_id: uuid.UUID
    name: str
    email: str
    role: Role
    is_you: bool


@dataclass(frozen=True)
class InviteView:
    id: uuid.UUID
    email: str
    role: Role
    expires_at: dt.datetime


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise FieldErrors({"role": "Choose owner, admin, editor or viewer."}) from None


def _owners(session: Session, workspace_id: uuid.UUID) -> list[Membership]:
    return list(
        session.exec(
            select(Membership).where(
                Membership.workspace_id == workspace_id, Membership.role == Role.OWNER.value
            )
        ).all()
    )


def list_members(*, actor: Actor) -> tuple[list[MemberView], list[InviteView]]:
    workspace_id = require(actor, Permission.MEMBERS_VIEW)
    with read_session() as s:
        rows = s.exec(
            select(User, Membership.role)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(Membership.workspace_id == workspace_id)
            .order_by(col(Membership.created_at))
        ).all()
        invites: Sequence[Invitation] = ()
        if actor.can(Permission.MEMBERS_INVITE):
            invites = s.exec(
                select(Invitation)
                .where(
                    Invitation.workspace_id == workspace_id,
                    col(Invitation.accepted_at).is_(None),
                    Invitation.expires_at > utcnow(),
                )
                .order_by(col(Invitation.created_at))
            ).all()
    members = [
        MemberView(u.id, u.name, u.email, Role(role), u.id == actor.user_id) for u, role in rows
    ]
    return members, [InviteView(i.id, i.email, Role(i.role), i.expires_at) for i in invites]


def invite(*, actor: Actor, email: str, role: str, ip: str = "") -> None:
    workspace_id = require(actor, Permission.MEMBERS_INVITE)
    email = normalise_email(email)
    wanted = _role(role)
    if wanted == Role.OWNER and actor.role != Role.OWNER:
        raise PermissionDenied("Only owners can invite owners.")
    token, hashed = new_token()
    with transaction() as tx:
        s = tx.session
        ws = s.get(Workspace, workspace_id)
        if ws is None or ws.is_personal:
            raise ServiceError("Personal workspaces are just for you; create a team workspace.")
        already = s.exec(
            select(Membership)
            .join(User, col(User.id) == Membership.user_id)
            .where(Membership.workspace_id == workspace_id, User.email == email)
        ).first()
        if already is not None:
            raise FieldErrors({"email": "That person is already a member."})
        pending = s.exec(
            select(Invitation).where(
                Invitation.workspace_id == workspace_id, col(Invitation.accepted_at).is_(None)
            )
        ).all()
        if len(pending) >= MAX_PENDING:
            raise ServiceError(f"At most {MAX_PENDING} invitations can wait at once.")
        for old in pending:
            if old.email == email:  # a new invitation replaces the old one
                s.delete(old)
        s.flush()
        # Seats are members plus invitations still waiting: each invitation holds one.
        entitlements.reserve(s, workspace_id, Resource.SEATS)
        s.add(
            Invitation(
                workspace_id=workspace_id,
                email=email,
                role=wanted.value,
                token_hash=hashed,
                invited_by=actor.user_id,
                expires_at=utcnow() + INVITE_TTL,
            )
        )
        audit.record(
            s,
            action=AuditAction.MEMBER_INVITED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="invitation",
            target_id=email,
            ip=ip,
            details={"role": wanted.value},
        )
        queue_mail(
            tx,
            to=email,
            subject=f"{actor.name or actor.email} invited you to {ws.name} on qrapp",
            text=(
                f'{actor.name or actor.email} invited you to the workspace "{ws.name}" '
                f"on qrapp as {wanted.label.lower()}.\n\n"
                f"Accept the invitation here:\n\n{app_link(routes.invite_link(token))}\n\n"
                "The link works for 7 days. Log in, or sign up, with this e-mail address "
                f"({email}) to accept it."
            ),
        )


def revoke_invite(*, actor: Actor, invite_id: uuid.UUID, ip: str = "") -> None:
    workspace_id = require(actor, Permission.MEMBERS_INVITE)
    with transaction() as tx:
        inv = tx.session.get(Invitation, invite_id)
        if inv is None or inv.workspace_id != workspace_id or inv.accepted_at is not None:
            raise NotFound("invitation")
        tx.session.delete(inv)
        audit.record(
            tx.session,
            action=AuditAction.MEMBER_INVITE_REVOKED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="invitation",
            target_id=inv.email,
            ip=ip,
        )


@dataclass(frozen=True)
class InvitePreview:
    workspace_name: str
    role: Role
    email: str


def preview_invite(*, token: str) -> InvitePreview | None:
    """What an invitation link offers, for the accept page (no account needed to look)."""
    if not token or len(token) > 200:
        return None
    with read_session() as s:
        inv = s.exec(select(Invitation).where(Invitation.token_hash == token_hash(token))).first()
        if inv is None or inv.accepted_at is not None or inv.expires_at <= utcnow():
            return None
        ws = s.get(Workspace, inv.workspace_id)
    return InvitePreview(ws.name if ws else "", Role(inv.role), inv.email)


def accept_invite(*, actor: Actor, token: str, ip: str = "") -> uuid.UUID:
    """Join the workspace; this session switches to it. Returns the workspace id."""
    invalid = ServiceError("This invitation is invalid, used or expired. Ask for a new one.")
    if not token or len(token) > 200:
        raise invalid
    with transaction() as tx:
        s = tx.session
        inv = s.exec(select(Invitation).where(Invitation.token_hash == token_hash(token))).first()
        if inv is None or inv.accepted_at is not None or inv.expires_at <= utcnow():
            raise invalid
        if inv.email != actor.email.lower():
            raise PermissionDenied(
                f"This invitation was sent to {inv.email}. Log in with that address to accept it."
            )
        _require_seat_to_join(s, inv.workspace_id, actor.user_id)
        # Mark it used atomically, so a double click cannot join twice.
        done = s.exec(
            update(Invitation)
            .where(col(Invitation.id) == inv.id, col(Invitation.accepted_at).is_(None))
            .values(accepted_at=utcnow())
        )
        if done.rowcount != 1:
            raise invalid
        member = s.exec(
            select(Membership).where(
                Membership.workspace_id == inv.workspace_id, Membership.user_id == actor.user_id
            )
        ).first()
        if member is None:
            s.add(Membership(workspace_id=inv.workspace_id, user_id=actor.user_id, role=inv.role))
        session_row = s.get(UserSession, actor.session_id)
        if session_row is not None:
            session_row.workspace_id = inv.workspace_id
            s.add(session_row)
        audit.record(
            s,
            action=AuditAction.MEMBER_JOINED,
            actor_user_id=actor.user_id,
            workspace_id=inv.workspace_id,
            target_type="user",
            target_id=str(actor.user_id),
            ip=ip,
            details={"role": inv.role},
        )
        return inv.workspace_id


def _require_seat_to_join(s: Session, workspace_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """The plan may have shrunk since the invitation was sent: joining needs a free seat
    among the members themselves (the invitation's own held seat becomes this one)."""
    entitlements.lock_workspace(s, workspace_id)
    the_plan = entitlements.plan_for(s, workspace_id)
    limit = the_plan.limit(Resource.SEATS)
    members = s.exec(
        select(Membership.user_id).where(Membership.workspace_id == workspace_id)
    ).all()
    if limit is None or user_id in members or len(members) < limit:
        return
    raise entitlements.PlanLimitReached(
        Resource.SEATS,
        the_plan,
        f"This workspace's {the_plan.name} plan includes "
        f"{entitlements.quantity(limit, Resource.SEATS)} and all are taken, so the "
        "invitation cannot be accepted now. Ask an owner of the workspace to upgrade.",
    )


def _membership_or_raise(s: Session, workspace_id: uuid.UUID, user_id: uuid.UUID) -> Membership:
    member = s.exec(
        select(Membership).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    ).first()
    if member is None:
        raise NotFound("member")
    return member


def change_role(*, actor: Actor, user_id: uuid.UUID, role: str, ip: str = "") -> None:
    workspace_id = require(actor, Permission.MEMBERS_MANAGE)
    wanted = _role(role)
    with transaction() as tx:
        member = _membership_or_raise(tx.session, workspace_id, user_id)
        current = Role(member.role)
        if Role.OWNER in (wanted, current) and actor.role != Role.OWNER:
            raise PermissionDenied("Only owners can make or unmake owners.")
        demoting_last_owner = (
            current == Role.OWNER
            and wanted != Role.OWNER
            and len(_owners(tx.session, workspace_id)) <= 1
        )
        if demoting_last_owner:
            raise ServiceError(
                "A workspace needs at least one owner. Make someone else owner first."
            )
        member.role = wanted.value
        tx.session.add(member)
        audit.record(
            tx.session,
            action=AuditAction.MEMBER_ROLE_CHANGED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="user",
            target_id=str(user_id),
            ip=ip,
            details={"from": current.value, "to": wanted.value},
        )


def remove_member(*, actor: Actor, user_id: uuid.UUID, ip: str = "") -> None:
    """Remove someone, or leave yourself (any role may leave)."""
    leaving = user_id == actor.user_id
    workspace_id = require(
        actor, Permission.WORKSPACE_VIEW if leaving else Permission.MEMBERS_MANAGE
    )
    with transaction() as tx:
        ws = tx.session.get(Workspace, workspace_id)
        if ws is not None and ws.is_personal and leaving:
            raise ServiceError("You cannot leave your personal workspace.")
        member = _membership_or_raise(tx.session, workspace_id, user_id)
        if member.role == Role.OWNER.value:
            if not leaving and actor.role != Role.OWNER:
                raise PermissionDenied("Only owners can remove owners.")
            if len(_owners(tx.session, workspace_id)) <= 1:
                raise ServiceError(
                    "The last owner cannot be removed. Make someone else owner first."
                )
        tx.session.delete(member)
        audit.record(
            tx.session,
            action=AuditAction.MEMBER_LEFT if leaving else AuditAction.MEMBER_REMOVED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="user",
            target_id=str(user_id),
            ip=ip,
        )
