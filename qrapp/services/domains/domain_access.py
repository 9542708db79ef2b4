"""What the edge reads about custom domains (light: no renderer, no code-editing
services; import-linter "The edge stays lean")."""

from __future__ import annotations

import uuid
from typing import TypedDict

from sqlmodel import select

from qrapp.db import read_session
from qrapp.models.domains import VERIFIED, CustomDomain


class DomainSnapshot(TypedDict):
    hostname: str
    workspace_id: str
    root_redirect_url: str
    not_found_url: str
    robots: str


def load_domain(hostname: str) -> DomainSnapshot | None:
    """The verified domain of that name, or None (unknown, pending, failed, lost)."""
    with read_session() as s:
        row = s.exec(
            select(CustomDomain).where(
                CustomDomain.hostname == hostname, CustomDomain.status == VERIFIED
            )
        ).first()
        if row is None:
            return None
        return {
            "hostname": row.hostname,
            "workspace_id": str(row.workspace_id),
            "root_redirect_url": row.root_redirect_url,
            "not_found_url": row.not_found_url,
            "robots": row.robots,
        }


def challenge_token(hostname: str, domain_id: str) -> str | None:
    """The HTTP proof's token of claim `domain_id` on `hostname` (any state), else None."""
    try:
        key = uuid.UUID(domain_id)
    except ValueError:
        return None
    with read_session() as s:
        row = s.get(CustomDomain, key)
        if row is None or row.hostname != hostname:
            return None
        return row.token
