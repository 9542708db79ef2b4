"""E-mail domains a workspace proves it owns, for single sign-on: add one, publish its
TXT record (`_qrapp-challenge.<domain>` holding the token), check it, remove it. A domain
is bound to one workspace at most (the first to prove it; the database's partial unique
index settles a race). Also the look-ups the login page needs: which connection an
e-mail's domain signs in through, and whether its password login is switched off.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models.audit import AuditAction
from qrapp.models.sso import SsoConnection, SsoDomain
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.domains import dns_checks
from qrapp.services.errors import FieldErrors, NotFound, ServiceError
from qrapp.services.sso.connections import require_sso_plan, sso_allowed

MAX_DOMAINS = 20
TOKEN_PREFIX = "qrapp-sso="  # noqa: S105 (the TXT value's prefix)
TAKEN = "That domain is already bound to another workspace."
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class DomainView:
    id: uuid.UUID
    domain: str
    record_name: str  # where the TXT record goes
    record_value: str  # what it holds
    verified: bool
    last_checked_at: dt.datetime | None
    reason: str


def _view(d: SsoDomain) -> DomainView:
    return DomainView(
        id=d.id,
        domain=d.domain,
        record_name=dns_checks.challenge_name(d.domain),
        record_value=d.token,
        verified=d.verified_at is not None,
        last_checked_at=d.last_checked_at,
        reason=d.reason,
    )


def normalise_domain(raw: str) -> str:
    domain = (raw or "").strip().lower().rstrip(".")
    if "@" in domain:  # someone pasted an address: keep its domain
        domain = domain.rsplit("@", 1)[1]
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise FieldErrors({"domain": "That is not a valid domain name."}) from None
    labels = domain.split(".")
    if (
        len(domain) > 253
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise FieldErrors({"domain": "Enter a domain like example.com (the part after the @)."})
    return domain


def _domain_or_raise(s: Session, workspace_id: uuid.UUID, domain_id: uuid.UUID) -> SsoDomain:
    d = s.get(SsoDomain, domain_id)
    if d is None or d.workspace_id != workspace_id:
        raise NotFound("domain")
    return d


def _bound_elsewhere(s: Session, workspace_id: uuid.UUID, domain: str) -> bool:
    return (
        s.exec(
            select(SsoDomain.id).where(
                SsoDomain.domain == domain,
                SsoDomain.workspace_id != workspace_id,
                col(SsoDomain.verified_at).is_not(None),
            )
        ).first()
        is not None
    )


def _audit(s: Session, actor: Actor, d: SsoDomain, action: AuditAction, ip: str) -> None:
    audit.record(
        s,
        action=action,
        actor_user_id=actor.user_id,
        workspace_id=d.workspace_id,
        target_type="sso_domain",
        target_id=str(d.id),
        ip=ip,
        details={"domain": d.domain},
    )


def list_domains(*, actor: Actor) -> list[DomainView]:
    workspace_id = require(actor, Permission.SSO_MANAGE)
    with read_session() as s:
        rows = s.exec(
            select(SsoDomain)
            .where(SsoDomain.workspace_id == workspace_id)
            .order_by(col(SsoDomain.created_at))
        ).all()
        return [_view(d) for d in rows]


def add_domain(*, actor: Actor, domain: str, ip: str = "") -> DomainView:
    workspace_id = require(actor, Permission.SSO_MANAGE)
    domain = normalise_domain(domain)
    with transaction() as tx:
        s = tx.session
        require_sso_plan(s, workspace_id)
        mine = s.exec(select(SsoDomain).where(SsoDomain.workspace_id == workspace_id)).all()
        if any(d.domain == domain for d in mine):
            raise FieldErrors({"domain": "That domain is already on the list."})
        if len(mine) >= MAX_DOMAINS:
            raise FieldErrors({"domain": f"A workspace can have at most {MAX_DOMAINS} domains."})
        if _bound_elsewhere(s, workspace_id, domain):
            raise FieldErrors({"domain": TAKEN})
        d = SsoDomain(
            workspace_id=workspace_id,
            domain=domain,
            token=TOKEN_PREFIX + secrets.token_urlsafe(24),
            reason="Not checked yet: add the TXT record, then check.",
        )
        s.add(d)
        s.flush()
        _audit(s, actor, d, AuditAction.SSO_DOMAIN_ADDED, ip)
        return _view(d)


def check_domain(*, actor: Actor, domain_id: uuid.UUID, ip: str = "") -> DomainView:
    """Look the TXT record up now; a verified domain stays verified (re-checks are for
    domains waiting for their record)."""
    workspace_id = require(actor, Permission.SSO_MANAGE)
    with read_session() as s:
        d = _domain_or_raise(s, workspace_id, domain_id)
        if d.verified_at is not None:
            return _view(d)
        domain, token = d.domain, d.token
    # The DNS look-up happens outside any transaction: it may take seconds.
    check = dns_checks.txt_proof(domain, token)
    try:
        with transaction() as tx:
            row = _domain_or_raise(tx.session, workspace_id, domain_id)
            row.last_checked_at = utcnow()
            if check.ok and _bound_elsewhere(tx.session, workspace_id, domain):
                row.reason = TAKEN
            elif check.ok:
                row.verified_at = utcnow()
                row.reason = ""
                _audit(tx.session, actor, row, AuditAction.SSO_DOMAIN_VERIFIED, ip)
            else:
                row.reason = check.reason
            tx.session.add(row)
    except IntegrityError:
        # Another workspace proved the same domain at the same moment and won.
        with transaction() as tx:
            row = _domain_or_raise(tx.session, workspace_id, domain_id)
            row.last_checked_at, row.reason = utcnow(), TAKEN
            tx.session.add(row)
    with read_session() as s:
        return _view(_domain_or_raise(s, workspace_id, domain_id))


def remove_domain(*, actor: Actor, domain_id: uuid.UUID, ip: str = "") -> None:
    workspace_id = require(actor, Permission.SSO_MANAGE)
    with transaction() as tx:
        d = _domain_or_raise(tx.session, workspace_id, domain_id)
        _audit(tx.session, actor, d, AuditAction.SSO_DOMAIN_REMOVED, ip)
        tx.session.delete(d)


def is_verified(session: Session, workspace_id: uuid.UUID, domain: str) -> bool:
    return (
        session.exec(
            select(SsoDomain.id).where(
                SsoDomain.workspace_id == workspace_id,
                SsoDomain.domain == domain.lower(),
                col(SsoDomain.verified_at).is_not(None),
            )
        ).first()
        is not None
    )


def _email_domain(email: str) -> str:
    email = (email or "").strip().lower()
    return email.rsplit("@", 1)[1] if "@" in email else ""


def _bound_workspace(session: Session, email: str) -> uuid.UUID | None:
    domain = _email_domain(email)
    if not domain:
        return None
    return session.exec(
        select(SsoDomain.workspace_id).where(
            SsoDomain.domain == domain, col(SsoDomain.verified_at).is_not(None)
        )
    ).first()


def _enabled_connections(session: Session, workspace_id: uuid.UUID) -> list[SsoConnection]:
    if not sso_allowed(session, workspace_id):
        return []
    return list(
        session.exec(
            select(SsoConnection)
            .where(SsoConnection.workspace_id == workspace_id, col(SsoConnection.enabled))
            .order_by(col(SsoConnection.created_at))
        ).all()
    )


def connection_for_email(email: str) -> SsoConnection | None:
    """The connection a person with this work e-mail signs in through: the oldest enabled
    one of the workspace their domain is bound to."""
    with read_session() as s:
        workspace_id = _bound_workspace(s, email)
        if workspace_id is None:
            return None
        found = _enabled_connections(s, workspace_id)
        return found[0] if found else None


SSO_ONLY_MESSAGE = (
    "Your organisation signs in with single sign-on only. "
    "Use “Sign in with SSO” with your work e-mail."
)


def is_sso_only(session: Session, email: str) -> bool:
    """Whether password login and reset are off for this e-mail: its domain is bound to
    a workspace with an enabled "SSO only" connection."""
    workspace_id = _bound_workspace(session, email)
    if workspace_id is None:
        return False
    return any(c.sso_only for c in _enabled_connections(session, workspace_id))


def refuse_if_sso_only(email: str) -> None:
    """For the password login and reset: raise a ServiceError pointing at the SSO button.
    Decided by the domain alone, so it tells nothing about whether an account exists."""
    with read_session() as s:
        if is_sso_only(s, email):
            raise ServiceError(SSO_ONLY_MESSAGE)
