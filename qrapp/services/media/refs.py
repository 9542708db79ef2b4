"""Asset ids -> MediaRefs for rendering pages: only the workspace's own assets; an id of
another workspace (or none at all) is simply absent, and the block renders nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlmodel import col, select

from qrapp.core import routes
from qrapp.core.pages.media import MediaRef
from qrapp.db import read_session
from qrapp.models import MediaAsset
from qrapp.services.media.processing import WIDTHS


def _ids(asset_ids: Iterable[str | uuid.UUID]) -> list[uuid.UUID]:
    out = []
    for raw in asset_ids:
        try:
            out.append(raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw)))
        except ValueError:
            continue
    return out


def ref_of(asset: MediaAsset) -> MediaRef:
    variants: dict[str, Any] = asset.variants or {}
    srcset = tuple((routes.media_path(asset.id, f"w{w}"), w) for w in WIDTHS if f"w{w}" in variants)
    if srcset and asset.width:
        srcset += ((routes.media_path(asset.id, "original"), asset.width),)
    poster = routes.media_path(asset.id, "thumb") if "thumb" in variants else ""
    return MediaRef(
        asset_id=str(asset.id),
        kind=asset.kind,  # type: ignore[arg-type]
        url=routes.media_path(asset.id, "original"),
        content_type=asset.content_type,
        filename=asset.name,
        size=int(variants.get("original", {}).get("size", asset.size)),
        width=asset.width,
        height=asset.height,
        srcset=srcset,
        poster_url=poster,
    )


def media_refs(
    workspace_id: uuid.UUID | str, asset_ids: Iterable[str | uuid.UUID]
) -> dict[str, MediaRef]:
    """{asset id: MediaRef} for the ids that are assets of this workspace."""
    ids = _ids(asset_ids)
    if not ids:
        return {}
    ws = workspace_id if isinstance(workspace_id, uuid.UUID) else uuid.UUID(str(workspace_id))
    with read_session() as s:
        rows = s.exec(
            select(MediaAsset).where(
                col(MediaAsset.workspace_id) == ws, col(MediaAsset.id).in_(ids)
            )
        ).all()
    return {str(a.id): ref_of(a) for a in rows}
