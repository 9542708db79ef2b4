"""Redirect rules of a dynamic code: list, add, change, delete, reorder, and simulate
(the whole edge decision, qrapp.core.scan_decision, for a made-up visitor).

Conditions and variants are checked by qrapp.core.rules.normalise_rule (the same checks as
the edge relies on); destinations by the codes' own destination rules (http/https, no
loops). Every change bumps the code and tells the edges after commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from qrapp.core import rules as core_rules
from qrapp.core import scan_decision as core_decision
from qrapp.core.destinations import sendable
from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models import QRCode, RedirectRule
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.codes.records import audit_code, code_in_workspace_or_raise, mark_changed
from qrapp.services.errors import FieldErrors, NotFound, ServiceError
from qrapp.services.hosts import own_hosts


@dataclass(frozen=True)
class RuleInput:
    conditions: list[dict[str, Any]]
    destination: str = ""
    variants: list[dict[str, Any]] | None = None
    label: str = ""


def _clean(data: RuleInput) -> tuple[list, str, list, str]:
    label = " ".join((data.label or "").split())
    if len(label) > 80:
        raise FieldErrors({"label": "Use at most 80 characters."})
    try:
        conditions, destination, variants = core_rules.normalise_rule(
            conditions=data.conditions,
            destination=data.destination,
            variants=data.variants,
            own_hosts=own_hosts(),
        )
    except core_rules.RuleError as exc:
        raise FieldErrors(exc.errors) from None
    return conditions, destination, variants, label


def _dynamic_code(session: Session, workspace_id: uuid.UUID, code_id: uuid.UUID) -> QRCode:
    code = code_in_workspace_or_raise(session, workspace_id, code_id)
    if not code.is_dynamic:
        raise ServiceError("Only dynamic codes have redirect rules.")
    entitlements.require_code_editable(session, code)  # only writers call this
    return code


def _rule_in_workspace(session: Session, workspace_id: uuid.UUID, rule_id: uuid.UUID):
    rule = session.get(RedirectRule, rule_id)
    if rule is None:
        raise NotFound("rule")
    code = session.get(QRCode, rule.qrcode_id)
    if code is None or code.workspace_id != workspace_id:
        raise NotFound("rule")
    entitlements.require_code_editable(session, code)  # only writers call this
    return rule, code


def _ordered(session: Session, code_id: uuid.UUID) -> list[RedirectRule]:
    return list(
        session.exec(
            select(RedirectRule)
            .where(RedirectRule.qrcode_id == code_id)
            .order_by(col(RedirectRule.position), col(RedirectRule.id))
        ).all()
    )


def list_rules(*, actor: Actor, code_id: uuid.UUID) -> list[RedirectRule]:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        code_in_workspace_or_raise(s, workspace_id, code_id)
        return _ordered(s, code_id)


def add_rule(
    *,
    actor: Actor,
    code_id: uuid.UUID,
    data: RuleInput,
    position: int | None = None,
    ip: str = "",
) -> RedirectRule:
    """Add a rule (last, or at `position`, 0 = first)."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    conditions, destination, variants, label = _clean(data)
    with transaction() as tx:
        code = _dynamic_code(tx.session, workspace_id, code_id)
        existing = _ordered(tx.session, code_id)
        if len(existing) >= core_rules.MAX_RULES:
            raise ServiceError(f"A code can have at most {core_rules.MAX_RULES} rules.")
        rule = RedirectRule(
            qrcode_id=code_id,
            label=label,
            conditions=conditions,
            destination=destination,
            variants=variants,
        )
        at = len(existing) if position is None else max(0, min(position, len(existing)))
        existing.insert(at, rule)
        for i, r in enumerate(existing):
            r.position = i
            tx.session.add(r)
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_RULE_ADDED, ip, {"label": label})
    return rule


def replace_rules(
    *, actor: Actor, code_id: uuid.UUID, rules: list[RuleInput], ip: str = ""
) -> list[RedirectRule]:
    """Set all of a code's rules at once, in this order (the API's PUT): every rule is
    checked first (messages keyed `rules.<index>.<field>`), then the old rules are
    replaced in one transaction, so the edge never sees half a set."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    if len(rules) > core_rules.MAX_RULES:
        raise FieldErrors({"rules": f"A code can have at most {core_rules.MAX_RULES} rules."})
    cleaned: list[tuple[list, str, list, str]] = []
    errors: dict[str, str] = {}
    for i, data in enumerate(rules):
        try:
            cleaned.append(_clean(data))
        except FieldErrors as exc:
            errors |= {f"rules.{i}.{k}": v for k, v in exc.errors.items()}
    if errors:
        raise FieldErrors(errors)
    with transaction() as tx:
        code = _dynamic_code(tx.session, workspace_id, code_id)
        for old in _ordered(tx.session, code_id):
            tx.session.delete(old)
        tx.session.flush()
        out = []
        for i, (conditions, destination, variants, label) in enumerate(cleaned):
            rule = RedirectRule(
                qrcode_id=code_id,
                position=i,
                label=label,
                conditions=conditions,
                destination=destination,
                variants=variants,
            )
            tx.session.add(rule)
            out.append(rule)
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_RULES_REPLACED, ip, {"count": len(out)})
    return out


def update_rule(*, actor: Actor, rule_id: uuid.UUID, data: RuleInput, ip: str = "") -> RedirectRule:
    workspace_id = require(actor, Permission.CODES_EDIT)
    conditions, destination, variants, label = _clean(data)
    with transaction() as tx:
        rule, code = _rule_in_workspace(tx.session, workspace_id, rule_id)
        rule.conditions, rule.destination = conditions, destination
        rule.variants, rule.label = variants, label
        tx.session.add(rule)
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_RULE_CHANGED, ip, {"rule": str(rule.id)})
    return rule


def delete_rule(*, actor: Actor, rule_id: uuid.UUID, ip: str = "") -> None:
    workspace_id = require(actor, Permission.CODES_EDIT)
    with transaction() as tx:
        rule, code = _rule_in_workspace(tx.session, workspace_id, rule_id)
        tx.session.delete(rule)
        tx.session.flush()
        for i, r in enumerate(_ordered(tx.session, code.id)):
            r.position = i
            tx.session.add(r)
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_RULE_DELETED, ip, {"rule": str(rule_id)})


def reorder_rules(
    *, actor: Actor, code_id: uuid.UUID, rule_ids: list[uuid.UUID], ip: str = ""
) -> list[RedirectRule]:
    """Set the evaluation order; `rule_ids` must list every rule of the code once."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    with transaction() as tx:
        code = _dynamic_code(tx.session, workspace_id, code_id)
        existing = {r.id: r for r in _ordered(tx.session, code_id)}
        if len(rule_ids) != len(existing) or set(rule_ids) != set(existing):
            raise FieldErrors({"rule_ids": "List every rule of this code exactly once."})
        ordered = [existing[i] for i in rule_ids]
        for i, r in enumerate(ordered):
            r.position = i
            tx.session.add(r)
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_RULES_REORDERED, ip)
    return ordered


@dataclass(frozen=True)
class SimulatedVisitor:
    """What the designer lets a person make up. Leave a field empty for "unknown"."""

    device: str = ""  # mobile | tablet | desktop | bot | other
    os: str = ""
    browser: str = ""
    accept_language: str = ""
    country: str = ""
    region: str = ""
    city: str = ""
    ip: str = ""
    query: Mapping[str, str] | None = None
    at: dt.datetime | None = None  # default: now
    user_agent: str = ""  # if given, device/os/browser left empty are parsed from it
    sticky_key: str = "simulated-visitor"
    password_entered: bool = False  # has typed the code's password (holds a grant)
    scanned_before: bool = False  # for one-scan-per-visitor codes


def scans_used(code: QRCode) -> int:
    """The scans that count against max_scans, as the edge's take_scan_slot counts them."""
    return code.scans_granted or 0


def _stored_url_checker() -> core_decision.Safe:
    # As the edge's Link.is_safe: a stored URL must be exactly what the save-time checks
    # make of it, or it is never sent.
    hosts = own_hosts()
    return lambda url: sendable(url, own_hosts=hosts)


def code_facts(code: QRCode, stored: list[RedirectRule]) -> core_decision.Code:
    return core_decision.Code(
        status=code.status,
        destination=code.destination,
        starts_at=code.starts_at,
        ends_at=code.ends_at,
        schedule=code.schedule,
        fallback_url=code.fallback_url or "",
        utm=dict(code.utm or {}),
        rules=tuple(
            core_rules.Rule(
                id=str(r.id),
                label=r.label,
                conditions=list(r.conditions or []),
                destination=r.destination,
                variants=list(r.variants or []),
            )
            for r in stored
        ),
        password_hash=code.password_hash,
        max_scans=code.max_scans,
        one_scan_per_visitor=code.one_scan_per_visitor,
        billing_paused=code.billing_paused_at is not None,
    )


def simulate(
    *, actor: Actor, code_id: uuid.UUID, visitor: SimulatedVisitor
) -> core_decision.Outcome:
    """What this visitor would get, decided by the same steps as the edge (validity,
    password, limits, rules), with the deciding step and a line per rule saying why it did
    or did not match. Reads only."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        code = code_in_workspace_or_raise(s, workspace_id, code_id)
        if not code.is_dynamic:
            raise ServiceError("Only dynamic codes redirect: there is no scan to simulate.")
        stored = _ordered(s, code_id)
    facts = code_facts(code, stored)
    used = scans_used(code)
    who = to_core_visitor(visitor)
    return core_decision.decide(
        facts,
        who,
        password_granted=visitor.password_entered,
        is_bot=who.value("device") == ["bot"],
        already_scanned=visitor.scanned_before,
        slot_left=not code.max_scans or used < code.max_scans,
        is_safe=_stored_url_checker(),
        trace=True,
    )


def to_core_visitor(v: SimulatedVisitor) -> core_rules.Visitor:
    return core_rules.Visitor(
        now=(v.at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
        user_agent=v.user_agent,
        accept_language=v.accept_language,
        country=v.country.upper(),
        region=v.region,
        city=v.city,
        ip=v.ip,
        query=dict(v.query or {}),
        sticky_key=v.sticky_key,
        device=v.device or (None if v.user_agent else ""),
        os=v.os or (None if v.user_agent else ""),
        browser=v.browser or (None if v.user_agent else ""),
    )
