"""What the edge serves for an A/B test variant: the variant's document rendered once for
the tested page's address (its clicks, downloads and forms then count under the test),
stored on the PageVariant row. Refreshed when the variant's own page is published."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from sqlmodel import col, select

from qrapp.core.pages.document import PageDocument
from qrapp.core.pages.render import render_page
from qrapp.db import Transaction
from qrapp.models import LandingPage, PageTest, PageVariant
from qrapp.services.pages.common import announce_after_commit, normalised
from qrapp.services.pages.page_media import document_media


def plain(value: Any) -> Any:
    """Renderer results (pydantic models, dataclasses, dicts of them) as plain JSON."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def render_variant(
    variant: PageVariant, doc: PageDocument, *, workspace_id: uuid.UUID, slug: str, version: int
) -> None:
    # B's uploaded files as on its own page (a missing one renders nothing, as in preview).
    rendered = render_page(doc, slug=slug, media=document_media(workspace_id, doc))
    variant.document = normalised(doc)
    variant.rendered_slug = slug
    variant.source_version = version
    variant.html = rendered.html
    variant.csp = rendered.csp
    variant.etag = rendered.etag
    variant.clicks = plain(rendered.clicks)
    variant.downloads = plain(rendered.downloads)
    variant.forms = plain(rendered.forms)


def refresh_variants_of(
    tx: Transaction, source: LandingPage, doc: PageDocument, *, version: int
) -> None:
    """`source` was just published: every running test that uses it as a variant serves
    the new document from now on (the tested pages' edges are told after commit)."""
    rows = tx.session.exec(
        select(PageVariant, PageTest, LandingPage)
        .join(PageTest, col(PageTest.id) == col(PageVariant.test_id))
        .join(LandingPage, col(LandingPage.id) == col(PageTest.page_id))
        .where(
            col(PageVariant.source_page_id) == source.id,
            col(PageTest.status) == "running",
            col(PageTest.workspace_id) == source.workspace_id,
        )
    ).all()
    for variant, _test, tested in rows:
        render_variant(
            variant, doc, workspace_id=tested.workspace_id, slug=tested.slug, version=version
        )
        tx.session.add(variant)
        announce_after_commit(tx, tested)
