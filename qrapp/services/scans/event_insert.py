"""Storing a batch of raw events (scans or page events) once each: the batch in time
order, each row marked first-of-the-day for its visitor, then INSERT ... ON CONFLICT
(event_id) DO NOTHING RETURNING, so a batch read again after a crash adds nothing twice.
The two ingest paths differ only in the table and in how a visitor is told apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from qrapp.db import dialect_insert, table_of

Row = dict[str, Any]


def insert_new(
    conn: sa.Connection,
    model: type,
    kept: list[Row],
    mark_unique: Callable[[sa.Connection, list[Row]], set[int]],
) -> list[Row]:
    """The rows of `kept` that were not stored before, now stored (with is_unique set)."""
    # (UUID order is the order of their text: fixed-width lower-case hex.)
    kept.sort(key=lambda r: (r["occurred_at"], r["event_id"].int))
    unique_rows = mark_unique(conn, kept)
    for r in kept:
        r["is_unique"] = id(r) in unique_rows
    table = table_of(model)
    stmt = (
        dialect_insert(conn, table)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(table.c.event_id)
    )
    inserted_ids = set(conn.execute(stmt, kept).scalars().all())
    return [r for r in kept if r["event_id"] in inserted_ids]
