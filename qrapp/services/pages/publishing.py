"""Publishing: render the draft once into an immutable version the edge serves as it is;
unpublish; the version history and restoring an old version as the draft."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from qrapp.core.pages.document import PageDocument
from qrapp.core.pages.render import render_page
from qrapp.core.permissions import Permission
from qrapp.db import Transaction, read_session, transaction
from qrapp.models import LandingPage, LandingPageVersion, User
from qrapp.models.types import utcnow
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.errors import NotFound, ServiceError
from qrapp.services.pages.common import (
    StaleDraft,
    announce_after_commit,
    audit_page,
    checked_document,
    normalised,
    page_in_workspace_or_raise,
    replace_draft,
)
from qrapp.services.pages.page_media import publishable_media
from qrapp.services.pages.variant_render import plain as _plain
from qrapp.services.pages.variant_render import refresh_variants_of
from qrapp.services.webhooks import hooks as webhook_hooks


def store_version(
    tx: Transaction, actor: Actor, page: LandingPage, doc: PageDocument
) -> LandingPageVersion:
    """Render `doc` for the page's current slug, store it as the next version and make it
    the live one. Everything the edge serves is computed here, once. A block whose uploaded
    file is missing (or not this workspace's) refuses the publish with FieldErrors."""
    media = publishable_media(page.workspace_id, doc)
    rendered = render_page(doc, slug=page.slug, media=media)
    last = tx.session.exec(
        select(func.max(LandingPageVersion.number)).where(
            col(LandingPageVersion.page_id) == page.id
        )
    ).one()
    version = LandingPageVersion(
        page_id=page.id,
        number=(last or 0) + 1,
        document=normalised(doc),
        html=rendered.html,
        csp=rendered.csp,
        etag=rendered.etag,
        clicks=_plain(rendered.clicks),
        downloads=_plain(rendered.downloads),
        forms=_plain(rendered.forms),
        created_by=actor.user_id,
    )
    tx.session.add(version)
    page.status = "published"
    page.published_version = version.number
    page.published_at = page.updated_at = utcnow()
    tx.session.add(page)
    announce_after_commit(tx, page)
    return version


def publish(
    *, actor: Actor, page_id: uuid.UUID, revision: int | None = None, ip: str = ""
) -> LandingPageVersion:
    """Publish the draft as a new version. With `revision` (the draft revision the editor
    shows), a draft that moved on meanwhile is refused with StaleDraft, so what goes live
    is what the person saw."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    try:
        with transaction() as tx:
            page = page_in_workspace_or_raise(tx.session, workspace_id, page_id)
            entitlements.require_page_editable(tx.session, page)
            if revision is not None and revision != page.draft_revision:
                raise StaleDraft(page.draft_revision)
            doc = checked_document(page.draft)
            version = store_version(tx, actor, page, doc)
            # A page that is a variant of a running A/B test: the test serves it too.
            refresh_variants_of(tx, page, doc, version=version.number)
            audit_page(tx, actor, page, AuditAction.PAGE_PUBLISHED, ip, {"version": version.number})
            webhook_hooks.page_published(tx, page, version.number)
        return version
    except IntegrityError:
        # Two publishes of the same page at the same moment took the same number.
        raise ServiceError("The page was published at the same moment; try again.") from None


def unpublish(*, actor: Actor, page_id: uuid.UUID, ip: str = "") -> LandingPage:
    """Take the page off the edge; its versions stay, and publishing again brings it back."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    with transaction() as tx:
        page = page_in_workspace_or_raise(tx.session, workspace_id, page_id)
        if page.status != "published":
            raise ServiceError("This page is not published.")
        page.status = "unpublished"
        page.updated_at = utcnow()
        tx.session.add(page)
        audit_page(
            tx, actor, page, AuditAction.PAGE_UNPUBLISHED, ip, {"version": page.published_version}
        )
        announce_after_commit(tx, page)
    return page


@dataclass(frozen=True)
class VersionInfo:
    number: int
    created_at: Any  # datetime (UTC)
    author: str  # the publisher's name or e-mail; "" when the account is gone
    is_live: bool  # the version the edge serves now


def list_versions(*, actor: Actor, page_id: uuid.UUID) -> list[VersionInfo]:
    """The page's versions, newest first (without their HTML)."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        page = page_in_workspace_or_raise(s, workspace_id, page_id)
        rows = s.exec(
            select(
                LandingPageVersion.number,
                LandingPageVersion.created_at,
                User.name,
                User.email,
            )
            .join(User, sa.and_(col(User.id) == col(LandingPageVersion.created_by)), isouter=True)
            .where(col(LandingPageVersion.page_id) == page.id)
            .order_by(col(LandingPageVersion.number).desc())
        ).all()
    live = page.published_version if page.status == "published" else None
    return [
        VersionInfo(
            number=number,
            created_at=created_at,
            author=name or email or "",
            is_live=number == live,
        )
        for number, created_at, name, email in rows
    ]


def restore_version(*, actor: Actor, page_id: uuid.UUID, number: int, ip: str = "") -> int:
    """Make an old version's document the draft (the live page does not change until the
    next publish). Returns the new draft revision: every open editor of the page is now
    stale and must reload."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    with transaction() as tx:
        page = page_in_workspace_or_raise(tx.session, workspace_id, page_id)
        entitlements.require_page_editable(tx.session, page)
        version = tx.session.exec(
            select(LandingPageVersion).where(
                col(LandingPageVersion.page_id) == page.id,
                col(LandingPageVersion.number) == number,
            )
        ).first()
        if version is None:
            raise NotFound("version")
        draft = normalised(checked_document(version.document))
        revision = replace_draft(tx, page, draft, base_revision=None)
        audit_page(tx, actor, page, AuditAction.PAGE_VERSION_RESTORED, ip, {"version": number})
    return revision
