"""Operator-wide look-ups (the CLI); not reachable from the web app."""

from __future__ import annotations

from sqlmodel import col, func, select

from qrapp.db import read_session
from qrapp.models import Membership, User


def list_users() -> list[tuple[User, int]]:
    with read_session() as s:
        counts = (
            select(Membership.user_id, func.count().label("n"))
            .group_by(col(Membership.user_id))
            .subquery()
        )
        rows = s.exec(
            select(User, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.user_id == User.id)
            .order_by(col(User.created_at))
        ).all()
    return [(u, n) for u, n in rows]
