"""Landing pages for the builder: list, create, save the draft, rename, change the
address, publish, versions, duplicate, delete, templates, preview.

Every function takes the actor and works only inside the actor's workspace: a page of
another workspace is "not found", the same answer as a missing id. Writes need
PAGES_EDIT; reads need membership. Publishing and templates live in their own modules and
are re-exported here, so the web app imports this one module.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update as sa_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from qrapp.cachebus import announce_code_changed
from qrapp.core.page_slugs import slug_problem, slugify, with_suffix
from qrapp.core.pages.document import blank_document
from qrapp.core.pages.render import render_preview
from qrapp.core.permissions import Permission
from qrapp.core.plans import Resource
from qrapp.db import read_session, transaction
from qrapp.models import LandingPage, LandingPageVersion, QRCode
from qrapp.models.types import utcnow
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.services.pages.common import (
    StaleDraft,
    announce_after_commit,
    audit_page,
    check_page_name,
    checked_document,
    normalised,
    page_in_workspace_or_raise,
    replace_draft,
)
from qrapp.services.pages.page_media import preview_media
from qrapp.services.pages.page_templates import (
    TemplateChoice,
    delete_template,
    list_templates,
    save_as_template,
    starter_document,
    template_document,
)
from qrapp.services.pages.publishing import (
    VersionInfo,
    list_versions,
    publish,
    restore_version,
    store_version,
    unpublish,
)
from qrapp.services.pages.stats import view_totals

__all__ = [
    "PageSummary",
    "StaleDraft",
    "TemplateChoice",
    "VersionInfo",
    "create_page",
    "delete_page",
    "delete_template",
    "duplicate_page",
    "get_page",
    "list_pages",
    "list_templates",
    "list_versions",
    "page_view_totals",
    "preview_html",
    "publish",
    "rename_page",
    "restore_version",
    "save_as_template",
    "save_draft",
    "set_slug",
    "unpublish",
]

DEFAULT_DOMAIN = ""  # the edge's own domain; custom domains come with their own issue
_SLUG_ATTEMPTS = 5


@dataclass(frozen=True)
class PageSummary:
    """A row of the page list."""

    id: uuid.UUID
    name: str
    slug: str
    domain: str
    status: str  # draft | published | unpublished
    views: int
    published_version: int | None
    published_at: dt.datetime | None
    updated_at: dt.datetime


def page_view_totals(session: Session, page_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Views per page for the list: all-time human views from the ingest's daily rollup
    (services.pages.stats)."""
    return view_totals(session, page_ids)


def list_pages(*, actor: Actor) -> list[PageSummary]:
    """The workspace's pages, most recently changed first."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        pages = s.exec(
            select(LandingPage)
            .where(col(LandingPage.workspace_id) == workspace_id)
            .order_by(col(LandingPage.updated_at).desc())
        ).all()
        views = page_view_totals(s, [p.id for p in pages])
    return [
        PageSummary(
            id=p.id,
            name=p.name,
            slug=p.slug,
            domain=p.domain,
            status=p.status,
            views=views.get(p.id, 0),
            published_version=p.published_version,
            published_at=p.published_at,
            updated_at=p.updated_at,
        )
        for p in pages
    ]


def get_page(*, actor: Actor, page_id: uuid.UUID) -> LandingPage:
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        return page_in_workspace_or_raise(s, workspace_id, page_id)


def _free_slug(session: Session, domain: str, base: str) -> str:
    """`base`, or the first of base-2, base-3, ... no page on the domain uses."""
    taken = set(
        session.exec(
            select(LandingPage.slug).where(
                col(LandingPage.domain) == domain,
                # slugs hold only [a-z0-9-], so `base` has no LIKE wildcards
                or_(col(LandingPage.slug) == base, col(LandingPage.slug).like(f"{base}-%")),
            )
        ).all()
    )
    n = 1
    slug = base
    while slug in taken:
        n += 1
        slug = with_suffix(base, n)
    return slug


def _insert_page(
    *, actor: Actor, workspace_id: uuid.UUID, name: str, draft: dict[str, Any], ip: str, details
) -> LandingPage:
    """Insert a draft page with a free slug made from its name. A page created at the
    same moment may take the slug between the check and the insert: the unique index
    refuses it and the next attempt picks another."""
    for _attempt in range(_SLUG_ATTEMPTS):
        try:
            with transaction() as tx:
                entitlements.reserve(tx.session, workspace_id, Resource.LANDING_PAGES)
                page = LandingPage(
                    workspace_id=workspace_id,
                    name=name,
                    domain=DEFAULT_DOMAIN,
                    slug=_free_slug(tx.session, DEFAULT_DOMAIN, slugify(name)),
                    draft=draft,
                    created_by=actor.user_id,
                )
                tx.session.add(page)
                tx.session.flush()
                audit_page(tx, actor, page, AuditAction.PAGE_CREATED, ip, details)
            return page
        except IntegrityError:
            continue
    raise ServiceError("Could not give the page an address; please try again.")


def create_page(
    *,
    actor: Actor,
    name: str,
    starter: str | None = None,
    template_id: uuid.UUID | None = None,
    ip: str = "",
) -> LandingPage:
    """A new draft page: blank, from a built-in starter (its key) or from one of the
    workspace's templates. Its address (slug) is made from the name."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    name = check_page_name(name)
    if starter and template_id:
        raise FieldErrors({"starter": "Choose one template to start from."})
    if starter:
        raw = starter_document(starter)
    elif template_id:
        with read_session() as s:
            raw = template_document(s, workspace_id, template_id)
    else:
        raw = blank_document(name)
    draft = normalised(checked_document(raw))
    details = {"starter": starter} if starter else {}
    if template_id:
        details = {"template": str(template_id)}
    return _insert_page(
        actor=actor, workspace_id=workspace_id, name=name, draft=draft, ip=ip, details=details
    )


def save_draft(
    *, actor: Actor, page_id: uuid.UUID, document: dict[str, Any], base_revision: int
) -> int:
    """Store the builder's document as the draft and return the new revision. Refused
    with StaleDraft when the draft is no longer at `base_revision` (another tab or person
    saved, or a version was restored), and with FieldErrors when the document is invalid;
    either way nothing changes. Not audited: autosave writes every few seconds."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    draft = normalised(checked_document(document))
    with transaction() as tx:
        page = page_in_workspace_or_raise(tx.session, workspace_id, page_id)
        entitlements.require_page_editable(tx.session, page)
        if page.draft_revision != base_revision:
            raise StaleDraft(page.draft_revision)
        return replace_draft(tx, page, draft, base_revision=base_revision)


def rename_page(*, actor: Actor, page_id: uuid.UUID, name: str, ip: str = "") -> LandingPage:
    """The name people see in the list; the address (slug) stays."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    name = check_page_name(name)
    with transaction() as tx:
        page = page_in_workspace_or_raise(tx.session, workspace_id, page_id)
        entitlements.require_page_editable(tx.session, page)
        old, page.name = page.name, name
        page.updated_at = utcnow()
        tx.session.add(page)
        audit_page(tx, actor, page, AuditAction.PAGE_RENAMED, ip, {"from": old, "to": name})
    return page


def set_slug(*, actor: Actor, page_id: uuid.UUID, slug: str, ip: str = "") -> LandingPage:
    """Change the page's address (/p/<slug>). A published page is re-rendered from its
    live document for the new address (its click and download links carry the slug) as a
    new version; the old address stops answering."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    slug = (slug or "").strip()
    if problem := slug_problem(slug):
        raise FieldErrors({"slug": problem})
    taken = FieldErrors({"slug": f"'{slug}' is already taken. Choose another."})
    try:
        with transaction() as tx:
            page = page_in_workspace_or_raise(tx.session, workspace_id, page_id)
            entitlements.require_page_editable(tx.session, page)
            if page.slug == slug:
                return page
            clash = tx.session.exec(
                select(LandingPage.id).where(
                    col(LandingPage.domain) == page.domain, col(LandingPage.slug) == slug
                )
            ).first()
            if clash is not None:
                raise taken
            old = page.slug
            announce_after_commit(tx, page, slug=old)
            page.slug = slug
            page.updated_at = utcnow()
            tx.session.add(page)
            tx.session.flush()  # the unique index speaks now, before any rendering
            details: dict[str, Any] = {"from": old, "to": slug}
            if page.status == "published":
                live = _live_document(tx.session, page)
                version = store_version(tx, actor, page, checked_document(live))
                details["version"] = version.number
            else:
                announce_after_commit(tx, page)
            audit_page(tx, actor, page, AuditAction.PAGE_SLUG_CHANGED, ip, details)
        return page
    except IntegrityError:
        raise taken from None


def _live_document(session: Session, page: LandingPage) -> dict[str, Any]:
    version = session.exec(
        select(LandingPageVersion).where(
            col(LandingPageVersion.page_id) == page.id,
            col(LandingPageVersion.number) == page.published_version,
        )
    ).one()
    return dict(version.document)


def duplicate_page(*, actor: Actor, page_id: uuid.UUID, ip: str = "") -> LandingPage:
    """A new draft page with a copy of the draft (not published, its own address)."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    with read_session() as s:
        original = page_in_workspace_or_raise(s, workspace_id, page_id)
    name = check_page_name(f"{original.name} (copy)"[:120])
    draft = normalised(checked_document(original.draft))
    return _insert_page(
        actor=actor,
        workspace_id=workspace_id,
        name=name,
        draft=draft,
        ip=ip,
        details={"duplicate_of": str(original.id)},
    )


def delete_page(*, actor: Actor, page_id: uuid.UUID, ip: str = "") -> None:
    """Delete the page and its versions. Codes that answered with it keep existing and
    fall back to their destination URL: their page link is cleared here (PostgreSQL's
    foreign key would do it too; SQLite's column has none, see migration 0011)."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    with transaction() as tx:
        page = page_in_workspace_or_raise(tx.session, workspace_id, page_id)
        codes = tx.session.exec(
            select(QRCode.domain, QRCode.short_code).where(col(QRCode.landing_page_id) == page.id)
        ).all()
        audit_page(
            tx,
            actor,
            page,
            AuditAction.PAGE_DELETED,
            ip,
            {"name": page.name, "slug": page.slug, "codes": len(codes)},
        )
        announce_after_commit(tx, page)
        # Those codes answered with the page; the edges must fall back to their URL.
        tx.after_commit(lambda: _announce_codes(codes))
        tx.session.execute(
            sa_update(QRCode)
            .where(col(QRCode.landing_page_id) == page.id)
            .values(landing_page_id=None)
        )
        tx.session.delete(page)


def _announce_codes(codes: Sequence[tuple[str, str | None]]) -> None:
    for domain, short_code in codes:
        announce_code_changed(domain, short_code)


def preview_html(document: dict[str, Any], *, workspace_id: uuid.UUID | None = None) -> str:
    """The page exactly as the public renderer draws it, for the builder's preview
    (an iframe's srcdoc). Changes no data; an invalid document raises FieldErrors. With
    the page's workspace its uploaded media shows (a block whose file is missing shows
    nothing)."""
    doc = checked_document(document)
    media = preview_media(workspace_id, doc) if workspace_id is not None else {}
    return render_preview(doc, media)
