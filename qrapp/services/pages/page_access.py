"""What the edge needs from the database about landing pages: the published version of a
page, by its public slug or by id (a dynamic code that answers with a page).

Everything the edge serves (HTML, CSP, ETag, click targets, downloads) was computed at
publish time and stored with the version, so this module imports no renderer: the edge
stays lean (import-linter holds it to that).
"""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from qrapp.db import read_session
from qrapp.models import LandingPage, LandingPageVersion, PageTest, PageVariant
from qrapp.services.workspaces.brand_look import look_for


class PageSnapshot(TypedDict):
    """A published page as the edge caches it (in-process and in Redis, as JSON).
    `published_at` is Unix seconds."""

    page_id: str
    workspace_id: str
    domain: str
    slug: str
    version: int
    html: str
    csp: str
    etag: str
    # target id -> URL, or {"ios": ..., "android": ..., "other": ...}
    clicks: dict[str, Any]
    # block id -> {"filename", "content_type", "body"}
    downloads: dict[str, Any]
    # block id -> core.leads.FormSpec (lead forms: what POST /p/<slug>/f/<block> checks)
    forms: dict[str, Any]
    published_at: float
    # A running A/B test: [{"key": "A", "weight"} (served from the fields above), then
    # {"key", "weight", "version", "html", "csp", "etag", "clicks", "downloads", "forms"}
    # for each other variant]; [] when no test runs.
    variants: list[dict[str, Any]]
    # The workspace's brand (qrapp.core.brand), added by the edge around the stored HTML
    look: dict[str, Any]


def _snapshot(session: Session, page: LandingPage | None) -> PageSnapshot | None:
    if page is None or page.status != "published" or page.published_version is None:
        return None
    version = session.exec(
        select(LandingPageVersion).where(
            col(LandingPageVersion.page_id) == page.id,
            col(LandingPageVersion.number) == page.published_version,
        )
    ).first()
    if version is None:
        return None
    snap: PageSnapshot = {
        "page_id": str(page.id),
        "workspace_id": str(page.workspace_id),
        "domain": page.domain,
        "slug": page.slug,
        "version": version.number,
        "html": version.html,
        "csp": version.csp,
        "etag": version.etag,
        "clicks": dict(version.clicks or {}),
        "downloads": dict(version.downloads or {}),
        "forms": dict(version.forms or {}),
        "published_at": page.published_at.timestamp() if page.published_at else 0.0,
        "variants": [],
        "look": look_for(session, page.workspace_id),
    }
    snap["variants"] = _variants(session, page)
    return snap


_SERVED = ("html", "csp", "etag", "clicks", "downloads", "forms")


def _variants(session: Session, page: LandingPage) -> list[dict[str, Any]]:
    """The running test's variants as the edge serves them (precomputed: the edge renders
    nothing). A variant rendered for another slug (the page moved since) is left out, and
    so is one without traffic; fewer than two left means no test to run."""
    test = session.exec(
        select(PageTest).where(col(PageTest.page_id) == page.id, col(PageTest.status) == "running")
    ).first()
    if test is None:
        return []
    out: list[dict[str, Any]] = []
    rows = session.exec(
        select(PageVariant)
        .where(col(PageVariant.test_id) == test.id)
        .order_by(col(PageVariant.key))
    ).all()
    for v in rows:
        if v.weight <= 0:
            continue
        if v.key == "A":  # the page's own fields above: not copied (the snapshot stays small)
            out.append({"key": "A", "weight": v.weight})
        elif v.rendered_slug == page.slug and v.html:
            served = {k: getattr(v, k) for k in _SERVED}
            out.append({"key": v.key, "weight": v.weight, "version": v.source_version, **served})
    return out if len(out) >= 2 else []


def published_page(domain: str, slug: str) -> PageSnapshot | None:
    """The page published at `/p/<slug>` on `domain` ("" = the edge's default domain), or
    None (no such slug, never published, or unpublished)."""
    with read_session() as s:
        page = s.exec(
            select(LandingPage).where(
                col(LandingPage.domain) == domain, col(LandingPage.slug) == slug
            )
        ).first()
        return _snapshot(s, page)


def published_page_by_id(page_id: uuid.UUID | str) -> PageSnapshot | None:
    """The published page with this id (what a code pointing at it serves), or None."""
    try:
        key = page_id if isinstance(page_id, uuid.UUID) else uuid.UUID(str(page_id))
    except ValueError:
        return None
    with read_session() as s:
        return _snapshot(s, s.get(LandingPage, key))
