"""Editing a saved code: the designer's save (name, design, static content, tags), its
name, a dynamic code's destination, UTM parameters, password and validity (dates, scan
limit, schedule, fallback). Each change is audited and announced to the edges.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from qrapp.core.permissions import Permission
from qrapp.core.validity import ScheduleError, normalise_schedule
from qrapp.db import transaction
from qrapp.models import QRCode
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.codes.checks import (
    check_design,
    check_destination,
    check_name,
    check_payload,
    check_utm,
    clean_tags,
    code_text,
    require_scannable,
)
from qrapp.services.codes.records import audit_code, code_in_workspace_or_raise, mark_changed
from qrapp.services.errors import FieldErrors, ServiceError

PASSWORD_MIN, PASSWORD_MAX = 4, 128


def update_code(
    *,
    actor: Actor,
    code_id: uuid.UUID,
    name: str,
    design: dict[str, Any],
    payload: dict[str, Any] | None = None,
    tags: tuple[str, ...] | None = None,
    ip: str = "",
) -> QRCode:
    """Save the designer's edit in one transaction: name, design, static content, tags."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    name = check_name(name)
    clean_design = check_design(design)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        entitlements.require_code_editable(tx.session, code)
        if payload is not None and not code.is_dynamic:
            code.payload = check_payload(code.content_type, payload)
        require_scannable(code_text(code), clean_design)
        code.name, code.design = name, clean_design
        if tags is not None:
            code.tags = clean_tags(tags)
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_UPDATED, ip)
    return code


def rename(*, actor: Actor, code_id: uuid.UUID, name: str, ip: str = "") -> QRCode:
    workspace_id = require(actor, Permission.CODES_EDIT)
    name = check_name(name)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        entitlements.require_code_editable(tx.session, code)
        code.name = name
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_RENAMED, ip)
    return code


def change_destination(
    *, actor: Actor, code_id: uuid.UUID, destination: str, ip: str = ""
) -> QRCode:
    workspace_id = require(actor, Permission.CODES_EDIT)
    url = check_destination(destination)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        entitlements.require_code_editable(tx.session, code)
        if not code.is_dynamic:
            raise ServiceError("A static code's content is printed in it; make a dynamic one.")
        old, code.destination = code.destination, url
        code.landing_page_id = None  # a URL destination replaces a landing page
        mark_changed(tx, code)
        audit_code(
            tx, actor, code, AuditAction.QR_DESTINATION_CHANGED, ip, {"from": old, "to": url}
        )
    return code


def set_utm(*, actor: Actor, code_id: uuid.UUID, utm: dict[str, str], ip: str = "") -> QRCode:
    """UTM parameters the edge appends to every destination of a dynamic code."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    clean = check_utm(utm)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        entitlements.require_code_editable(tx.session, code)
        if not code.is_dynamic:
            raise ServiceError(
                "Only dynamic codes have UTM parameters: a static code is not tracked."
            )
        old, code.utm = dict(code.utm or {}), clean
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_UTM_CHANGED, ip, {"from": old, "to": clean})
    return code


def set_password(*, actor: Actor, code_id: uuid.UUID, password: str | None, ip: str = "") -> QRCode:
    """Protect a dynamic code with a password (argon2id), or remove it with None/""."""
    from qrapp.services.accounts.passwords import hash_password

    workspace_id = require(actor, Permission.CODES_EDIT)
    if password and not (PASSWORD_MIN <= len(password) <= PASSWORD_MAX):
        raise FieldErrors({"password": f"Use {PASSWORD_MIN} to {PASSWORD_MAX} characters."})
    new_hash = hash_password(password) if password else None
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        entitlements.require_code_editable(tx.session, code)
        if not code.is_dynamic:
            raise ServiceError("Only dynamic codes can ask for a password.")
        code.password_hash = new_hash
        mark_changed(tx, code)
        audit_code(
            tx,
            actor,
            code,
            AuditAction.QR_PASSWORD_SET if new_hash else AuditAction.QR_PASSWORD_REMOVED,
            ip,
        )
    return code


def set_validity(
    *,
    actor: Actor,
    code_id: uuid.UUID,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    max_scans: int | None = None,
    one_scan_per_visitor: bool = False,
    fallback_url: str = "",
    schedule: dict[str, Any] | None = None,
    ip: str = "",
) -> QRCode:
    workspace_id = require(actor, Permission.CODES_EDIT)
    errors: dict[str, str] = {}
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = "The end must come after the start."
    if max_scans is not None and not (1 <= max_scans <= 1_000_000_000):
        errors["max_scans"] = "Use a number from 1 up, or leave it empty for no limit."
    fallback = ""
    if fallback_url.strip():
        try:
            fallback = check_destination(fallback_url, field="fallback_url")
        except FieldErrors as exc:
            errors |= exc.errors
    try:
        schedule = normalise_schedule(schedule)
    except ScheduleError as exc:
        errors["schedule"] = exc.message
    if errors:
        raise FieldErrors(errors)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        entitlements.require_code_editable(tx.session, code)
        code.starts_at, code.ends_at = starts_at, ends_at
        code.max_scans, code.one_scan_per_visitor = max_scans, one_scan_per_visitor
        if max_scans is not None:
            # "Maximum scans" is the code's total, as people read it: the edge counts
            # redirects in scans_granted only while a limit is set, so start it at the
            # scans the code already has (people's, as total_scans counts; the few an
            # ingest still holds are missed). In SQL, so an edge's increment in between
            # is not lost.
            code.scans_granted = sa.case(  # type: ignore[assignment]
                (col(QRCode.total_scans) > QRCode.scans_granted, QRCode.total_scans),
                else_=QRCode.scans_granted,
            )
        code.fallback_url, code.schedule = fallback, schedule
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_VALIDITY_CHANGED, ip)
        tx.session.flush()
        tx.session.refresh(code)  # the value the database worked out
    return code
