"""Uploaded bulk files waiting for their dry run and start, kept on disk by a random key.

The web state keeps only the key: with Reflex's Redis state manager every event pickles
the state, and a 10 MB spreadsheet (or 50,000 validated rows) in it would be written back
on each progress poll. The report CSV of the last dry run sits beside the upload so its
download needs no second dry run. An entry belongs to the workspace and person who
uploaded it; anyone else gets "not found". Entries older than a day are swept on upload.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from qrapp.core.permissions import Permission
from qrapp.services.authz import Actor, require
from qrapp.services.errors import ServiceError
from qrapp.settings import get_settings

MAX_AGE_SECONDS = 24 * 3600
_KEY_CHARS = set("0123456789abcdef")


class UploadGone(ServiceError):
    def __init__(self) -> None:
        super().__init__("The uploaded file is no longer here. Please upload it again.")


@dataclass(frozen=True)
class SpooledFile:
    key: str
    filename: str
    data: bytes


def spool_dir() -> Path:
    return Path(get_settings().bulk_dir) / "uploads"


def _paths(key: str) -> tuple[Path, Path, Path]:
    if len(key) != 32 or not set(key) <= _KEY_CHARS:
        raise UploadGone()
    base = spool_dir()
    return base / f"{key}.data", base / f"{key}.json", base / f"{key}.report.csv"


def _sweep(base: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in base.glob("*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another process swept it first


def save_upload(*, actor: Actor, filename: str, data: bytes) -> str:
    workspace_id = require(actor, Permission.BULK_RUN)
    base = spool_dir()
    base.mkdir(parents=True, exist_ok=True)
    _sweep(base)
    key = secrets.token_hex(16)
    data_path, meta_path, _ = _paths(key)
    data_path.write_bytes(data)
    meta = {"workspace": str(workspace_id), "user": str(actor.user_id), "filename": filename}
    meta_path.write_text(json.dumps(meta))
    return key


def _check_owner(actor: Actor, meta_path: Path) -> dict:
    workspace_id = require(actor, Permission.BULK_RUN)
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        raise UploadGone() from None
    if meta.get("workspace") != str(workspace_id) or meta.get("user") != str(actor.user_id):
        raise UploadGone()
    return meta


def load_upload(*, actor: Actor, key: str) -> SpooledFile:
    data_path, meta_path, _ = _paths(key)
    meta = _check_owner(actor, meta_path)
    try:
        return SpooledFile(key=key, filename=meta["filename"], data=data_path.read_bytes())
    except OSError:
        raise UploadGone() from None


def save_report(*, actor: Actor, key: str, report_csv: bytes) -> None:
    _, meta_path, report_path = _paths(key)
    _check_owner(actor, meta_path)
    report_path.write_bytes(report_csv)


def load_report(*, actor: Actor, key: str) -> bytes:
    _, meta_path, report_path = _paths(key)
    _check_owner(actor, meta_path)
    try:
        return report_path.read_bytes()
    except OSError:
        raise UploadGone() from None


def discard(*, actor: Actor, key: str) -> None:
    paths = _paths(key)
    _check_owner(actor, paths[1])
    for path in paths:
        path.unlink(missing_ok=True)
