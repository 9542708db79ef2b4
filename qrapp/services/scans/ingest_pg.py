"""The ingest's PostgreSQL batch: COPY the parsed events into a temporary table, then do
the rest in a few set-based statements inside the caller's transaction.

Python only parses the stream messages and writes them with COPY (rows formatted in C).
Everything that used to be a per-row loop in Python is SQL over the batch:

1. one statement: the first human scan per (code, visitor hash) is claimed in
   scan_visitor with ON CONFLICT DO NOTHING (so "unique" stays exact with several
   consumers), the batch goes into scan_event with ON CONFLICT (event_id) DO NOTHING, and
   RETURNING keeps the rows really inserted in a second temporary table, the only ones
   the rollups count;
2. the rollups, each one INSERT ... SELECT ... GROUP BY ... ON CONFLICT DO UPDATE adding,
   the dimension values grouped once per batch for the three tables that need them;
3. the codes' total_scans / last_scan_at.

Every statement that takes row locks does so in key order (ORDER BY), so concurrent
consumers never deadlock. The temporary tables are emptied at commit (and a rolled-back
batch's rows roll back with it), so a failed batch leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from qrapp.core.scan_dimensions import DIMENSION_COLUMNS, ROLLUP_VALUE_LENGTH

EVENT_COLUMNS = (
    "event_id",
    "qrcode_id",
    "workspace_id",
    "occurred_at",
    "country",
    "region",
    "city",
    "device_type",
    "os",
    "browser",
    "language",
    "referrer_host",
    "source",
    "is_bot",
    "is_unique",
    "visitor_hash",
    "rule_id",
    "variant",
    "destination",
)
_COLS = ", ".join(EVENT_COLUMNS)

_SETUP = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS ingest_batch "
    "(LIKE scan_event INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
    "CREATE TEMPORARY TABLE IF NOT EXISTS ingest_new (qrcode_id uuid, workspace_id uuid, "
    "occurred_at timestamp, hour timestamp, day date, is_bot boolean, is_unique boolean, "
    "country text, city text, device_type text, os text, browser text, language text, "
    "referrer_host text, source text) ON COMMIT DELETE ROWS",
    "CREATE TEMPORARY TABLE IF NOT EXISTS ingest_dims (qrcode_id uuid, workspace_id uuid, "
    "hour timestamp, day date, dimension text, value text, scans bigint, uniques bigint, "
    "bots bigint) ON COMMIT DELETE ROWS",
)

# The batch's columns as inserted: is_unique is true where this batch's claim won.
_BATCH_COLS = ", ".join(
    f"b.{c}" if c != "is_unique" else "c.qrcode_id IS NOT NULL" for c in EVENT_COLUMNS
)

# Claims each (code, visitor hash)'s first human scan of the batch in scan_visitor, inserts
# the batch with is_unique set where the claim was ours, and keeps the rows really
# inserted (with their UTC hour and day) in ingest_new. One statement, hash joins.
# A redelivered copy of a stored event claims nothing: its original already holds (or
# found taken) the pair, and scan_visitor keeps pairs longer than a visitor hash lives
# (hashes rotate daily, rows are purged after two days). Timestamps are stored as naive
# UTC (models.types.UTCDateTime): date_trunc and ::date are UTC hours and days, as in the
# SQLite path.
_INSERT_EVENTS = f"""
WITH firsts AS (
  SELECT DISTINCT ON (b.qrcode_id, b.visitor_hash)
         b.event_id, b.qrcode_id, b.visitor_hash, b.occurred_at::date AS day
  FROM ingest_batch b
  WHERE NOT b.is_bot AND b.visitor_hash <> ''
  ORDER BY b.qrcode_id, b.visitor_hash, b.occurred_at, b.event_id
), claimed AS (
  INSERT INTO scan_visitor (qrcode_id, visitor_hash, day)
  SELECT qrcode_id, visitor_hash, day FROM firsts ORDER BY qrcode_id, visitor_hash
  ON CONFLICT (qrcode_id, visitor_hash) DO NOTHING
  RETURNING qrcode_id, visitor_hash
), ins AS (
  INSERT INTO scan_event ({_COLS})
  SELECT {_BATCH_COLS}
  FROM ingest_batch b
  LEFT JOIN firsts f ON f.event_id = b.event_id
  LEFT JOIN claimed c ON c.qrcode_id = f.qrcode_id AND c.visitor_hash = f.visitor_hash
  ORDER BY b.occurred_at, b.event_id
  ON CONFLICT (event_id) DO NOTHING
  RETURNING qrcode_id, workspace_id, occurred_at, is_bot, is_unique, country, city,
            device_type, os, browser, language, referrer_host, source
)
INSERT INTO ingest_new
SELECT qrcode_id, workspace_id, occurred_at, date_trunc('hour', occurred_at),
       occurred_at::date, is_bot, is_unique, country, city, device_type, os, browser,
       language, referrer_host, source
FROM ins
"""  # noqa: S608 - column names are constants

_COUNTS = (
    "count(*) FILTER (WHERE NOT is_bot), count(*) FILTER (WHERE NOT is_bot AND is_unique), "
    "count(*) FILTER (WHERE is_bot)"
)
_SUMS = "sum(scans), sum(uniques), sum(bots)"

# One row per code, hour and dimension value of the batch: the three dimension rollups
# read this instead of exploding every event three times. One GROUP BY per dimension over
# the batch is cheaper than exploding each event into eight rows and grouping those (the
# city value is the bare city, as city_value keeps it).
_PER_DIMENSION = (
    "SELECT qrcode_id, workspace_id, hour, day, '{name}', left({column}, {length}), {counts} "
    "FROM ingest_new GROUP BY qrcode_id, workspace_id, hour, day, {column}"
)
_EXPLODE = "INSERT INTO ingest_dims " + " UNION ALL ".join(
    _PER_DIMENSION.format(name=name, column=column, length=ROLLUP_VALUE_LENGTH, counts=_COUNTS)
    for name, column in DIMENSION_COLUMNS.items()
)

_ADD = ", ".join(f"{c} = {{t}}.{c} + EXCLUDED.{c}" for c in ("scans", "uniques", "bots"))


def _rollup(table: str, keys: str, extra: str, source: str, counts: str) -> str:
    """INSERT the batch's totals per key into `table`, adding to rows already there."""
    columns = f"{keys}, {extra}" if extra else keys
    return (
        f"INSERT INTO {table} ({columns}, scans, uniques, bots) "  # noqa: S608 - constants
        f"SELECT {columns}, {counts} FROM {source} GROUP BY {columns} ORDER BY {keys} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {_ADD.format(t=table)}"
    )


_ROLLUPS = (
    _rollup("scan_hourly", "qrcode_id, hour", "workspace_id", "ingest_new", _COUNTS),
    _rollup("scan_code_daily", "qrcode_id, day", "workspace_id", "ingest_new", _COUNTS),
    _rollup("scan_ws_hourly", "workspace_id, hour", "", "ingest_new", _COUNTS),
    _rollup(
        "scan_dimension_daily",
        "qrcode_id, day, dimension, value",
        "workspace_id",
        "ingest_dims",
        _SUMS,
    ),
    _rollup(
        "scan_ws_dimension_daily", "workspace_id, day, dimension, value", "", "ingest_dims", _SUMS
    ),
    _rollup(
        "scan_ws_dimension_hourly", "workspace_id, hour, dimension, value", "", "ingest_dims", _SUMS
    ),
)

# Lock the codes in id order first (NO KEY UPDATE: the batch's own foreign-key share
# locks on them do not conflict), then add the human scans.
_LOCK_CODES = (
    "SELECT id FROM qr_code WHERE id IN (SELECT DISTINCT qrcode_id FROM ingest_new) "
    "ORDER BY id FOR NO KEY UPDATE"
)
_CODE_TOTALS = """
UPDATE qr_code q SET total_scans = q.total_scans + s.n,
                     last_scan_at = greatest(q.last_scan_at, s.last)
FROM (SELECT qrcode_id, count(*) AS n, max(occurred_at) AS last
      FROM ingest_new WHERE NOT is_bot GROUP BY qrcode_id) s
WHERE q.id = s.qrcode_id
"""
_PER_WORKSPACE = (
    "SELECT workspace_id, count(*) FILTER (WHERE NOT is_bot), max(occurred_at) "
    "FROM ingest_new GROUP BY workspace_id"
)


def store(
    conn: sa.Connection, rows: Sequence[dict[str, Any]]
) -> tuple[int, dict[str, dict[str, Any]]]:
    """Insert the rows (distinct event ids, codes that exist) and roll up the ones really
    new. Returns how many were new and, per workspace, their human count and newest time."""
    for statement in _SETUP:
        conn.exec_driver_sql(statement)
    driver = conn.connection.driver_connection
    assert driver is not None  # a checked-out connection has its psycopg connection
    cursor = driver.cursor()
    with cursor.copy(f"COPY ingest_batch ({_COLS}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row(
                (
                    r["event_id"],
                    r["qrcode_id"],
                    r["workspace_id"],
                    r["occurred_at"].replace(tzinfo=None),
                    r["country"],
                    r["region"],
                    r["city"],
                    r["device_type"],
                    r["os"],
                    r["browser"],
                    r["language"],
                    r["referrer_host"],
                    r["source"],
                    r["is_bot"],
                    False,
                    r["visitor_hash"],
                    r["rule_id"],
                    r["variant"],
                    r["destination"],
                )
            )
    # The temporary tables have no statistics (ANALYZE would cost more than it saves), so
    # the planner takes the batch for a handful of rows and would join the batch to its
    # claims by nested loops, quadratic in the batch. This statement only joins the batch
    # with itself: hash joins, whatever the estimate.
    conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
    inserted = conn.exec_driver_sql(_INSERT_EVENTS).rowcount
    conn.exec_driver_sql("SET LOCAL enable_nestloop = on")
    if not inserted:
        return 0, {}
    conn.exec_driver_sql(_EXPLODE)
    for statement in _ROLLUPS:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql(_LOCK_CODES)
    conn.exec_driver_sql(_CODE_TOTALS)
    per_workspace = {
        str(ws): {"count": int(n), "last_event_at": last.replace(tzinfo=dt.UTC)}
        for ws, n, last in conn.exec_driver_sql(_PER_WORKSPACE)
    }
    return inserted, per_workspace
