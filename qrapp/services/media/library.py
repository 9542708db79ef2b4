"""The workspace's media library: list and search assets, see which pages use one, delete
one that no page uses (a draft or the published version)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass

from sqlmodel import col, select

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.db import read_session, transaction
from qrapp.models import LandingPage, LandingPageVersion, MediaAsset
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor
from qrapp.services.errors import NotFound, ServiceError
from qrapp.services.media.storage import get_storage
from qrapp.services.media.uploads import meta_key, workspace_of

log = logging.getLogger(__name__)

MAX_LISTED = 500


@dataclass(frozen=True)
class AssetView:
    id: str
    kind: str
    name: str
    content_type: str
    size: int
    width: int
    height: int
    created_at: dt.datetime
    url: str
    thumb_url: str  # a small image to show in lists ("" for video, audio, files)


@dataclass(frozen=True)
class PageUse:
    page_id: str
    page_name: str
    where: str  # "draft" | "published"


def _view(a: MediaAsset) -> AssetView:
    variants = a.variants or {}
    thumb = next((v for v in ("w480", "thumb") if v in variants), "")
    if not thumb and a.kind == "image":
        thumb = "original"
    return AssetView(
        id=str(a.id),
        kind=a.kind,
        name=a.name,
        content_type=a.content_type,
        size=a.size,
        width=a.width,
        height=a.height,
        created_at=a.created_at,
        url=routes.media_path(a.id, "original"),
        thumb_url=routes.media_path(a.id, thumb) if thumb else "",
    )


def list_assets(
    *, actor: Actor, workspace_id: uuid.UUID, query: str = "", kind: str | None = None
) -> list[AssetView]:
    """The workspace's assets, newest first; `query` matches the name (any case)."""
    workspace_of(actor, workspace_id, Permission.WORKSPACE_VIEW)
    stmt = select(MediaAsset).where(col(MediaAsset.workspace_id) == workspace_id)
    if kind:
        stmt = stmt.where(col(MediaAsset.kind) == kind)
    q = query.strip()[:100]
    if q:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(col(MediaAsset.name).ilike(f"%{escaped}%", escape="\\"))
    stmt = stmt.order_by(col(MediaAsset.created_at).desc()).limit(MAX_LISTED)
    with read_session() as s:
        return [_view(a) for a in s.exec(stmt).all()]


def get_asset(*, actor: Actor, workspace_id: uuid.UUID, asset_id: uuid.UUID | str) -> AssetView:
    workspace_of(actor, workspace_id, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        return _view(_asset_or_raise(s, workspace_id, asset_id))


def _asset_or_raise(session, workspace_id: uuid.UUID, asset_id: uuid.UUID | str) -> MediaAsset:
    try:
        key = asset_id if isinstance(asset_id, uuid.UUID) else uuid.UUID(str(asset_id))
    except ValueError:
        raise NotFound("file") from None
    asset = session.get(MediaAsset, key)
    if asset is None or asset.workspace_id != workspace_id:
        raise NotFound("file")
    return asset


def _usages(session, workspace_id: uuid.UUID, asset_ids: list[str]) -> dict[str, list[PageUse]]:
    """Per asset id, the pages whose draft or published version mentions it. Blocks keep
    asset ids in their props under several names, so the documents are searched as text:
    an id is a UUID, which no other text in a page matches by chance. Each page's documents
    are read and turned to text once, however many ids are looked for."""
    uses: dict[str, list[PageUse]] = {asset_id: [] for asset_id in asset_ids}
    pages = session.exec(
        select(LandingPage).where(col(LandingPage.workspace_id) == workspace_id)
    ).all()
    for page in pages:
        draft = json.dumps(page.draft or {})
        published = ""
        if page.status == "published" and page.published_version is not None:
            version = session.exec(
                select(LandingPageVersion).where(
                    col(LandingPageVersion.page_id) == page.id,
                    col(LandingPageVersion.number) == page.published_version,
                )
            ).first()
            if version is not None:
                published = json.dumps(version.document or {})
        for asset_id, found in uses.items():
            if asset_id in draft:
                found.append(PageUse(str(page.id), page.name, "draft"))
            if asset_id in published:
                found.append(PageUse(str(page.id), page.name, "published"))
    return uses


def asset_usage(
    *, actor: Actor, workspace_id: uuid.UUID, asset_id: uuid.UUID | str
) -> list[PageUse]:
    workspace_of(actor, workspace_id, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        asset = _asset_or_raise(s, workspace_id, asset_id)
        return _usages(s, workspace_id, [str(asset.id)])[str(asset.id)]


def usage_by_asset(
    *, actor: Actor, workspace_id: uuid.UUID, asset_ids: list[str]
) -> dict[str, list[PageUse]]:
    """asset_usage for a whole list at once (the library page): the workspace's pages are
    read once, not once per file. Ids of other workspaces' assets map to no pages."""
    workspace_of(actor, workspace_id, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        return _usages(s, workspace_id, [str(i) for i in asset_ids])


def delete_asset(
    *, actor: Actor, workspace_id: uuid.UUID, asset_id: uuid.UUID | str, ip: str = ""
) -> None:
    """Delete an asset no page uses; ServiceError naming the pages otherwise."""
    workspace_of(actor, workspace_id, Permission.PAGES_EDIT)
    with transaction() as tx:
        asset = _asset_or_raise(tx.session, workspace_id, asset_id)
        uses = _usages(tx.session, workspace_id, [str(asset.id)])[str(asset.id)]
        if uses:
            names = sorted({u.page_name for u in uses})
            listed = ", ".join(f"“{n}”" for n in names[:5]) + (
                " and others" if len(names) > 5 else ""
            )
            raise ServiceError(
                f"“{asset.name}” is used on {listed}. Remove it from "
                f"{'that page' if len(names) == 1 else 'those pages'} first.",
                field="file",
            )
        keys = [meta_key(asset.id)] + [v["key"] for v in (asset.variants or {}).values()]
        tx.session.delete(asset)
        audit.record(
            tx.session,
            action=AuditAction.MEDIA_DELETED,
            actor_user_id=actor.user_id,
            workspace_id=workspace_id,
            target_type="media",
            target_id=str(asset.id),
            ip=ip,
            details={"name": asset.name},
        )
        tx.after_commit(lambda: _delete_objects(keys))


def _delete_objects(keys: list[str]) -> None:
    storage = get_storage()
    # The edge's metadata goes first: from then on every variant answers 404.
    for key in keys:
        try:
            storage.delete(key)
        except Exception:
            log.warning("could not delete media object %s", key)
