"""Page templates: the built-in starters (qrapp.core.pages.starters) and the documents a
workspace saved to start new pages from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from qrapp.core.pages.starters import STARTERS
from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models import PageTemplate
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.errors import FieldErrors, NotFound
from qrapp.services.pages.common import checked_document, normalised, page_in_workspace_or_raise

MAX_TEMPLATES = 50


@dataclass(frozen=True)
class TemplateChoice:
    """One entry of the "start from" list. `kind` "starter": `key` is the starter's key
    (create_page(starter=key)); "workspace": `key` is the template id as a string
    (create_page(template_id=UUID(key)))."""

    kind: str
    key: str
    name: str
    description: str


def list_templates(*, actor: Actor) -> list[TemplateChoice]:
    """The built-in starters, then the workspace's own templates by name."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        rows = s.exec(
            select(PageTemplate)
            .where(col(PageTemplate.workspace_id) == workspace_id)
            .order_by(col(PageTemplate.name))
        ).all()
    return [TemplateChoice("starter", st.key, st.name, st.description) for st in STARTERS] + [
        TemplateChoice("workspace", str(t.id), t.name, t.description) for t in rows
    ]


def starter_document(key: str) -> dict[str, Any]:
    starter = next((st for st in STARTERS if st.key == key), None)
    if starter is None:
        raise FieldErrors({"starter": "That template does not exist; choose another."})
    return dict(starter.document())


def template_document(
    session: Session, workspace_id: uuid.UUID, template_id: uuid.UUID
) -> dict[str, Any]:
    template = session.get(PageTemplate, template_id)
    if template is None or template.workspace_id != workspace_id:
        raise NotFound("template")
    return dict(template.document)


def save_as_template(
    *, actor: Actor, page_id: uuid.UUID, name: str, description: str = "", ip: str = ""
) -> PageTemplate:
    """Save the page's current draft as a workspace template."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    name = " ".join((name or "").split())
    description = " ".join((description or "").split())
    if not name:
        raise FieldErrors({"name": "Give the template a name."})
    if len(name) > 80:
        raise FieldErrors({"name": "Use at most 80 characters."})
    if len(description) > 300:
        raise FieldErrors({"description": "Use at most 300 characters."})
    taken = FieldErrors({"name": f"There is already a template called '{name}'."})
    try:
        with transaction() as tx:
            page = page_in_workspace_or_raise(tx.session, workspace_id, page_id)
            document = normalised(checked_document(page.draft))
            rows = tx.session.exec(
                select(PageTemplate.name).where(col(PageTemplate.workspace_id) == workspace_id)
            ).all()
            if name in rows:
                raise taken
            if len(rows) >= MAX_TEMPLATES:
                raise FieldErrors(
                    {"name": f"A workspace keeps up to {MAX_TEMPLATES} page templates."}
                )
            template = PageTemplate(
                workspace_id=workspace_id,
                name=name,
                description=description,
                document=document,
                created_by=actor.user_id,
            )
            tx.session.add(template)
            tx.session.flush()
            audit.record(
                tx.session,
                action=AuditAction.PAGE_TEMPLATE_SAVED,
                actor_user_id=actor.user_id,
                workspace_id=workspace_id,
                target_type="page_template",
                target_id=str(template.id),
                ip=ip,
                details={"name": name, "page": str(page.id)},
            )
        return template
    except IntegrityError:  # the same name saved at the same moment
        raise taken from None


def delete_template(*, actor: Actor, template_id: uuid.UUID, ip: str = "") -> None:
    workspace_id = require(actor, Permission.PAGES_EDIT)
    with transaction() as tx:
        template = tx.session.get(PageTemplate, template_id)
        if template is None or template.workspace_id != workspace_id:
            raise NotFound("template")
        tx.session.delete(template)
        audit.record(
            tx.session,
            action=AuditAction.PAGE_TEMPLATE_DELETED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="page_template",
            target_id=str(template_id),
            ip=ip,
            details={"name": template.name},
        )
