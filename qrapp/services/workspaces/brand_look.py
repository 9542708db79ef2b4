"""A workspace's brand as visitors see it (qrapp.core.brand's "look"), read for the edge's
link and page snapshots (services.codes.code_access, services.pages.page_access) and the
Settings preview. No actor: it says only what every visitor of the workspace's pages sees.

The plan decides (qrapp.core.plans): Free shows our neutral look whatever is stored (a
brand kept from a paid plan comes back with the plan); paid plans show the brand with
"Powered by qrapp"; a plan with `white_label` removes that line, and shows the workspace's
name in our place even before a brand is set, so no page carries our name.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from qrapp.core import routes
from qrapp.core.brand import Look
from qrapp.core.plans import plan
from qrapp.models import MediaAsset, Workspace, WorkspaceBrand


def _image_url(asset: MediaAsset | None, preferred: tuple[str, ...]) -> str:
    if asset is None or asset.kind != "image":
        return ""
    variants = asset.variants or {}
    variant = next((v for v in preferred if v in variants), "original")
    return routes.media_path(asset.id, variant)


def look_of(ws: Workspace, row: WorkspaceBrand | None, assets: dict[Any, MediaAsset]) -> Look:
    the_plan = plan(ws.plan)
    if not the_plan.is_paid:
        return {}
    if row is None:
        return {"name": ws.name, "powered_by": False} if the_plan.white_label else {}
    return {
        "name": row.name or ws.name,
        "logo": _image_url(assets.get(row.logo_asset_id), ("w480", "thumb")),
        "favicon": _image_url(assets.get(row.favicon_asset_id), ("thumb", "w480")),
        "primary": row.primary_colour,
        "accent": row.accent_colour,
        "support_email": row.support_email,
        "powered_by": not the_plan.white_label,
    }


def look_for(session: Session, workspace_id: uuid.UUID | str) -> Look:
    """The look for a workspace's public pages ({} = ours)."""
    wid = workspace_id if isinstance(workspace_id, uuid.UUID) else uuid.UUID(str(workspace_id))
    ws = session.get(Workspace, wid)
    if ws is None:
        return {}
    row = session.get(WorkspaceBrand, wid)
    assets: dict[Any, MediaAsset] = {}
    ids = [i for i in (row.logo_asset_id, row.favicon_asset_id) if i] if row else []
    if ids:
        found = session.exec(
            select(MediaAsset).where(
                col(MediaAsset.id).in_(ids), col(MediaAsset.workspace_id) == wid
            )
        ).all()
        assets = {a.id: a for a in found}
    return look_of(ws, row, assets)
