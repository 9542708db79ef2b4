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
    wanted = as_stored(requested)
    if wanted and wanted not in names:
        # The same answer for another workspace's name and for one nobody added: which
        # domains other workspaces hold is not ours to tell.
        shown = requested.strip()[:80]
        raise FieldErrors(
            {
                "domain": f"'{shown}' is not one of your verified domains: choose one of "
                "them, or verify it under Settings -> Domains first."
            }
        )
    return wanted


def as_stored(name: str) -> str:
    """A domain as the API or a form may send it (any case, a trailing dot, Unicode
    labels) in the form it is stored in (lower case, IDNA); "" stays "" (ours)."""
    text = (name or "").strip().lower().rstrip(".")
    try:
        return text.encode("idna").decode("ascii") if text else ""
    except UnicodeError:
        return text  # not a name at all: refused as not one of the verified ones


def choices_for_workspace(workspace_id: uuid.UUID | str) -> tuple[list[str], str]:
    """choices() in its own read (the designer and the page builder load it)."""
    with read_session() as s:
        return choices(s, uuid.UUID(str(workspace_id)))


def public_base(domain: str, workspace_id: object, edge_url: str) -> str:
    """https://<domain> while it is verified for the workspace, else our edge's URL."""
    return f"https://{domain}" if domain and is_live(domain, workspace_id) else edge_url.rstrip("/")
