"""Dynamic codes whose destination is a landing page: a scan answers with the page itself
(the edge serves its published version; qrapp.edge.scan.finish_page).

A code points at a page of its own workspace that is published now; pointing it back at
a URL (qrcodes.change_destination) clears the page. A page unpublished later leaves the
code pointing at it: scans see the friendly "not available" page until it is published
again or the code is re-pointed.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models import LandingPage, QRCode
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.codes import records
from qrapp.services.errors import FieldErrors, ServiceError

FIELD = "landing_page"


def published_page_or_raise(
    session: Session, workspace_id: uuid.UUID, page_id: uuid.UUID | str
) -> LandingPage:
    """The workspace's page, published; otherwise a field error the form shows (another
    workspace's page reads exactly like a missing one)."""
    try:
        key = page_id if isinstance(page_id, uuid.UUID) else uuid.UUID(str(page_id))
    except ValueError:
        raise FieldErrors({FIELD: "Choose one of your landing pages."}) from None
    page = session.get(LandingPage, key)
    if page is None or page.workspace_id != workspace_id:
        raise FieldErrors({FIELD: "That landing page does not exist."})
    if page.status != "published" or page.published_version is None:
        raise FieldErrors({FIELD: f"Publish “{page.name}” first: it is not public yet."})
    return page


def set_destination_page(
    *, actor: Actor, code_id: uuid.UUID, page_id: uuid.UUID | str, ip: str = ""
) -> QRCode:
    """Point a dynamic code at one of the workspace's published pages."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    with transaction() as tx:
        code = records.code_in_workspace_or_raise(tx.session, workspace_id, code_id)
        if not code.is_dynamic:
            raise ServiceError("A static code's content is printed in it; make a dynamic one.")
        entitlements.require_code_editable(tx.session, code)
        page = published_page_or_raise(tx.session, workspace_id, page_id)
        old = str(code.landing_page_id) if code.landing_page_id else code.destination
        code.landing_page_id = page.id
        records.mark_changed(tx, code)
        records.audit_code(
            tx,
            actor,
            code,
            AuditAction.QR_DESTINATION_CHANGED,
            ip,
            {"from": old, "to": f"page:{page.id}", "page": page.name},
        )
    return code


def page_choices(*, actor: Actor) -> list[dict[str, Any]]:
    """The workspace's published pages for a destination picker: id, name, slug."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        pages = s.exec(
            select(LandingPage)
            .where(
                col(LandingPage.workspace_id) == workspace_id,
                col(LandingPage.status) == "published",
            )
            .order_by(col(LandingPage.name), col(LandingPage.id))
        ).all()
        return [{"id": str(p.id), "name": p.name, "slug": p.slug} for p in pages]


def destination_page(*, actor: Actor, code_id: uuid.UUID) -> dict[str, Any] | None:
    """The page a code points at ({id, name, slug, published}), or None for a URL."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        code = records.code_in_workspace_or_raise(s, workspace_id, code_id)
        if code.landing_page_id is None:
            return None
        page = s.get(LandingPage, code.landing_page_id)
        if page is None:
            return None
        return {
            "id": str(page.id),
            "name": page.name,
            "slug": page.slug,
            "published": page.status == "published",
        }
