"""QR codes: create, edit, change destination, pause, archive, delete.

Every function takes the actor and works only inside the actor's workspace: a code of
another workspace is "not found", the same answer as a missing id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from qrapp.cachebus import announce_code_changed
from qrapp.core.destinations import DestinationError, normalise_destination
from qrapp.core.payloads import PayloadError, parse
from qrapp.core.permissions import Permission
from qrapp.core.render.design import Design
from qrapp.core.scannability import check as check_scannable
from qrapp.core.shortcodes import alias_problem, new_short_code
from qrapp.core.validity import ScheduleError, normalise_schedule
from qrapp.db import Transaction, read_session, transaction
from qrapp.models import QRCode
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.errors import FieldErrors, NotFound, ServiceError
from qrapp.services.hosts import own_hosts, short_url
from qrapp.services.scans import scan_rollups

STATUSES = ("active", "paused", "archived")
_STATUS_AUDIT = {
    "active": AuditAction.QR_ACTIVE,
    "paused": AuditAction.QR_PAUSED,
    "archived": AuditAction.QR_ARCHIVED,
}
DYNAMIC_TYPE = "url"
_SHORT_CODE_ATTEMPTS = 8


def check_destination(url: str, *, field: str = "destination") -> str:
    try:
        return normalise_destination(url, own_hosts=own_hosts())
    except DestinationError as exc:
        raise FieldErrors({field: exc.message}) from None


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise FieldErrors({"name": "Give the code a name you will recognise."})
    if len(name) > 120:
        raise FieldErrors({"name": "Use at most 120 characters."})
    return name


def _check_design(design: dict[str, Any] | None) -> dict[str, Any]:
    try:
        return Design.parse(design or {}).model_dump(mode="json")
    except PayloadError as exc:
        raise FieldErrors({f"design.{k}": v for k, v in exc.errors.items()}) from None


def code_text(code: QRCode) -> str:
    """What the QR symbol encodes: the short URL of a dynamic code, else its payload."""
    if code.is_dynamic:
        return short_url(code)
    return parse(code.content_type, code.payload).encode()


def require_scannable(text: str, design: dict[str, Any]) -> None:
    """Refuse a design that a real decoder cannot read (the verdict `fail`)."""
    verdict = check_scannable(text, design)
    if verdict.level == "fail":
        raise FieldErrors({"design": " ".join(verdict.reasons) or "This design does not scan."})


def _check_payload(content_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        return parse(content_type, payload).model_dump(mode="json")
    except PayloadError as exc:
        raise FieldErrors(exc.errors) from None


@dataclass(frozen=True)
class CodeInput:
    """What a person fills in to create a code. Static codes carry `payload`; dynamic
    codes carry `destination` (their QR content is the short URL)."""

    name: str
    content_type: str = DYNAMIC_TYPE
    payload: dict[str, Any] | None = None
    design: dict[str, Any] | None = None
    is_dynamic: bool = True
    destination: str = ""
    alias: str = ""
    tags: tuple[str, ...] = ()
    folder_id: uuid.UUID | None = None
    # A dynamic code may answer with one of the workspace's published landing pages
    # instead of redirecting to `destination` (services.codes.code_pages).
    landing_page_id: uuid.UUID | None = None


def _clean_tags(tags: tuple[str, ...] | list[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())[:40]
        if tag and tag.lower() not in {t.lower() for t in out}:
            out.append(tag)
    if len(out) > 20:
        raise FieldErrors({"tags": "Use at most 20 tags on one code."})
    return out


def _alias_taken(session: Session, domain: str, code: str) -> bool:
    return (
        session.exec(
            select(QRCode.id).where(QRCode.domain == domain, QRCode.short_code == code)
        ).first()
        is not None
    )


def create(*, actor: Actor, data: CodeInput, ip: str = "") -> QRCode:
    workspace_id = require(actor, Permission.CODES_EDIT)
    name = _check_name(data.name)
    design = _check_design(data.design)
    tags = _clean_tags(data.tags)
    if data.is_dynamic:
        with_page = data.landing_page_id is not None and not data.destination.strip()
        destination = "" if with_page else check_destination(data.destination)
        payload: dict[str, Any] = {}
        content_type = DYNAMIC_TYPE
    else:
        destination = ""
        content_type = data.content_type
        payload = _check_payload(content_type, data.payload or {})
    alias = (data.alias or "").strip()
    if alias and not data.is_dynamic:
        raise FieldErrors({"alias": "Only dynamic codes have a short link."})
    if alias and (problem := alias_problem(alias)):
        raise FieldErrors({"alias": problem})

    for _attempt in range(_SHORT_CODE_ATTEMPTS):
        short = (alias or new_short_code()) if data.is_dynamic else None
        try:
            with transaction() as tx:
                if data.folder_id is not None:
                    _folder_in_workspace(tx.session, workspace_id, data.folder_id)
                if alias and _alias_taken(tx.session, "", alias):
                    raise FieldErrors({"alias": f"'{alias}' is already taken."})
                page_id = None
                if data.is_dynamic and data.landing_page_id is not None:
                    from qrapp.services.codes.code_pages import published_page_or_raise

                    page_id = published_page_or_raise(
                        tx.session, workspace_id, data.landing_page_id
                    ).id
                code = QRCode(
                    workspace_id=workspace_id,
                    name=name,
                    content_type=content_type,
                    payload=payload,
                    design=design,
                    is_dynamic=data.is_dynamic,
                    short_code=short,
                    destination=destination,
                    tags=tags,
                    folder_id=data.folder_id,
                    created_by=actor.user_id,
                    landing_page_id=page_id,
                )
                tx.session.add(code)
                tx.session.flush()
                require_scannable(code_text(code), design)
                audit_code(
                    tx, actor, code, AuditAction.QR_CREATED, ip, {"dynamic": data.is_dynamic}
                )
                # An edge may hold "unknown" for this alias in its cache: clear it.
                domain, short = code.domain, code.short_code
                tx.after_commit(lambda d=domain, c=short: announce_code_changed(d, c))
            return code
        except IntegrityError:
            # A random short code collided (or an alias raced): try a fresh one.
            if alias:
                raise FieldErrors({"alias": f"'{alias}' is already taken."}) from None
            continue
    raise ServiceError("Could not allocate a short link; please try again.")


def _folder_in_workspace(session: Session, workspace_id: uuid.UUID, folder_id: uuid.UUID):
    from qrapp.models import Folder

    folder = session.get(Folder, folder_id)
    if folder is None or folder.workspace_id != workspace_id:
        raise NotFound("folder")
    return folder


def audit_code(
    tx: Transaction, actor: Actor, code: QRCode, action: AuditAction, ip: str, details=None
) -> None:
    """An audit row about one code, in the transaction that changes it (codes, rules)."""
    audit.record(
        tx.session,
        action=action,
        actor_user_id=actor.user_id,
        workspace_id=code.workspace_id,
        target_type="qr_code",
        target_id=str(code.id),
        ip=ip,
        details=details or {},
    )


def code_in_workspace_or_raise(
    session: Session, workspace_id: uuid.UUID, code_id: uuid.UUID
) -> QRCode:
    """The code, when it belongs to the workspace; NotFound otherwise (another workspace's
    code is answered exactly like a missing one)."""
    code = session.get(QRCode, code_id)
    if code is None or code.workspace_id != workspace_id:
        raise NotFound("QR code")
    return code


def get_code_or_raise(*, actor: Actor, code_id: uuid.UUID) -> QRCode:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        return code_in_workspace_or_raise(s, workspace_id, code_id)


def mark_changed(tx: Transaction, code: QRCode) -> None:
    """Stamp the code as changed and, once the transaction commits, tell every edge to
    drop its cached copy."""
    code.updated_at = utcnow()
    tx.session.add(code)
    domain, short = code.domain, code.short_code
    tx.after_commit(lambda: announce_code_changed(domain, short))


def change_destination(
    *, actor: Actor, code_id: uuid.UUID, destination: str, ip: str = ""
) -> QRCode:
    workspace_id = require(actor, Permission.CODES_EDIT)
    url = check_destination(destination)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        if not code.is_dynamic:
            raise ServiceError("A static code's content is printed in it; make a dynamic one.")
        old, code.destination = code.destination, url
        code.landing_page_id = None  # a URL destination replaces a landing page
        mark_changed(tx, code)
        audit_code(
            tx, actor, code, AuditAction.QR_DESTINATION_CHANGED, ip, {"from": old, "to": url}
        )
    return code


def rename(*, actor: Actor, code_id: uuid.UUID, name: str, ip: str = "") -> QRCode:
    workspace_id = require(actor, Permission.CODES_EDIT)
    name = _check_name(name)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        code.name = name
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_RENAMED, ip)
    return code


def set_status(*, actor: Actor, code_id: uuid.UUID, status: str, ip: str = "") -> QRCode:
    """Pause, resume (active) or archive. Archived dynamic codes stop redirecting."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    if status not in STATUSES:
        raise FieldErrors({"status": f"Status must be one of {', '.join(STATUSES)}."})
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        old, code.status = code.status, status
        mark_changed(tx, code)
        audit_code(tx, actor, code, _STATUS_AUDIT[status], ip, {"from": old})
    return code


def delete(*, actor: Actor, code_id: uuid.UUID, ip: str = "") -> None:
    workspace_id = require(actor, Permission.CODES_EDIT)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        domain, short = code.domain, code.short_code
        audit_code(tx, actor, code, AuditAction.QR_DELETED, ip, {"name": code.name})
        scan_rollups.forget_codes(tx.session.connection(), [code.id])
        tx.session.delete(code)
        tx.after_commit(lambda: announce_code_changed(domain, short))


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
        code.starts_at, code.ends_at = starts_at, ends_at
        code.max_scans, code.one_scan_per_visitor = max_scans, one_scan_per_visitor
        if max_scans is not None:
            # "Maximum scans" is the code's total, as people read it: the edge counts
            # redirects in scans_granted only while a limit is set, so start it at the
            # scans the code already has (people's, as total_scans counts; the few an
            # ingest still holds are missed). In SQL, so an edge's increment in between
            # is not lost.
            code.scans_granted = sa.case(  # type: ignore[assignment]
                (QRCode.total_scans > QRCode.scans_granted, QRCode.total_scans),
                else_=QRCode.scans_granted,
            )
        code.fallback_url, code.schedule = fallback, schedule
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_VALIDITY_CHANGED, ip)
        tx.session.flush()
        tx.session.refresh(code)  # the value the database worked out
    return code


def list_codes(*, actor: Actor, limit: int = 50, offset: int = 0) -> list[QRCode]:
    """The newest codes of the actor's workspace (the library adds filters)."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        return list(
            s.exec(
                select(QRCode)
                .where(QRCode.workspace_id == workspace_id)
                .order_by(QRCode.created_at.desc())
                .offset(max(0, offset))
                .limit(max(1, min(limit, 500)))
            ).all()
        )


def duplicate(*, actor: Actor, code_id: uuid.UUID, ip: str = "") -> QRCode:
    """A copy with the same content, design and settings; a dynamic copy gets its own
    short link (and no alias, which must stay unique)."""
    original = get_code_or_raise(actor=actor, code_id=code_id)
    return create(
        actor=actor,
        data=CodeInput(
            name=f"{original.name} (copy)"[:120],
            content_type=original.content_type,
            payload=original.payload,
            design=original.design,
            is_dynamic=original.is_dynamic,
            destination=original.destination,
            tags=tuple(original.tags),
            folder_id=original.folder_id,
        ),
        ip=ip,
    )


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
    name = _check_name(name)
    clean_design = _check_design(design)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        if payload is not None and not code.is_dynamic:
            code.payload = _check_payload(code.content_type, payload)
        require_scannable(code_text(code), clean_design)
        code.name, code.design = name, clean_design
        if tags is not None:
            code.tags = _clean_tags(tags)
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_UPDATED, ip)
    return code


PASSWORD_MIN, PASSWORD_MAX = 4, 128


def set_password(*, actor: Actor, code_id: uuid.UUID, password: str | None, ip: str = "") -> QRCode:
    """Protect a dynamic code with a password (argon2id), or remove it with None/""."""
    from qrapp.services.accounts.passwords import hash_password

    workspace_id = require(actor, Permission.CODES_EDIT)
    if password and not (PASSWORD_MIN <= len(password) <= PASSWORD_MAX):
        raise FieldErrors({"password": f"Use {PASSWORD_MIN} to {PASSWORD_MAX} characters."})
    new_hash = hash_password(password) if password else None
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
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


UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
UTM_MAX = 200


def check_utm(utm: dict[str, str] | None) -> dict[str, str]:
    """The cleaned UTM parameters (empty ones dropped), or FieldErrors per key. Control
    characters are refused: the values end up in a query string analytics tools parse."""
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, value in (utm or {}).items():
        if key not in UTM_KEYS:
            errors[str(key)[:40]] = f"Use only {', '.join(UTM_KEYS)}."
            continue
        if not isinstance(value, str):
            errors[key] = "Must be text."
            continue
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value.replace(" ", "")):
            errors[key] = "Use letters, digits and punctuation, not control characters."
            continue
        value = " ".join(value.split())
        if len(value) > UTM_MAX:
            errors[key] = f"Use at most {UTM_MAX} characters."
        elif value:
            clean[key] = value
    if errors:
        raise FieldErrors(errors)
    return clean


def utm_preview(destination: str, utm: dict[str, str]) -> str:
    """The URL a scan is sent to with these UTM parameters (the edge's own function)."""
    from qrapp.core.rules import append_utm

    return append_utm(destination, utm)


def set_utm(*, actor: Actor, code_id: uuid.UUID, utm: dict[str, str], ip: str = "") -> QRCode:
    """UTM parameters the edge appends to every destination of a dynamic code."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    clean = check_utm(utm)
    with transaction() as tx:
        code = code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        if not code.is_dynamic:
            raise ServiceError(
                "Only dynamic codes have UTM parameters: a static code is not tracked."
            )
        old, code.utm = dict(code.utm or {}), clean
        mark_changed(tx, code)
        audit_code(tx, actor, code, AuditAction.QR_UTM_CHANGED, ip, {"from": old, "to": clean})
    return code


# Choices shown even at their default: what a person scanning the code needs to know.
_SHOWN = frozenset({"security"})


def encoded_for_display(code: QRCode) -> str:
    """The exact text of a static code, unless it carries a password (Wi-Fi): the
    readable fields show that one as dots, and the raw text must not undo that."""
    from qrapp.core.payloads import fields

    if code.is_dynamic:
        return ""
    secret = {f.name for f in fields(code.content_type) if f.kind == "password"}
    if any((code.payload or {}).get(name) for name in secret):
        return ""
    return code_text(code)


def content_fields(code: QRCode) -> list[tuple[str, str]]:
    """A static code's content in readable form: (label, value) per filled-in field, in
    the form's order. Passwords are shown as dots: the page is not the place to copy one."""
    from qrapp.core.payloads import fields

    if code.is_dynamic:
        return [("Short link", short_url(code)), ("Destination", code.destination)]
    try:
        data = parse(code.content_type, code.payload).model_dump(mode="json")
        specs = fields(code.content_type)
    except PayloadError:
        return []
    out: list[tuple[str, str]] = []
    for spec in specs:
        value = data.get(spec.name)
        unchanged_choice = spec.kind == "choice" and value == spec.default
        if value in (None, "", [], False) or (unchanged_choice and spec.name not in _SHOWN):
            continue
        if spec.kind == "password":
            shown = "•" * min(len(str(value)), 12)
        elif value is True:
            shown = "yes"
        else:
            shown = str(value)
        out.append((spec.label, shown))
    return out
