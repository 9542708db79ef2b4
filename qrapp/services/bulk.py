"""Many rows in one PostgreSQL statement: COPY into a temporary table for inserts, one
array parameter per column (unnest()ed) for the rollup upserts.

SQLAlchemy's executemany on psycopg renders thousands of rows into one giant multi-VALUES
statement that psycopg then re-parses in Python for every batch (hundreds of microseconds
per row at the ingest's batch sizes). Sending each column as one array keeps the
statement a few hundred characters (parsed once, cached) and the rows are adapted in C.
The rows keep their order (unnest preserves it), so callers that sort rows to take locks
in a fixed order still do. PostgreSQL only: callers keep their portable statement for
SQLite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa


def _unnest(
    conn: sa.Connection, table: sa.Table, names: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> tuple[str, dict[str, list[Any]]]:
    dialect = conn.dialect
    params: dict[str, list[Any]] = {}
    parts = []
    for i, name in enumerate(names):
        col_type = table.c[name].type
        process = col_type.bind_processor(dialect)
        values = [row[name] for row in rows]
        if process is not None:
            values = [process(v) for v in values]
        params[f"c{i}"] = values
        parts.append(f"%(c{i})s::{col_type.compile(dialect=dialect)}[]")
    columns = ", ".join(dialect.identifier_preparer.quote(n) for n in names)
    # Names come from the table metadata (quoted); every value is a parameter.
    return f"({columns}) SELECT * FROM unnest({', '.join(parts)})", params  # noqa: S608


def _table(conn: sa.Connection, table: sa.Table) -> str:
    return conn.dialect.identifier_preparer.format_table(table)


def insert_new(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    conflict: Sequence[str],
    returning: Sequence[str],
) -> list[tuple]:
    """INSERT ... ON CONFLICT (conflict) DO NOTHING RETURNING returning: the rows really
    inserted. The rows go in by COPY into a temporary table of the same shape (rows
    formatted in C), then one INSERT ... SELECT in their order."""
    if not rows:
        return []
    dialect = conn.dialect
    q = dialect.identifier_preparer.quote
    names = [c.name for c in table.columns if c.name in rows[0]]
    target = _table(conn, table)
    temp = q(f"bulk_{table.name}")
    cols = ", ".join(q(n) for n in names)
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {temp} "
        f"(LIKE {target} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )  # empty here: emptied at commit, and a rolled-back batch's rows roll back too
    processors = [(n, table.c[n].type.bind_processor(dialect)) for n in names]
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {temp} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([p(row[n]) if p else row[n] for n, p in processors])
    result = conn.exec_driver_sql(
        f"INSERT INTO {target} ({cols}) SELECT {cols} FROM {temp} "  # noqa: S608 - names quoted
        f"ON CONFLICT ({', '.join(q(c) for c in conflict)}) DO NOTHING "
        f"RETURNING {', '.join(q(c) for c in returning)}"
    ).all()
    converters = [table.c[c].type.result_processor(dialect, None) for c in returning]
    if not any(converters):
        return [tuple(r) for r in result]
    return [tuple(f(v) if f else v for f, v in zip(converters, r, strict=True)) for r in result]


def upsert_adding(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    counts: Sequence[str],
) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET count = count + EXCLUDED.count. The
    rows' keys must be distinct (callers aggregate first)."""
    if not rows:
        return
    names = [c.name for c in table.columns if c.name in rows[0]]
    body, params = _unnest(conn, table, names, rows)
    q = conn.dialect.identifier_preparer.quote
    target = _table(conn, table)
    sets = ", ".join(f"{q(c)} = {target}.{q(c)} + EXCLUDED.{q(c)}" for c in counts)
    sql = (
        f"INSERT INTO {target} {body} "
        f"ON CONFLICT ({', '.join(q(c) for c in keys)}) DO UPDATE SET {sets}"
    )
    conn.exec_driver_sql(sql, params)
