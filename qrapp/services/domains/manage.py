"""A workspace's custom domains: add, check now, remove, default, per-domain settings.
Owners and admins (DOMAINS_MANAGE), always within the actor's workspace: another
workspace's domain is "not found"."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from qrapp.cachebus import announce_domain_changed
from qrapp.core.destinations import DestinationError, normalise_destination
from qrapp.core.permissions import Permission
from qrapp.db import Transaction, read_session, transaction
from qrapp.models.audit import AuditAction
from qrapp.models.domains import (
    PENDING,
    PROOF_DNS,
    PROOF_HTTP,
    ROBOTS_ALLOW,
    ROBOTS_DENY,
    VERIFIED,
    CustomDomain,
)
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.billing.entitlements import lock_workspace, plan_for
from qrapp.services.domains import dns_checks, hostnames, limits, verification
from qrapp.services.errors import FieldErrors, NotFound, ServiceError
from qrapp.services.hosts import own_hosts


@dataclass(frozen=True)
class DnsRecord:
    type: str
    name: str
    value: str


@dataclass(frozen=True)
class DomainView:
    id: uuid.UUID
    hostname: str  # as stored (IDNA)
    display: str  # as people read it
    proof: str
    status: str
    reason: str
    is_default: bool
    root_redirect_url: str
    not_found_url: str
    robots: str
    verified_at: dt.datetime | None
    last_checked_at: dt.datetime | None
    records: tuple[DnsRecord, ...]
    challenge_url: str  # the HTTP proof's address ("" for the DNS proof)


def records_for(row: CustomDomain) -> tuple[DnsRecord, ...]:
    """The DNS records the owner creates: the CNAME that routes the name to our edge
    (A/AAAA with our addresses at an apex) and, for the DNS proof, the TXT token."""
    out = [DnsRecord("CNAME", row.hostname, hostnames.edge_host())]
    if row.proof == PROOF_DNS:
        out.append(DnsRecord("TXT", dns_checks.challenge_name(row.hostname), row.token))
    return tuple(out)


def _view(row: CustomDomain) -> DomainView:
    challenge = (
        f"http://{row.hostname}{verification.CHALLENGE_PATH}{row.id}"
        if row.proof == PROOF_HTTP
        else ""
    )
    return DomainView(
        id=row.id,
        hostname=row.hostname,
        display=hostnames.display(row.hostname),
        proof=row.proof,
        status=row.status,
        reason=row.reason,
        is_default=row.is_default,
        root_redirect_url=row.root_redirect_url,
        not_found_url=row.not_found_url,
        robots=row.robots,
        verified_at=row.verified_at,
        last_checked_at=row.last_checked_at,
        records=records_for(row),
        challenge_url=challenge,
    )


def get_domain_or_raise(session: Session, workspace_id: uuid.UUID, domain_id: uuid.UUID):
    row = session.get(CustomDomain, domain_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFound("domain")
    return row


def _audit(tx: Transaction, actor: Actor, row: CustomDomain, action: AuditAction, ip: str, **d):
    audit.record(
        tx.session,
        action=action,
        actor_user_id=actor.user_id,
        workspace_id=row.workspace_id,
        target_type="custom_domain",
        target_id=str(row.id),
        ip=ip,
        details={"hostname": row.hostname, **d},
    )


def list_domains(*, actor: Actor) -> list[DomainView]:
    workspace_id = require(actor, Permission.DOMAINS_MANAGE)
    with read_session() as s:
        rows = s.exec(
            select(CustomDomain)
            .where(CustomDomain.workspace_id == workspace_id)
            .order_by(col(CustomDomain.created_at))
        ).all()
        return [_view(r) for r in rows]


def get_domain(*, actor: Actor, domain_id: uuid.UUID) -> DomainView:
    workspace_id = require(actor, Permission.DOMAINS_MANAGE)
    with read_session() as s:
        return _view(get_domain_or_raise(s, workspace_id, domain_id))


def allowance(*, actor: Actor) -> tuple[int, int | None]:
    """(domains in use, the plan's limit or None)."""
    workspace_id = require(actor, Permission.DOMAINS_MANAGE)
    with read_session() as s:
        used = s.exec(select(func.count()).where(CustomDomain.workspace_id == workspace_id)).one()
        return int(used), limits.allowed(plan_for(s, workspace_id))


def add_domain(*, actor: Actor, hostname: str, proof: str = PROOF_DNS, ip: str = "") -> DomainView:
    workspace_id = require(actor, Permission.DOMAINS_MANAGE)
    if proof not in (PROOF_DNS, PROOF_HTTP):
        raise FieldErrors({"proof": "Choose the DNS record or the HTTP file as proof."})
    name = hostnames.normalise(hostname)
    now = utcnow()
    with transaction() as tx:
        s = tx.session
        lock_workspace(s, workspace_id)  # two requests cannot both take the last place
        plan = plan_for(s, workspace_id)
        allowed = limits.allowed(plan)
        if allowed == 0:
            raise ServiceError(
                f"The {plan.name} plan has no custom domains: upgrade on the Billing page."
            )
        used = s.exec(select(func.count()).where(CustomDomain.workspace_id == workspace_id)).one()
        if allowed is not None and used >= allowed:
            raise ServiceError(
                f"The {plan.name} plan allows {allowed} custom domain"
                f"{'' if allowed == 1 else 's'}; remove one or upgrade to add another."
            )
        taken = s.exec(
            select(CustomDomain.id).where(
                CustomDomain.workspace_id == workspace_id, CustomDomain.hostname == name
            )
        ).first()
        if taken is not None:
            raise FieldErrors({"hostname": f"{hostnames.display(name)} is already added."})
        row = CustomDomain(
            workspace_id=workspace_id,
            hostname=name,
            token=f"qrapp-{secrets.token_urlsafe(24)}",
            proof=proof,
            status=PENDING,
            next_check_at=now + verification.FIRST_RETRY,
            created_by=actor.user_id,
        )
        s.add(row)
        s.flush()
        _audit(tx, actor, row, AuditAction.DOMAIN_ADDED, ip, proof=proof)
    return _view(row)


def check_now(*, actor: Actor, domain_id: uuid.UUID) -> DomainView:
    """Look the proof up now (a few seconds at most) and record the outcome."""
    workspace_id = require(actor, Permission.DOMAINS_MANAGE)
    with read_session() as s:
        row = get_domain_or_raise(s, workspace_id, domain_id)
    result = verification.run_check(row)  # outside any transaction: it waits on DNS
    return _view(record_check(row.id, result))


def record_check(domain_id: uuid.UUID, result: dns_checks.Check) -> CustomDomain:
    with transaction() as tx:
        row = tx.session.get(CustomDomain, domain_id, with_for_update=True)
        if row is None:
            raise NotFound("domain")
        verification.apply_result(tx, row, result, utcnow())
    return row


def remove_domain(*, actor: Actor, domain_id: uuid.UUID, ip: str = "") -> None:
    """Codes on the domain keep their short code and fall back to our default domain."""
    workspace_id = require(actor, Permission.DOMAINS_MANAGE)
    with transaction() as tx:
        row = get_domain_or_raise(tx.session, workspace_id, domain_id)
        _audit(tx, actor, row, AuditAction.DOMAIN_REMOVED, ip)
        tx.session.delete(row)
        hostname = row.hostname
        tx.after_commit(lambda: announce_domain_changed(hostname))


def set_default(*, actor: Actor, domain_id: uuid.UUID | None, ip: str = "") -> None:
    """New codes and pages use this verified domain unless they choose another; None goes
    back to our default domain."""
    workspace_id = require(actor, Permission.DOMAINS_MANAGE)
    with transaction() as tx:
        s = tx.session
        chosen = get_domain_or_raise(s, workspace_id, domain_id) if domain_id else None
        if chosen is not None and chosen.status != VERIFIED:
            raise ServiceError("Only a verified domain can be the default.")
        for row in s.exec(
            select(CustomDomain).where(
                CustomDomain.workspace_id == workspace_id, CustomDomain.is_default
            )
        ).all():
            row.is_default = False
            s.add(row)
        s.flush()
        if chosen is not None:
            chosen.is_default = True
            s.add(chosen)
        audit.record(
            s,
            action=AuditAction.DOMAIN_DEFAULT_SET,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="custom_domain",
            target_id=str(chosen.id) if chosen else "",
            ip=ip,
            details={"hostname": chosen.hostname if chosen else ""},
        )


def _check_url(value: str, field: str, errors: dict[str, str]) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return normalise_destination(value, own_hosts=own_hosts())
    except DestinationError as exc:
        errors[field] = exc.message
        return ""


def update_settings(
    *,
    actor: Actor,
    domain_id: uuid.UUID,
    root_redirect_url: str,
    not_found_url: str,
    robots: str,
    ip: str = "",
) -> DomainView:
    workspace_id = require(actor, Permission.DOMAINS_MANAGE)
    errors: dict[str, str] = {}
    root = _check_url(root_redirect_url, "root_redirect_url", errors)
    missing = _check_url(not_found_url, "not_found_url", errors)
    if robots not in (ROBOTS_ALLOW, ROBOTS_DENY):
        errors["robots"] = "Choose whether search engines may index the domain."
    if errors:
        raise FieldErrors(errors)
    with transaction() as tx:
        row = get_domain_or_raise(tx.session, workspace_id, domain_id)
        row.root_redirect_url, row.not_found_url, row.robots = root, missing, robots
        row.updated_at = utcnow()
        tx.session.add(row)
        _audit(tx, actor, row, AuditAction.DOMAIN_SETTINGS_CHANGED, ip, robots=robots)
        hostname = row.hostname
        tx.after_commit(lambda: announce_domain_changed(hostname))
    return _view(row)
