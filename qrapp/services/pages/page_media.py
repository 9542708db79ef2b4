"""The uploaded media a page document refers to, resolved in the page's workspace.

Blocks hold asset ids; rendering needs MediaRefs (URL, size, variants). Only assets of the
page's own workspace resolve: an id copied from another workspace's page is "missing",
renders nothing in the preview and stops a publish with a message naming the block."""

from __future__ import annotations

import dataclasses
import uuid

from qrapp.core.pages.content_blocks import asset_ids
from qrapp.core.pages.document import PageDocument
from qrapp.core.pages.media import MediaRef
from qrapp.core.pages.render import missing_media
from qrapp.services.errors import FieldErrors
from qrapp.services.media.refs import media_refs
from qrapp.settings import get_settings


def document_media(workspace_id: uuid.UUID, doc: PageDocument) -> dict[str, MediaRef]:
    ids = sorted({a for block in doc.blocks for a in asset_ids(block.props) if a})
    return media_refs(workspace_id, ids) if ids else {}


def publishable_media(workspace_id: uuid.UUID, doc: PageDocument) -> dict[str, MediaRef]:
    """The document's media, or FieldErrors naming the first block whose file is missing,
    of the wrong kind or not chosen yet."""
    media = document_media(workspace_id, doc)
    problem = missing_media(doc, media)
    if problem is not None:
        raise FieldErrors({"document": problem})
    return media


def workspace_asset(workspace_id: uuid.UUID, asset_id: str) -> MediaRef | None:
    """The asset when it is one of the workspace's files (the builder checks what an
    upload answered before a block refers to it)."""
    return media_refs(workspace_id, [asset_id]).get(asset_id) if asset_id else None


def preview_media(workspace_id: uuid.UUID, doc: PageDocument) -> dict[str, MediaRef]:
    """The document's media for the builder's preview: the preview is an iframe inside the
    web app, so the edge's /m/ paths become absolute edge URLs (the app's CSP allows the
    edge's origin for images and media)."""
    edge = get_settings().edge_url.rstrip("/")

    def absolute(url: str) -> str:
        return edge + url if url.startswith("/") and not url.startswith("//") else url

    return {
        asset_id: dataclasses.replace(
            ref,
            url=absolute(ref.url),
            poster_url=absolute(ref.poster_url) if ref.poster_url else "",
            srcset=tuple((absolute(u), w) for u, w in ref.srcset),
        )
        for asset_id, ref in document_media(workspace_id, doc).items()
    }
