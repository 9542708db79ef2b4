"""A landing page chooses its domain: one of the workspace's verified domains or ours.
The page keeps its slug, which must be free on the new domain."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from qrapp.core.permissions import Permission
from qrapp.db import transaction
from qrapp.models import LandingPage
from qrapp.models.audit import AuditAction
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.domains.live import domain_for_code
from qrapp.services.errors import FieldErrors
from qrapp.services.pages.common import announce_after_commit, page_in_workspace_or_raise


def set_page_domain(*, actor: Actor, page_id: uuid.UUID, domain: str, ip: str = "") -> str:
    workspace_id = require(actor, Permission.PAGES_EDIT)
    taken = FieldErrors({"domain": "A page on that domain already uses this page's address."})
    try:
        with transaction() as tx:
            s = tx.session
            page = page_in_workspace_or_raise(s, workspace_id, page_id)
            chosen = domain_for_code(s, workspace_id, domain or "")
            if chosen == page.domain:
                return chosen
            clash = s.exec(
                select(LandingPage.id).where(
                    col(LandingPage.domain) == chosen, col(LandingPage.slug) == page.slug
                )
            ).first()
            if clash is not None:
                raise taken
            announce_after_commit(tx, page)  # under the old domain
            old, page.domain, page.updated_at = page.domain, chosen, utcnow()
            s.add(page)
            s.flush()
            announce_after_commit(tx, page)  # and the new one
            audit.record(
                s,
                action=AuditAction.PAGE_DOMAIN_CHANGED,
                actor_user_id=actor.user_id,
                workspace_id=workspace_id,
                target_type="landing_page",
                target_id=str(page.id),
                ip=ip,
                details={"from": old, "to": chosen},
            )
        return chosen
    except IntegrityError:
        raise taken from None
