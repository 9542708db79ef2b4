"""Landing pages: list, read (the draft document and the published versions), publish
(services/pages/editing.py and publishing.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from qrapp.api.v1.deps import caller
from qrapp.core.api_scopes import Scope
from qrapp.services.authz import Actor
from qrapp.services.pages import editing, publishing
from qrapp.settings import get_settings

router = APIRouter(prefix="/pages", tags=["landing pages"])

Reader = Annotated[Actor, Depends(caller(Scope.PAGES_READ))]
Writer = Annotated[Actor, Depends(caller(Scope.PAGES_WRITE))]


def _public_url(slug: str, status: str) -> str | None:
    """Where the edge serves a published page (as the builder shows it)."""
    if status != "published":
        return None
    return f"{get_settings().edge_url.rstrip('/')}/p/{slug}"


class Page(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    status: str = Field(description="draft, published or unpublished")
    public_url: str | None
    views: int
    published_version: int | None
    published_at: dt.datetime | None
    updated_at: dt.datetime


class PageList(BaseModel):
    items: list[Page]


class PageVersion(BaseModel):
    number: int
    created_at: dt.datetime
    author: str
    is_live: bool


class PageDetail(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    status: str
    public_url: str | None
    published_version: int | None
    published_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    draft: dict[str, Any] = Field(description="The page document the builder edits.")
    draft_revision: int
    versions: list[PageVersion] = Field(description="Newest first.")


class PublishRequest(BaseModel):
    revision: int | None = Field(
        None,
        description="The draft revision you read; a draft changed since is refused "
        "instead of published unseen.",
    )


def _detail(actor: Actor, page_id: uuid.UUID) -> PageDetail:
    page = editing.get_page(actor=actor, page_id=page_id)
    versions = publishing.list_versions(actor=actor, page_id=page_id)
    return PageDetail(
        id=page.id,
        name=page.name,
        slug=page.slug,
        status=page.status,
        public_url=_public_url(page.slug, page.status),
        published_version=page.published_version,
        published_at=page.published_at,
        created_at=page.created_at,
        updated_at=page.updated_at,
        draft=page.draft,
        draft_revision=page.draft_revision,
        versions=[
            PageVersion(
                number=v.number, created_at=v.created_at, author=v.author, is_live=v.is_live
            )
            for v in versions
        ],
    )


@router.get("", operation_id="listPages", summary="List landing pages")
def list_pages(actor: Reader) -> PageList:
    return PageList(
        items=[
            Page(
                id=p.id,
                name=p.name,
                slug=p.slug,
                status=p.status,
                public_url=_public_url(p.slug, p.status),
                views=p.views,
                published_version=p.published_version,
                published_at=p.published_at,
                updated_at=p.updated_at,
            )
            for p in editing.list_pages(actor=actor)
        ]
    )


@router.get("/{page_id}", operation_id="getPage", summary="Read a landing page")
def get_page(page_id: uuid.UUID, actor: Reader) -> PageDetail:
    return _detail(actor, page_id)


@router.post(
    "/{page_id}/publish",
    operation_id="publishPage",
    summary="Publish a landing page's draft as a new version",
    responses={409: {"description": "The draft changed since the `revision` you read."}},
)
def publish_page(
    page_id: uuid.UUID, actor: Writer, body: PublishRequest | None = None
) -> PageDetail:
    publishing.publish(actor=actor, page_id=page_id, revision=body.revision if body else None)
    return _detail(actor, page_id)
