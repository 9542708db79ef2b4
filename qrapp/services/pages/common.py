"""What the page services share: the workspace-scoped lookup, document validation, the
audit row and the edge announcement."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlmodel import Session

from qrapp.cachebus import announce_page_changed
from qrapp.core.pages.document import DocumentError, PageDocument, parse_document
from qrapp.db import Transaction
from qrapp.models import LandingPage
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor
from qrapp.services.errors import Conflict, FieldErrors, NotFound

# A generous ceiling: the richest starter is a few KB of JSON. It bounds what one autosave
# can make the database and the renderer chew on.
MAX_DOCUMENT_BYTES = 256_000


class StaleDraft(Conflict):
    """The draft moved on since the editor loaded it (another tab, a colleague, a
    restore): the save is refused rather than silently overwriting their work."""

    def __init__(self, current_revision: int) -> None:
        super().__init__(
            "This page was changed in another tab or by someone else, so your last change "
            "was not saved. Reload the page to see the latest version, then make your "
            "change again."
        )
        self.current_revision = current_revision


def page_in_workspace_or_raise(
    session: Session, workspace_id: uuid.UUID, page_id: uuid.UUID
) -> LandingPage:
    """The page, when it belongs to the workspace; NotFound otherwise (another workspace's
    page is answered exactly like a missing one)."""
    page = session.get(LandingPage, page_id)
    if page is None or page.workspace_id != workspace_id:
        raise NotFound("page")
    return page


def checked_document(raw: Any) -> PageDocument:
    """The validated document, or FieldErrors({"document": <the reason in words>})."""
    if not isinstance(raw, dict):
        raise FieldErrors({"document": "The page could not be read; reload and try again."})
    if len(json.dumps(raw, separators=(",", ":"))) > MAX_DOCUMENT_BYTES:
        raise FieldErrors(
            {"document": "This page is too large. Remove some blocks or shorten long texts."}
        )
    try:
        return parse_document(raw)
    except DocumentError as exc:
        raise FieldErrors({"document": getattr(exc, "message", None) or str(exc)}) from None


def normalised(doc: PageDocument) -> dict[str, Any]:
    """What is stored: the document as the models see it (defaults filled in, rich text
    sanitised), so a stored draft is always valid and clean."""
    return doc.model_dump(mode="json")


def replace_draft(
    tx: Transaction, page: LandingPage, draft: dict[str, Any], *, base_revision: int | None
) -> int:
    """Store `draft` and move the revision on, in one conditional UPDATE: with
    `base_revision`, only if the draft is still at that revision (else StaleDraft). Two
    saves racing from the same revision cannot both win, on either database."""
    t = LandingPage.__table__  # type: ignore[attr-defined]
    where = [t.c.id == page.id]
    if base_revision is not None:
        where.append(t.c.draft_revision == base_revision)
    result = tx.session.execute(
        t.update()
        .where(*where)
        .values(draft=draft, draft_revision=t.c.draft_revision + 1, updated_at=utcnow())
    )
    tx.session.expire(page)  # the ORM copy is behind the UPDATE now
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleDraft(page.draft_revision)
    return page.draft_revision


def check_page_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise FieldErrors({"name": "Give the page a name you will recognise."})
    if len(name) > 120:
        raise FieldErrors({"name": "Use at most 120 characters."})
    return name


def audit_page(
    tx: Transaction,
    actor: Actor,
    page: LandingPage,
    action: AuditAction,
    ip: str,
    details: dict[str, Any] | None = None,
) -> None:
    """An audit row about one page, in the transaction that changes it."""
    audit.record(
        tx.session,
        action=action,
        actor_user_id=actor.user_id,
        workspace_id=page.workspace_id,
        target_type="landing_page",
        target_id=str(page.id),
        ip=ip,
        details=details or {},
    )


def announce_after_commit(tx: Transaction, page: LandingPage, *, slug: str | None = None) -> None:
    """Once the transaction commits, tell every edge to drop the page (under `slug`, by
    default its current one)."""
    domain, at, page_id = page.domain, slug or page.slug, str(page.id)
    tx.after_commit(lambda: announce_page_changed(domain, at, page_id))
