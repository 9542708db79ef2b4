"""Moving a saved dynamic code to another domain: one of the workspace's verified custom
domains, or ours (""). The code keeps its short code, so the new link is the old path on
the new host; the old host stops answering it at once (a custom host; our own domain
keeps answering every code as its fallback, see services.codes.code_access.load_link).
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from qrapp.cachebus import announce_code_changed
from qrapp.core import hosts
from qrapp.core.permissions import Permission
from qrapp.db import transaction
from qrapp.models import QRCode
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.codes.checks import require_scannable
from qrapp.services.codes.records import audit_code, code_in_workspace_or_raise, mark_changed
from qrapp.services.domains.live import domain_for_code
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.settings import get_settings


def _taken(short_code: str, domain: str) -> FieldErrors:
    where = domain or "our domain"
    return FieldErrors(
        {
            "domain": f"The short link '{short_code}' is already used by another code on "
            f"{where}, so this code cannot move there."
        }
    )


def _require_scannable_on(domain: str, short_code: str, design: dict[str, Any]) -> None:
    """Another host changes the encoded text: a longer one makes a denser symbol, which a
    design that only just scanned may not survive."""
    try:
        require_scannable(hosts.short_url(get_settings().edge_url, domain, short_code), design)
    except FieldErrors as exc:
        reason = exc.errors.get("design", exc.message)
        raise FieldErrors(
            {
                "domain": f"With the link on {domain or 'our domain'} this design does not "
                f"scan: {reason}"
            }
        ) from None


def change_domain(*, actor: Actor, code_id: uuid.UUID, domain: str | None, ip: str = "") -> QRCode:
    """Serve the code's short link on `domain` ("" or None: our default domain)."""
    workspace_id = require(actor, Permission.CODES_EDIT)
    short = chosen = ""
    try:
        with transaction() as tx:
            s = tx.session
            code = code_in_workspace_or_raise(s, workspace_id, code_id)
            entitlements.require_code_editable(s, code)
            if not code.is_dynamic or not code.short_code:
                raise ServiceError(
                    "A static code has no short link: its content is printed in it.",
                    field="domain",
                )
            short = code.short_code
            chosen = domain_for_code(s, workspace_id, domain or "")
            if chosen == code.domain:
                return code
            # New codes get a short code no domain uses (creation._alias_taken), but older
            # codes may share one across domains; the database holds (domain, short_code)
            # unique, so ask first for a message a person can act on.
            clash = s.exec(
                select(QRCode.id).where(
                    col(QRCode.domain) == chosen,
                    col(QRCode.short_code) == short,
                    col(QRCode.id) != code.id,
                )
            ).first()
            if clash is not None:
                raise _taken(short, chosen)
            _require_scannable_on(chosen, short, code.design)
            old = code.domain
            # mark_changed tells the edges about the new host (and ours); the old host's
            # cached copy must go too, or it keeps answering until its TTL.
            tx.after_commit(functools.partial(announce_code_changed, old, short))
            code.domain = chosen
            mark_changed(tx, code)
            audit_code(
                tx, actor, code, AuditAction.QR_DOMAIN_CHANGED, ip, {"from": old, "to": chosen}
            )
        return code
    except IntegrityError:
        raise _taken(short, chosen) from None
