"""Uploading media to a workspace's library, checked on the server.

Order matters: authorise, detect the type from the bytes, check the name against it, the
size cap of its kind and the workspace quota, then decode and re-encode (images) or open
(PDFs). Only when every check passed is anything written: the variants under keys the
server chose ("<asset id>/<variant>"), the edge's metadata ("<asset id>/meta.json", so
serving never waits on the database), then the row with its audit entry. A failure after
the first write removes what was written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from qrapp.core.ids import uuid7
from qrapp.core.permissions import Permission
from qrapp.core.plans import Resource
from qrapp.db import read_session, transaction
from qrapp.models import MediaAsset
from qrapp.services import audit
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.errors import NotFound
from qrapp.services.media import detect
from qrapp.services.media.processing import UploadRefused, Variant, image_variants, pdf_thumbnail
from qrapp.services.media.storage import Storage, get_storage
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

__all__ = ["UploadRefused", "meta_key", "upload", "workspace_of"]

_KIND_LABEL = {"image": "Images", "pdf": "PDFs", "video": "Videos", "audio": "Audio files"}


def workspace_of(actor: Actor, workspace_id: uuid.UUID, permission: Permission) -> uuid.UUID:
    """The workspace, when the actor is in it with `permission`: another workspace is
    answered like a missing one, a too-small role with PermissionDenied."""
    if actor.workspace_id != workspace_id:
        raise NotFound("workspace")
    return require(actor, permission)


def meta_key(asset_id: uuid.UUID | str) -> str:
    return f"{asset_id}/meta.json"


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return (
            f"{n / (1024 * 1024):,.0f} MB"
            if n >= 10 * 1024 * 1024
            else f"{n / (1024 * 1024):.1f} MB"
        )
    return f"{max(1, n // 1024)} KB"


def _cap(kind: str) -> int:
    s = get_settings()
    return {
        "image": s.media_max_image_bytes,
        "pdf": s.media_max_pdf_bytes,
        "video": s.media_max_video_bytes,
        "audio": s.media_max_audio_bytes,
    }.get(kind, s.media_max_file_bytes)


def check(filename: str, data: bytes) -> tuple[detect.Detected, str]:
    """The detected type and the display name, or UploadRefused."""
    if not data:
        raise UploadRefused("This file is empty. Choose another file.")
    found = detect.sniff(data)
    if found.kind == "svg":
        raise UploadRefused(
            "SVG images cannot be uploaded: they can carry scripts. Export the image as PNG "
            "or JPEG and upload that."
        )
    if found.kind == "heic":
        raise UploadRefused(
            "HEIC photos cannot be uploaded yet. Choose 'Most Compatible' (JPEG) in the "
            "camera settings, or export the photo as JPEG, and upload that."
        )
    claimed = detect.name_kind(filename or "")
    ext = (filename or "").rpartition(".")[2].lower()
    if claimed is not None and claimed != found.kind:
        if found.kind == "file":  # content of no kind we know
            raise UploadRefused(f"This file is named .{ext} but is not {detect.EXPECTED[claimed]}.")
        raise UploadRefused(
            f"This file is named .{ext} but is {detect.kind_word(found.kind)}. Rename it "
            f"to .{found.ext} or upload the right file."
        )
    cap = _cap(found.kind)
    if len(data) > cap:
        label = _KIND_LABEL.get(found.kind, "Files")
        raise UploadRefused(
            f"{label} can be at most {human_size(cap)}; this one is {human_size(len(data))}."
        )
    return found, detect.display_name(filename, found.ext)


def _variants(found: detect.Detected, data: bytes) -> list[Variant]:
    if found.kind == "image":
        return image_variants(data, max_pixels=get_settings().media_max_image_pixels)
    variants = [Variant("original", data, found.content_type)]
    if found.kind == "pdf":
        variants.append(pdf_thumbnail(data))
    return variants


def _used_bytes(session, workspace_id: uuid.UUID) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(MediaAsset.size), 0)).where(
            col(MediaAsset.workspace_id) == workspace_id
        )
    ).one()
    return int(total or 0)


def _check_plan_room(session, workspace_id: uuid.UUID, used: int, total: int) -> None:
    """The plan's media storage, counting every variant of the new file."""
    the_plan = entitlements.plan_for(session, workspace_id)
    limit = the_plan.media_bytes
    if limit is not None and used + total > limit:
        raise entitlements.PlanLimitReached(
            Resource.MEDIA_BYTES,
            the_plan,
            f"This upload needs {human_size(total)}; your {the_plan.name} plan includes "
            f"{entitlements.quantity(limit, Resource.MEDIA_BYTES)} and "
            f"{human_size(max(0, limit - used))} is left. Upgrade your plan, or delete "
            "media you no longer use.",
        )


def upload(
    *, actor: Actor, workspace_id: uuid.UUID, filename: str, data: bytes, ip: str = ""
) -> MediaAsset:
    """Check, process and store one file; the new MediaAsset. UploadRefused (a
    ServiceError) with a message to show when the file is refused: nothing is stored."""
    workspace_of(actor, workspace_id, Permission.PAGES_EDIT)
    found, name = check(filename, data)
    variants = _variants(found, data)
    total = sum(len(v.data) for v in variants)
    quota = get_settings().media_quota_bytes
    with read_session() as s:
        used = _used_bytes(s, workspace_id)
        _check_plan_room(s, workspace_id, used, total)
    if used + total > quota:
        raise UploadRefused(
            f"This upload needs {human_size(total)} but the workspace has "
            f"{human_size(max(0, quota - used))} of its {human_size(quota)} left. Delete "
            "media you no longer use and try again."
        )
    asset_id = uuid7()
    main = variants[0]
    record: dict[str, dict[str, Any]] = {
        v.name: {
            "key": f"{asset_id}/{v.name}",
            "content_type": v.content_type,
            "size": len(v.data),
            "width": v.width,
            "height": v.height,
        }
        for v in variants
    }
    checksum = hashlib.sha256(data).hexdigest()
    storage = get_storage()
    written: list[str] = []
    try:
        for v in variants:
            storage.put(record[v.name]["key"], v.data, v.content_type)
            written.append(record[v.name]["key"])
        meta = {
            "id": str(asset_id),
            "workspace_id": str(workspace_id),
            "kind": found.kind,
            "name": name,
            "checksum": checksum,
            "variants": record,
        }
        storage.put(meta_key(asset_id), json.dumps(meta).encode(), "application/json")
        written.append(meta_key(asset_id))
        with transaction() as tx:
            # Checked again in the writing transaction: two uploads racing past the first
            # check cannot both go over the quota by much (one asset at most).
            entitlements.lock_workspace(tx.session, workspace_id)
            used = _used_bytes(tx.session, workspace_id)
            _check_plan_room(tx.session, workspace_id, used, total)
            if used + total > quota:
                raise UploadRefused("The workspace's media storage is full.")
            asset = MediaAsset(
                id=asset_id,
                workspace_id=workspace_id,
                kind=found.kind,
                name=name,
                content_type=main.content_type,
                size=total,
                checksum=checksum,
                width=main.width,
                height=main.height,
                variants=record,
                created_by=actor.user_id,
            )
            tx.session.add(asset)
            audit.record(
                tx.session,
                action=AuditAction.MEDIA_UPLOADED,
                actor_user_id=actor.user_id,
                workspace_id=workspace_id,
                target_type="media",
                target_id=str(asset_id),
                ip=ip,
                details={"name": name, "kind": found.kind, "size": total},
            )
        return asset
    except BaseException:
        _remove(storage, written)
        raise


def _remove(storage: Storage, keys: list[str]) -> None:
    for key in reversed(keys):
        try:
            storage.delete(key)
        except Exception:
            log.warning("could not remove %s after a failed upload", key)
