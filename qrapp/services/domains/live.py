"""Which custom domains are live now (verified), for choosing a code's domain and for the
short URL every screen shows: a code on a domain that is not verified (lost, moved,
removed) shows, and works on, our default domain instead."""

from __future__ import annotations

import threading
import time
import uuid

from sqlmodel import Session, col, select

from qrapp.db import read_session
from qrapp.models.domains import VERIFIED, CustomDomain
from qrapp.services.errors import FieldErrors

# Short URLs are shown on every list: one read per process per few seconds, not per row.
_TTL_SECONDS = 3.0
_lock = threading.Lock()
_cache: tuple[float, dict[str, str]] = (0.0, {})


def verified_owners() -> dict[str, str]:
    """hostname -> workspace id (str) of every verified domain."""
    global _cache
    now = time.monotonic()
    with _lock:
        if _cache[0] > now:
            return _cache[1]
    with read_session() as s:
        rows = s.exec(
            select(CustomDomain.hostname, CustomDomain.workspace_id).where(
                CustomDomain.status == VERIFIED
            )
        ).all()
    owners = {h: str(w) for h, w in rows}
    with _lock:
        _cache = (now + _TTL_SECONDS, owners)
    return owners


def forget() -> None:
    """Drop the cache (after a change in this process: tests, the settings page)."""
    global _cache
    with _lock:
        _cache = (0.0, {})


def is_live(domain: str, workspace_id: object) -> bool:
    return verified_owners().get(domain) == str(workspace_id)


def choices(session: Session, workspace_id: uuid.UUID) -> tuple[list[str], str]:
    """(the workspace's verified hostnames, its default one or "")."""
    rows = session.exec(
        select(CustomDomain.hostname, CustomDomain.is_default)
        .where(CustomDomain.workspace_id == workspace_id, CustomDomain.status == VERIFIED)
        .order_by(col(CustomDomain.hostname))
    ).all()
    return [h for h, _d in rows], next((h for h, d in rows if d), "")


def domain_for_code(session: Session, workspace_id: uuid.UUID, requested: str | None) -> str:
    """The domain a new code gets: `requested` ("" is our default domain) when it is one of
    the workspace's verified domains, the workspace's default when None."""
    names, default = choices(session, workspace_id)
    if requested is None:
        return default
    requested = requested.strip().lower()
    if requested and requested not in names:
        raise FieldErrors({"domain": "Choose one of your verified domains."})
    return requested
