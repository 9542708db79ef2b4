"""The uploaded media a page document refers to, resolved in the page's workspace.

Blocks hold asset ids; rendering needs MediaRefs (URL, size, variants). Only assets of the
page's own workspace resolve: an id copied from another workspace's page is "missing",
renders nothing in the preview and stops a publish with a message naming the block."""

from __future__ import annotations

import uuid

from qrapp.core.pages.content_blocks import asset_ids
from qrapp.core.pages.document import PageDocument
from qrapp.core.pages.media import MediaRef
from qrapp.core.pages.render import missing_media
from qrapp.services.errors import FieldErrors
from qrapp.services.media.refs import media_refs


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
