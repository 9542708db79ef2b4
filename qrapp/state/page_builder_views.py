"""The landing-page builder's view models (state/page_builder.py): the block list's rows,
the palette, the versions, which files an asset picker offers, upload targets, and the
published page's address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypedDict

from qrapp.core import routes
from qrapp.core.pages.blocks import REGISTRY
from qrapp.settings import get_settings
from qrapp.state import page_doc_ops as ops

# Which of the workspace's files an asset picker of each kind offers.
PICKER_KINDS = {
    "image": ("image",),
    "video": ("video",),
    "audio": ("audio",),
    "file": ("pdf", "file", "image", "video", "audio"),
}
# Where an upload goes: "<field>" of the block, or "<list path>|<row>|<field>".
UPLOAD_TARGET = re.compile(
    r"^[a-z_]{1,40}(\.[0-9]{1,3}\.[a-z_]{1,40})*(\|[0-9]{1,3}\|[a-z_]{1,40})?$"
)


def upload_input_id(target: str) -> str:
    """The id of the file input of an asset field (the component builds the same)."""
    return "upload-" + target.replace("|", "-")


class BlockView(TypedDict):
    id: str
    type: str
    title: str
    icon: str
    summary: str
    index: int


class PaletteView(TypedDict):
    key: str
    title: str
    description: str
    icon: str


class VersionView(TypedDict):
    number: int
    when: str
    who: str
    live: bool


PALETTE = [
    PaletteView(key=t.key, title=t.title, description=t.description, icon=t.icon)
    for t in REGISTRY.values()
]


def public_page_url(slug: str) -> str:
    """Where the edge serves a published page."""
    return get_settings().edge_url.rstrip("/") + routes.public_page(slug)


def block_views(blocks: list[dict[str, Any]]) -> list[BlockView]:
    """The block list's rows: each block's kind, icon and a one-line summary."""
    return [
        BlockView(
            id=str(b.get("id")),
            type=str(b.get("type")),
            title=REGISTRY[b["type"]].title if b.get("type") in REGISTRY else "Block",
            icon=REGISTRY[b["type"]].icon if b.get("type") in REGISTRY else "square",
            summary=ops.summary(b),
            index=i,
        )
        for i, b in enumerate(blocks)
    ]


def version_views(versions: Iterable[Any]) -> list[VersionView]:
    """The versions panel's rows (editing.list_versions' rows, newest first)."""
    return [
        VersionView(
            number=v.number,
            when=v.created_at.strftime("%Y-%m-%d %H:%M"),
            who=v.author,
            live=v.is_live,
        )
        for v in versions
    ]
