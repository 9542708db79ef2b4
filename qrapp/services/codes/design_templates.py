"""Workspace design templates: save a design once, apply it to any code, and pick one
as the default every new code starts from."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import col, select

from qrapp.core.payloads import PayloadError
from qrapp.core.permissions import Permission
from qrapp.core.render.design import Design
from qrapp.db import read_session, transaction
from qrapp.models import DesignTemplate
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.errors import FieldErrors, NotFound

MAX_TEMPLATES = 50


def list_templates(*, actor: Actor) -> list[DesignTemplate]:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        return list(
            s.exec(
                select(DesignTemplate)
                .where(DesignTemplate.workspace_id == workspace_id)
                .order_by(col(DesignTemplate.is_default).desc(), col(DesignTemplate.name))
            ).all()
        )


def save_template(
    *, actor: Actor, name: str, design: dict[str, Any], make_default: bool = False, ip: str = ""
) -> DesignTemplate:
    """Create the template, or replace the design of the one with the same name."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    name = " ".join((name or "").split())[:60]
    if not name:
        raise FieldErrors({"template": "Give the template a name."})
    try:
        clean = Design.parse(design).model_dump(mode="json")
    except PayloadError as exc:
        raise FieldErrors({f"design.{k}": v for k, v in exc.errors.items()}) from None
    with transaction() as tx:
        rows = tx.session.exec(
            select(DesignTemplate).where(DesignTemplate.workspace_id == workspace_id)
        ).all()
        template = next((t for t in rows if t.name == name), None)
        if template is None:
            if len(rows) >= MAX_TEMPLATES:
                raise FieldErrors(
                    {"template": f"A workspace keeps up to {MAX_TEMPLATES} templates."}
                )
            template = DesignTemplate(
                workspace_id=workspace_id, name=name, created_by=actor.user_id
            )
        template.design = clean
        if make_default:
            for other in rows:
                if other.is_default and other is not template:
                    other.is_default = False
                    tx.session.add(other)
            template.is_default = True
        tx.session.add(template)
        audit.record(
            tx.session,
            action=AuditAction.DESIGN_TEMPLATE_SAVED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="design_template",
            target_id=str(template.id),
            ip=ip,
            details={"name": name, "default": make_default},
        )
    return template


def delete_template(*, actor: Actor, template_id: uuid.UUID, ip: str = "") -> None:
    workspace_id = require(actor, Permission.CODES_EDIT)
    with transaction() as tx:
        template = tx.session.get(DesignTemplate, template_id)
        if template is None or template.workspace_id != workspace_id:
            raise NotFound("template")
        tx.session.delete(template)
        audit.record(
            tx.session,
            action=AuditAction.DESIGN_TEMPLATE_DELETED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="design_template",
            target_id=str(template_id),
            ip=ip,
        )
