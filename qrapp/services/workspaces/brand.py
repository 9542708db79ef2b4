"""Settings -> Brand: a workspace's name, logo, colours, favicon and support e-mail on the
pages its visitors see (white label). Owners and admins (BRAND_MANAGE), in their own
workspace only; a paid plan to set one (qrapp.services.workspaces.brand_look says what
each plan shows). Colours must keep WCAG AA contrast on white (they colour text and carry
white button text), refused with the ratio and what to do otherwise.

After a save, one workspace-wide cache-bus message makes every edge drop the workspace's
codes and pages from its caches (the brand travels in their snapshots), so the next visit
shows it.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlmodel import col, select

from qrapp.cachebus import announce_workspace_changed
from qrapp.core.brand import Look, contrast_problem
from qrapp.core.permissions import Permission
from qrapp.core.plans import PlanId, plan
from qrapp.db import Transaction, read_session, transaction
from qrapp.models import LandingPage, MediaAsset, QRCode, Workspace, WorkspaceBrand
from qrapp.models.audit import AuditAction
from qrapp.models.types import utcnow
from qrapp.services import audit
from qrapp.services.authz import Actor, require
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import FieldErrors
from qrapp.services.workspaces.brand_look import look_of

NAME_MAX = 80


@dataclass(frozen=True)
class BrandView:
    name: str
    logo_asset_id: str
    favicon_asset_id: str
    primary_colour: str
    accent_colour: str
    support_email: str
    workspace_name: str
    plan_name: str
    can_brand: bool  # a paid plan: the brand shows on the pages
    white_label: bool  # the plan removes "Powered by qrapp"
    look: Look  # what visitors see now
    updated_at: dt.datetime | None


@dataclass(frozen=True)
class BrandInput:
    name: str = ""
    logo_asset_id: str = ""
    favicon_asset_id: str = ""
    primary_colour: str = ""
    accent_colour: str = ""
    support_email: str = ""


def _assets(session, workspace_id: uuid.UUID, ids: list[uuid.UUID]) -> dict:
    if not ids:
        return {}
    rows = session.exec(
        select(MediaAsset).where(
            col(MediaAsset.id).in_(ids), col(MediaAsset.workspace_id) == workspace_id
        )
    ).all()
    return {a.id: a for a in rows}


def get_brand(*, actor: Actor) -> BrandView:
    wid = require(actor, Permission.BRAND_MANAGE)
    with read_session() as s:
        ws = s.get(Workspace, wid)
        assert ws is not None  # the actor's membership holds it
        row = s.get(WorkspaceBrand, wid)
        ids = [i for i in (row.logo_asset_id, row.favicon_asset_id) if i] if row else []
        look = look_of(ws, row, _assets(s, wid, ids))
        the_plan = plan(ws.plan)
        return BrandView(
            name=row.name if row else "",
            logo_asset_id=str(row.logo_asset_id or "") if row else "",
            favicon_asset_id=str(row.favicon_asset_id or "") if row else "",
            primary_colour=row.primary_colour if row else "",
            accent_colour=row.accent_colour if row else "",
            support_email=row.support_email if row else "",
            workspace_name=ws.name,
            plan_name=the_plan.name,
            can_brand=the_plan.is_paid,
            white_label=the_plan.white_label,
            look=look,
            updated_at=row.updated_at if row else None,
        )


def _asset_id(session, wid: uuid.UUID, raw: str, field: str, errors: dict) -> uuid.UUID | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        aid = uuid.UUID(raw)
    except ValueError:
        errors[field] = "Choose an image from the media library."
        return None
    asset = session.get(MediaAsset, aid)
    if asset is None or asset.workspace_id != wid:  # another workspace's: not found
        errors[field] = "That image was not found in this workspace's media library."
        return None
    if asset.kind != "image":
        errors[field] = "Choose an image (PNG, JPEG, WebP or GIF), not another kind of file."
        return None
    return aid


def _email(raw: str, errors: dict) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        errors["support_email"] = "Enter a valid e-mail address, like help@example.com."
        return ""


def _colour(raw: str, label: str, field: str, errors: dict) -> str:
    value = (raw or "").strip().lower()
    if value and not value.startswith("#"):
        value = "#" + value
    if not value:
        return ""
    problem = contrast_problem(label, value)
    if problem:
        errors[field] = problem
    return value


def _announce(tx: Transaction, wid: uuid.UUID) -> None:
    """Every cached snapshot of the workspace's codes and pages carries the old look: one
    workspace-wide message after the commit (with the keys of their shared Redis copies)."""
    codes = tx.session.exec(
        select(QRCode.domain, QRCode.short_code).where(
            QRCode.workspace_id == wid, col(QRCode.is_dynamic).is_(True)
        )
    ).all()
    pages = tx.session.exec(
        select(LandingPage.domain, LandingPage.slug, LandingPage.id).where(
            LandingPage.workspace_id == wid
        )
    ).all()
    tx.after_commit(
        functools.partial(
            announce_workspace_changed,
            str(wid),
            [(domain, short) for domain, short in codes],
            [(domain, slug, str(pid)) for domain, slug, pid in pages],
        )
    )


def save_brand(*, actor: Actor, data: BrandInput, ip: str = "") -> BrandView:
    """Check and store the brand. FieldErrors (each field's message) or PlanLimitReached
    (Free) change nothing."""
    wid = require(actor, Permission.BRAND_MANAGE)
    with transaction() as tx:
        s = tx.session
        ws = s.get(Workspace, wid)
        assert ws is not None
        the_plan = plan(ws.plan)
        if not the_plan.is_paid:
            raise PlanLimitReached(
                None,
                the_plan,
                "A brand on your pages is part of the paid plans: upgrade to "
                f"{plan(PlanId.PRO).name} to show your name, logo and colours, or to "
                f"{plan(PlanId.ENTERPRISE).name} to also remove “Powered by qrapp”.",
            )
        errors: dict[str, str] = {}
        name = " ".join((data.name or "").split())
        if len(name) > NAME_MAX:
            errors["name"] = f"Keep the brand name to {NAME_MAX} characters."
        logo = _asset_id(s, wid, data.logo_asset_id, "logo_asset_id", errors)
        favicon = _asset_id(s, wid, data.favicon_asset_id, "favicon_asset_id", errors)
        primary = _colour(data.primary_colour, "primary", "primary_colour", errors)
        accent = _colour(data.accent_colour, "accent", "accent_colour", errors)
        email = _email(data.support_email, errors)
        if errors:
            raise FieldErrors(errors)
        row = s.get(WorkspaceBrand, wid) or WorkspaceBrand(workspace_id=wid)
        row.name, row.logo_asset_id, row.favicon_asset_id = name, logo, favicon
        row.primary_colour, row.accent_colour, row.support_email = primary, accent, email
        row.updated_at = utcnow()
        s.add(row)
        audit.record(
            s,
            action=AuditAction.BRAND_UPDATED,
            actor_user_id=actor.user_id,
            workspace_id=wid,
            target_type="workspace",
            target_id=str(wid),
            ip=ip,
            details={"name": name, "primary": primary, "accent": accent},
        )
        _announce(tx, wid)
    return get_brand(actor=actor)
