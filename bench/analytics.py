"""Benchmark: the dashboard's queries on 1M and 10M synthetic scans in PostgreSQL, beside
the same aggregations computed straight from the raw scan_event table.

    .venv/bin/python bench/analytics.py [--sizes 1000000,10000000] [--runs 15]

Uses BENCH_DATABASE_URL if set, else starts a throwaway PostgreSQL (initdb in a temp
folder, as the postgres user when run as root). Data: 1,000 codes of one workspace, 180
days, 60 countries (skewed), 4 device types, a diurnal curve, 5% bots; generated with
generate_series in the database, rollups built with INSERT ... SELECT the way the ingest
keeps them. Prints p50/p95 per query for a 90-day workspace view and a single-code view,
the whole page's data (`dashboard.build`), and the ratio to the raw-table baseline.
Targets (issue 6) at 10M: every dashboard query p95 <= 100 ms, the whole page <= 300 ms.

Over 400 lines on purpose: one runnable script (data generator, both query sets and the
report) that can be copied next to an old checkout and run alone.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

WS = uuid.UUID("01900000-0000-7000-8000-00000000beef")
NOW = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)


@contextlib.contextmanager
def throwaway_postgres():
    if url := os.environ.get("BENCH_DATABASE_URL"):
        yield url
        return
    from bench._env import need_postgres

    need_postgres()
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    tmp = Path(tempfile.mkdtemp(prefix="qrapp-bench-"))
    data = tmp / "pg"
    data.mkdir()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if os.getuid() == 0:
        shutil.chown(tmp, "postgres")
        shutil.chown(data, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(
        [
            *as_pg,
            str(pg_bin / "initdb"),
            "-D",
            str(data),
            "-U",
            "qrapp",
            "--auth=trust",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    opts = (
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB "
        "-c work_mem=64MB -c max_wal_size=4GB"
    )
    subprocess.run(
        [
            *as_pg,
            str(pg_bin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(data / "log"),
            "-w",
            "-o",
            opts,
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            [
                *as_pg,
                str(pg_bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "qrapp",
                "bench",
            ],
            check=True,
        )
        yield f"postgresql+psycopg://qrapp@127.0.0.1:{port}/bench"
    finally:
        subprocess.run(
            [*as_pg, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(tmp, ignore_errors=True)


LOAD = """
TRUNCATE scan_ws_dimension_hourly, scan_ws_dimension_daily, scan_ws_hourly, scan_code_daily,
  scan_dimension_daily, scan_hourly, scan_event;
INSERT INTO scan_event (event_id, qrcode_id, workspace_id, occurred_at, country, region, city,
  device_type, os, browser, language, referrer_host, source, is_bot, is_unique, visitor_hash,
  variant, destination)
WITH k AS (SELECT (SELECT array_agg(id ORDER BY n) FROM bench_codes) AS codes,
                  (SELECT array_agg(code ORDER BY n) FROM bench_countries) AS countries),
r AS (SELECT g, k.codes[1 + floor(random() ^ 2 * 1000)::int] AS code_id,
             k.countries[1 + floor(random() ^ 2.5 * 60)::int] AS country
      FROM generate_series(1, :n) g, k)
SELECT md5(g::text || 'e' || :n)::uuid, r.code_id, :ws,
  :now - (random() ^ 1.3) * interval '180 days',
  r.country, '', r.country || '-city-' || (floor(random() ^ 2 * 20))::int,
  (ARRAY['mobile','mobile','mobile','tablet','desktop'])[1 + floor(random() * 5)::int],
  (ARRAY['iOS','Android','Android','Windows','macOS'])[1 + floor(random() * 5)::int],
  (ARRAY['Safari','Chrome','Chrome','Firefox','Edge'])[1 + floor(random() * 5)::int],
  (ARRAY['en','sv','de','fr','es','pt'])[1 + floor(random() * 6)::int],
  (ARRAY['','','','instagram.com','news.example'])[1 + floor(random() * 5)::int],
  CASE WHEN random() < 0.85 THEN 'qr' ELSE 'link' END,
  random() < 0.05, random() < 0.7, '', '', ''
FROM r;
UPDATE scan_event SET is_unique = false WHERE is_bot;
INSERT INTO scan_hourly (qrcode_id, hour, workspace_id, scans, uniques, bots)
SELECT qrcode_id, date_trunc('hour', occurred_at), workspace_id,
  count(*) FILTER (WHERE NOT is_bot), count(*) FILTER (WHERE NOT is_bot AND is_unique),
  count(*) FILTER (WHERE is_bot)
FROM scan_event GROUP BY 1, 2, 3;
INSERT INTO scan_dimension_daily (qrcode_id, day, dimension, value, workspace_id, scans,
  uniques, bots)
SELECT e.qrcode_id, e.occurred_at::date, d.dim, d.val, e.workspace_id,
  count(*) FILTER (WHERE NOT is_bot), count(*) FILTER (WHERE NOT is_bot AND is_unique),
  count(*) FILTER (WHERE is_bot)
FROM scan_event e CROSS JOIN LATERAL (VALUES
  ('country', e.country),
  ('city', e.city),
  ('device', e.device_type), ('os', e.os), ('browser', e.browser), ('language', e.language),
  ('referrer', e.referrer_host), ('source', e.source)) d(dim, val)
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO scan_code_daily (qrcode_id, day, workspace_id, scans, uniques, bots)
SELECT qrcode_id, hour::date, workspace_id, sum(scans), sum(uniques), sum(bots)
FROM scan_hourly GROUP BY 1, 2, 3;
INSERT INTO scan_ws_hourly (workspace_id, hour, scans, uniques, bots)
SELECT workspace_id, hour, sum(scans), sum(uniques), sum(bots) FROM scan_hourly GROUP BY 1, 2;
INSERT INTO scan_ws_dimension_daily (workspace_id, day, dimension, value, scans, uniques, bots)
SELECT workspace_id, day, dimension, value, sum(scans), sum(uniques), sum(bots)
FROM scan_dimension_daily GROUP BY 1, 2, 3, 4;
INSERT INTO scan_ws_dimension_hourly (workspace_id, hour, dimension, value, scans, uniques,
  bots)
SELECT e.workspace_id, date_trunc('hour', e.occurred_at), d.dim, d.val,
  count(*) FILTER (WHERE NOT is_bot), count(*) FILTER (WHERE NOT is_bot AND is_unique),
  count(*) FILTER (WHERE is_bot)
FROM scan_event e CROSS JOIN LATERAL (VALUES
  ('country', e.country),
  ('city', e.city),
  ('device', e.device_type), ('os', e.os), ('browser', e.browser), ('language', e.language),
  ('referrer', e.referrer_host), ('source', e.source)) d(dim, val)
GROUP BY 1, 2, 3, 4;
UPDATE qr_code q SET total_scans = s.n, last_scan_at = s.last
FROM (SELECT qrcode_id, count(*) FILTER (WHERE NOT is_bot) n, max(occurred_at) last
      FROM scan_event GROUP BY 1) s WHERE s.qrcode_id = q.id;
"""


TABLES = (
    "scan_event",
    "scan_hourly",
    "scan_dimension_daily",
    "scan_code_daily",
    "scan_ws_hourly",
    "scan_ws_dimension_daily",
    "scan_ws_dimension_hourly",
    "qr_code",
)


def setup_schema(engine) -> None:
    from qrapp.migrations import upgrade

    upgrade("head")
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO workspace (id, name, is_personal, timezone, plan, created_at)"
                " VALUES (:ws, 'Bench', false, 'Europe/Stockholm', 'pro', now())"
            ),
            {"ws": WS},
        )
        c.execute(
            sa.text(
                "INSERT INTO qr_code (id, workspace_id, name, content_type, payload, design, "
                "is_dynamic, domain, short_code, destination, status, max_scans, "
                "one_scan_per_visitor, fallback_url, utm, tags, created_at, updated_at, "
                "total_scans)"
                " SELECT md5(g::text)::uuid, :ws, 'Code ' || g, 'url', '{}', '{}', true, '', "
                "'b' || g, 'https://example.com', 'active', null, false, '', '{}', "
                "(CASE WHEN g % 10 = 0 THEN '[\"print\"]' ELSE '[]' END)::json, now(), now(), 0"
                " FROM generate_series(1, 1000) g"
            ),
            {"ws": WS},
        )
        c.execute(
            sa.text(
                "CREATE TABLE bench_codes AS SELECT row_number() OVER () AS n, id "
                "FROM qr_code WHERE workspace_id = :ws"
            ),
            {"ws": WS},
        )
        countries = [
            "US",
            "SE",
            "DE",
            "GB",
            "FR",
            "BR",
            "IN",
            "JP",
            "AU",
            "CA",
            "ES",
            "IT",
            "NL",
            "NO",
            "DK",
            "FI",
            "PL",
            "MX",
            "AR",
            "CL",
            "CO",
            "PE",
            "ZA",
            "NG",
            "KE",
            "EG",
            "MA",
            "TR",
            "GR",
            "PT",
            "IE",
            "BE",
            "CH",
            "AT",
            "CZ",
            "HU",
            "RO",
            "UA",
            "RU",
            "CN",
            "KR",
            "TW",
            "HK",
            "SG",
            "MY",
            "TH",
            "VN",
            "ID",
            "PH",
            "NZ",
            "IL",
            "AE",
            "SA",
            "QA",
            "PK",
            "BD",
            "LK",
            "IS",
            "EE",
            "LV",
        ]
        c.execute(sa.text("CREATE TABLE bench_countries (n int, code text)"))
        c.execute(
            sa.text("INSERT INTO bench_countries VALUES (:n, :c)"),
            [{"n": i + 1, "c": code} for i, code in enumerate(countries)],
        )


def load(engine, n: int) -> float:
    started = time.perf_counter()
    with engine.begin() as c:
        for statement in LOAD.split(";\n"):
            if statement.strip() and not statement.strip().startswith("VACUUM"):
                c.execute(sa.text(statement), {"ws": WS, "now": NOW, "n": n})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        for table in TABLES:
            c.execute(sa.text(f"VACUUM ANALYZE {table}"))
    return time.perf_counter() - started


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


RAW = {
    "totals": "SELECT count(*) FILTER (WHERE NOT is_bot), count(*) FILTER (WHERE NOT is_bot AND"
    " is_unique), count(*) FILTER (WHERE is_bot) FROM scan_event WHERE {w}",
    "series": "SELECT date_trunc('day', occurred_at AT TIME ZONE 'Europe/Stockholm'), count(*)"
    " FROM scan_event WHERE {w} AND NOT is_bot GROUP BY 1",
    "heatmap": "SELECT extract(dow FROM occurred_at AT TIME ZONE 'Europe/Stockholm'), extract("
    "hour FROM occurred_at AT TIME ZONE 'Europe/Stockholm'), count(*) FROM scan_event WHERE {w}"
    " AND NOT is_bot GROUP BY 1, 2",
    "countries": "SELECT country, count(*) FROM scan_event WHERE {w} AND NOT is_bot GROUP BY 1",
    "all 8 breakdowns": "SELECT count(*) FROM (SELECT country, city, device_type, os, browser,"
    " language, referrer_host, source, count(*) FROM scan_event WHERE {w} AND NOT is_bot GROUP"
    " BY GROUPING SETS ((country), (country, city), (device_type), (os), (browser), (language),"
    " (referrer_host), (source))) x",
    "top codes": "SELECT qrcode_id, count(*) FROM scan_event WHERE {w} AND NOT is_bot GROUP BY 1"
    " ORDER BY 2 DESC LIMIT 10",
}


def run_views(engine, runs: int) -> list[tuple[str, str, float, float, float, float]]:
    from qrapp.db import read_session
    from qrapp.services.analytics import buckets, dashboard, reads
    from qrapp.services.analytics.filters import AnalyticsFilter, resolve_window, zone

    # As the web process does after startup (qrapp.qrapp.freeze_startup_objects).
    gc.collect()
    gc.freeze()

    code = uuid.UUID(bytes=bytes.fromhex(__import__("hashlib").md5(b"1").hexdigest()))
    out = []
    for view, filt in (
        ("workspace 90d", AnalyticsFilter(range="90d")),
        ("one code 90d", AnalyticsFilter(range="90d", codes=(code,))),
    ):
        window = resolve_window(filt, zone("Europe/Stockholm"), NOW)
        w = "workspace_id = :ws AND occurred_at >= :s AND occurred_at < :e"
        if filt.codes:
            w += " AND qrcode_id = :code"
        params = {"ws": WS, "s": window.start, "e": window.until, "code": code}

        def ours(name, filt=filt, window=window):
            def call():
                with read_session() as s:
                    scope = reads.resolve_scope(s, WS, filt)
                    if name == "totals":
                        reads.hourly(s, scope, window.start, window.until)
                    elif name in ("series", "heatmap"):
                        buckets.series(
                            reads.hourly(s, scope, window.start, window.until), window, False
                        )
                    elif name == "countries":
                        reads.breakdowns(s, scope, window.start, window.until, ("country",))
                    elif name == "all 8 breakdowns":
                        reads.breakdowns(s, scope, window.start, window.until)
                    elif name == "top codes":
                        reads.top_codes(s, scope, window.start, window.until)

            return call

        def raw(sql, w=w, params=params):
            def call():
                with engine.connect() as c:
                    c.execute(sa.text(sql.format(w=w)), params).all()

            return call

        for name, sql in RAW.items():
            p50, p95 = timed(ours(name), runs)
            r50, r95 = timed(raw(sql), max(3, runs // 3))
            out.append((view, name, p50, p95, r50, r95))

        def page(filt=filt):
            with read_session() as s:
                dashboard.build(s, WS, filt, NOW)

        p50, p95 = timed(page, runs)
        raw_page = sum(r[4] for r in out if r[0] == view)
        out.append((view, "WHOLE PAGE (build)", p50, p95, raw_page, raw_page))
    return out


def explain(engine) -> None:
    """EXPLAIN ANALYZE every statement the workspace page's build runs (where an index
    is missing shows here)."""
    from qrapp.db import read_session
    from qrapp.services.analytics import dashboard
    from qrapp.services.analytics.filters import AnalyticsFilter

    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", grab)
    try:
        with read_session() as s:
            dashboard.build(s, WS, AnalyticsFilter(range="90d"), NOW)
    finally:
        sa.event.remove(engine, "before_cursor_execute", grab)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for statement, parameters in seen:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            plan = "\n    ".join(row[0] for row in cur.fetchall())
            print(f"\n-- {' '.join(statement.split())[:160]}\n    {plan}")
    finally:
        raw.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--explain", action="store_true", help="print the page's query plans")
    args = parser.parse_args()
    with throwaway_postgres() as url:
        os.environ["DATABASE_URL"] = url
        from qrapp import db
        from qrapp.settings import reset_settings_cache

        reset_settings_cache()
        engine = db.use_database(url)
        setup_schema(engine)
        for n in [int(x) for x in args.sizes.split(",")]:
            seconds = load(engine, n)
            with engine.connect() as c:
                sizes = {
                    t: c.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608
                    for t in TABLES
                    if t != "qr_code"
                }
            print(f"\n== {n:,} events (load {seconds:.0f} s; rows: {sizes})")
            print(
                f"{'view':15} {'query':20} {'p50 ms':>8} {'p95 ms':>8} {'raw p50':>8} "
                f"{'raw p95':>8} {'speed-up':>8}"
            )
            for view, name, p50, p95, r50, r95 in run_views(engine, args.runs):
                print(
                    f"{view:15} {name:20} {p50:8.1f} {p95:8.1f} {r50:8.1f} {r95:8.1f} "
                    f"{r50 / p50 if p50 else 0:7.1f}x",
                    flush=True,
                )
            if args.explain:
                explain(engine)


if __name__ == "__main__":
    main()
