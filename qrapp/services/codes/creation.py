"""Creating a code: a new one from the designer, or a copy of an existing one. A dynamic
code gets a random short link (retried on the rare collision) or the alias asked for.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from qrapp.cachebus import announce_code_changed
from qrapp.core.permissions import Permission
from qrapp.core.shortcodes import alias_problem, new_short_code
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
    clean_tags,
    code_text,
    require_scannable,
)
from qrapp.services.codes.records import audit_code, folder_in_workspace, get_code_or_raise
from qrapp.services.errors import FieldErrors, ServiceError

DYNAMIC_TYPE = "url"
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


def _alias_taken(session: Session, domain: str, code: str) -> bool:
    return (
        session.exec(
            select(QRCode.id).where(QRCode.domain == domain, QRCode.short_code == code)
        ).first()
        is not None
    )


def create(*, actor: Actor, data: CodeInput, ip: str = "") -> QRCode:
    workspace_id = require(actor, Permission.CODES_EDIT)
    name = check_name(data.name)
    design = check_design(data.design)
    tags = clean_tags(data.tags)
    if data.is_dynamic:
        with_page = data.landing_page_id is not None and not data.destination.strip()
        destination = "" if with_page else check_destination(data.destination)
        payload: dict[str, Any] = {}
        content_type = DYNAMIC_TYPE
    else:
        destination = ""
        content_type = data.content_type
        payload = check_payload(content_type, data.payload or {})
    alias = (data.alias or "").strip()
    if alias and not data.is_dynamic:
        raise FieldErrors({"alias": "Only dynamic codes have a short link."})
    if alias and (problem := alias_problem(alias)):
        raise FieldErrors({"alias": problem})

    for _attempt in range(_SHORT_CODE_ATTEMPTS):
        short = (alias or new_short_code()) if data.is_dynamic else None
        try:
            with transaction() as tx:
                # The plan's allowance, under the workspace lock: two requests cannot
                # both take the last place.
                entitlements.reserve(
                    tx.session, workspace_id, entitlements.code_resource(data.is_dynamic)
                )
                if data.folder_id is not None:
                    folder_in_workspace(tx.session, workspace_id, data.folder_id)
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
                tx.after_commit(functools.partial(announce_code_changed, domain, short))
            return code
        except IntegrityError:
            # A random short code collided (or an alias raced): try a fresh one.
            if alias:
                raise FieldErrors({"alias": f"'{alias}' is already taken."}) from None
            continue
    raise ServiceError("Could not allocate a short link; please try again.")


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
