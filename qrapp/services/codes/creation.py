"""Creating a code: a new one from the designer, or a copy of an existing one. A dynamic
code gets a random short link (retried on the rare collision) or the alias asked for.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from qrapp.cachebus import announce_code_changed
from qrapp.core.permissions import Permission
from qrapp.core.shortcodes import alias_problem, new_short_code
from qrapp.db import Transaction, read_session, transaction
from qrapp.models import QRCode
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.codes.checks import (
    check_design,
    check_destination,
    check_name,
    check_payload,
    clean_tags,
    code_text,
    require_scannable,
)
from qrapp.services.codes.records import audit_code, folder_in_workspace, get_code_or_raise
from qrapp.services.domains.live import domain_for_code, is_live
from qrapp.services.errors import FieldErrors, ServiceError

DYNAMIC_TYPE = "url"
MAX_BATCH = 100  # codes one request may create at once (the API's POST /codes/batch)
_SHORT_CODE_ATTEMPTS = 8


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
    # The code's domain: one of the workspace's verified custom domains, "" for ours, or
    # None for the workspace's default (services.domains.live).
    domain: str | None = None


def _alias_taken(session: Session, code: str) -> bool:
    """Taken on any domain: a code on a custom domain is answered on ours too (the fallback
    while the domain is not verified), so a short code names one code everywhere."""
    return session.exec(select(QRCode.id).where(QRCode.short_code == code)).first() is not None


def _free_short_code(session: Session, preferred: str | None = None) -> str:
    """A random short code no domain uses yet (a collision is rare: one more query),
    `preferred` first (the one the code's scannability was checked with)."""
    for attempt in range(_SHORT_CODE_ATTEMPTS):
        short = preferred if attempt == 0 and preferred else new_short_code()
        if not _alias_taken(session, short):
            return short
    return new_short_code()  # the unique constraint has the last word


@dataclass(frozen=True)
class _Checked:
    """A CodeInput whose fields passed the checks (before any database work)."""

    data: CodeInput
    name: str
    design: dict[str, Any]
    tags: list[str]
    destination: str
    content_type: str
    payload: dict[str, Any]
    alias: str


def _check(data: CodeInput) -> _Checked:
    """Every field's check at once, so a person sees all the messages together."""
    errors: dict[str, str] = {}
    name = design = tags = None
    destination, content_type, payload = "", DYNAMIC_TYPE, {}
    for step in ("name", "design", "tags", "content"):
        try:
            if step == "name":
                name = check_name(data.name)
            elif step == "design":
                design = check_design(data.design)
            elif step == "tags":
                tags = clean_tags(data.tags)
            elif data.is_dynamic:
                with_page = data.landing_page_id is not None and not data.destination.strip()
                destination = "" if with_page else check_destination(data.destination)
            else:
                content_type = data.content_type
                payload = check_payload(content_type, data.payload or {})
        except FieldErrors as exc:
            errors |= exc.errors
    alias = (data.alias or "").strip()
    if alias and not data.is_dynamic:
        errors["alias"] = "Only dynamic codes have a short link."
    elif alias and (problem := alias_problem(alias)):
        errors["alias"] = problem
    if data.domain and not data.is_dynamic:
        errors["domain"] = "Only dynamic codes have a short link, so only they have a domain."
    if errors:
        raise FieldErrors(errors)
    assert name is not None
    assert design is not None
    assert tags is not None
    return _Checked(data, name, design, tags, destination, content_type, payload, alias)


@dataclass(frozen=True)
class _Scanned:
    """The link (short code and domain) a code's design was found to scan with."""

    short_code: str | None
    domain: str


def _check_scannable_unlocked(workspace_id: uuid.UUID, c: _Checked) -> _Scanned:
    """Check, before any write, that the code will scan with the very link it is about to
    get. The render and decode take tens of milliseconds; inside the transaction they held
    the write lock every other create in the workspace (on SQLite: in the database) waits
    for, so concurrent creates queued behind each other (bench/api.py: POST p99 1.3 s)."""
    data = c.data
    short = (c.alias or new_short_code()) if data.is_dynamic else None
    domain = ""
    if data.is_dynamic:
        with read_session() as session:
            domain = domain_for_code(session, workspace_id, data.domain)
    probe = _new_code(workspace_id, c, short, domain)  # never added to a session
    require_scannable(code_text(probe), c.design)
    return _Scanned(short, domain)


def _new_code(
    workspace_id: uuid.UUID, c: _Checked, short: str | None, domain: str, **more: Any
) -> QRCode:
    return QRCode(
        workspace_id=workspace_id,
        name=c.name,
        content_type=c.content_type,
        payload=c.payload,
        design=c.design,
        is_dynamic=c.data.is_dynamic,
        short_code=short,
        domain=domain,
        destination=c.destination,
        **more,
    )


def _insert(
    tx: Transaction,
    actor: Actor,
    workspace_id: uuid.UUID,
    c: _Checked,
    ip: str,
    scanned: _Scanned,
) -> QRCode:
    """Add one checked code in the caller's transaction (which reserved its place)."""
    data = c.data
    short = None
    if data.is_dynamic:
        short = c.alias or _free_short_code(tx.session, scanned.short_code)
    if data.folder_id is not None:
        folder_in_workspace(tx.session, workspace_id, data.folder_id)
    if c.alias and _alias_taken(tx.session, c.alias):
        raise FieldErrors({"alias": f"'{c.alias}' is already taken."})
    domain = domain_for_code(tx.session, workspace_id, data.domain) if data.is_dynamic else ""
    page_id = None
    if data.is_dynamic and data.landing_page_id is not None:
        from qrapp.services.codes.code_pages import published_page_or_raise

        page_id = published_page_or_raise(tx.session, workspace_id, data.landing_page_id).id
    code = _new_code(
        workspace_id,
        c,
        short,
        domain,
        tags=c.tags,
        folder_id=data.folder_id,
        created_by=actor.user_id,
        landing_page_id=page_id,
    )
    tx.session.add(code)
    tx.session.flush()
    if (code.short_code, code.domain) != (scanned.short_code, scanned.domain):
        # Rare: the checked short code was taken meanwhile, or the domain changed.
        require_scannable(code_text(code), c.design)
    audit_code(tx, actor, code, AuditAction.QR_CREATED, ip, {"dynamic": data.is_dynamic})
    # An edge may hold "unknown" for this alias in its cache: clear it.
    tx.after_commit(functools.partial(announce_code_changed, code.domain, code.short_code))
    return code


def create(*, actor: Actor, data: CodeInput, ip: str = "") -> QRCode:
    workspace_id = require(actor, Permission.CODES_EDIT)
    checked = _check(data)
    scanned = _check_scannable_unlocked(workspace_id, checked)
    for _attempt in range(_SHORT_CODE_ATTEMPTS):
        try:
            with transaction() as tx:
                # The plan's allowance, under the workspace lock: two requests cannot
                # both take the last place.
                entitlements.reserve(
                    tx.session, workspace_id, entitlements.code_resource(data.is_dynamic)
                )
                code = _insert(tx, actor, workspace_id, checked, ip, scanned)
            return code
        except IntegrityError:
            # A random short code collided (or an alias raced): try a fresh one.
            if checked.alias:
                raise FieldErrors({"alias": f"'{checked.alias}' is already taken."}) from None
            continue
    raise ServiceError("Could not allocate a short link; please try again.")


def create_many(*, actor: Actor, items: Sequence[CodeInput], ip: str = "") -> list[QRCode]:
    """Up to MAX_BATCH codes at once, all or nothing: every item is checked first (the
    messages are keyed `items.<index>.<field>`), then the plan's room for all of them is
    reserved under the workspace lock and they are added in one transaction."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    if not items:
        raise FieldErrors({"items": "Send at least one code."})
    if len(items) > MAX_BATCH:
        raise FieldErrors({"items": f"Send at most {MAX_BATCH} codes at once."})
    checked: list[_Checked] = []
    errors: dict[str, str] = {}
    seen_aliases: dict[str, int] = {}
    for i, data in enumerate(items):
        try:
            c = _check(data)
        except FieldErrors as exc:
            errors |= {f"items.{i}.{k}": v for k, v in exc.errors.items()}
            continue
        if c.alias:
            if c.alias.lower() in seen_aliases:
                first = seen_aliases[c.alias.lower()]
                errors[f"items.{i}.alias"] = f"'{c.alias}' is also asked for by item {first}."
            seen_aliases.setdefault(c.alias.lower(), i)
        checked.append(c)
    errors |= _domain_errors(workspace_id, items)
    if errors:
        raise FieldErrors(errors)
    scans: list[_Scanned] = []
    for i, c in enumerate(checked):  # every item passed: checked[i] is items[i]
        try:
            scans.append(_check_scannable_unlocked(workspace_id, c))
        except FieldErrors as exc:
            errors |= {f"items.{i}.{k}": v for k, v in exc.errors.items()}
    if errors:
        raise FieldErrors(errors)
    for _attempt in range(_SHORT_CODE_ATTEMPTS):
        try:
            with transaction() as tx:
                for dynamic in (True, False):
                    n = sum(1 for c in checked if c.data.is_dynamic is dynamic)
                    if n:
                        entitlements.reserve(
                            tx.session, workspace_id, entitlements.code_resource(dynamic), n
                        )
                codes: list[QRCode] = []
                for i, c in enumerate(checked):
                    try:
                        codes.append(_insert(tx, actor, workspace_id, c, ip, scans[i]))
                    except FieldErrors as exc:
                        raise FieldErrors(
                            {f"items.{i}.{k}": v for k, v in exc.errors.items()}
                        ) from None
            return codes
        except IntegrityError:
            if seen_aliases:
                raise ServiceError("One of the aliases was just taken; please try again.") from None
            continue
    raise ServiceError("Could not allocate short links; please try again.")


def _domain_errors(workspace_id: uuid.UUID, items: Sequence[CodeInput]) -> dict[str, str]:
    """Every item's domain checked before any insert, so one answer names all the items
    with a domain that is not theirs (the insert checks again, in its transaction)."""
    errors: dict[str, str] = {}
    refused: dict[str, str] = {}  # one check per distinct name, not per item
    with read_session() as s:
        for i, data in enumerate(items):
            if not (data.is_dynamic and data.domain):
                continue
            if data.domain not in refused:
                try:
                    domain_for_code(s, workspace_id, data.domain)
                    refused[data.domain] = ""
                except FieldErrors as exc:
                    refused[data.domain] = exc.errors["domain"]
            if refused[data.domain]:
                errors[f"items.{i}.domain"] = refused[data.domain]
    return errors


def duplicate(*, actor: Actor, code_id: uuid.UUID, ip: str = "") -> QRCode:
    """A copy with the same content, design and settings; a dynamic copy gets its own
    short link (and no alias, which must stay unique) on the original's domain while that
    is still one of the workspace's verified domains (else on the workspace's default),
    and answers with the original's landing page if it has one."""
    original = get_code_or_raise(actor=actor, code_id=code_id)
    domain = None
    if original.is_dynamic and (
        not original.domain or is_live(original.domain, original.workspace_id)
    ):
        domain = original.domain
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
            landing_page_id=original.landing_page_id,
            domain=domain,
        ),
        ip=ip,
    )
