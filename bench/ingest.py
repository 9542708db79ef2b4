"""Benchmark: the scan ingest (Redis stream -> scan_event + rollups in PostgreSQL) beside a
raw COPY of the same rows into a scratch table, in the same run.

    .venv/bin/python bench/ingest.py [--events 500000] [--codes 50] [--consumers N]
                                     [--batch MESSAGES]

Starts its own throwaway PostgreSQL (initdb in a temp folder, as the postgres user when
run as root; BENCH_DATABASE_URL to use another) and Redis on free 127.0.0.1 ports, and
stops both at the end. Puts --events scan events in the Redis stream the way the edge
does (JSON per event, 100 per stream message, in time order over two hours), with a
realistic mix: --codes codes, phones and desktops, 5% bots, 20 countries, repeat
visitors. Then times the ingest (`ingest.run_once()`, production settings) until the
stream is empty: --consumers processes of one consumer group, by default one per core as
the production ingest runs them. It checks that nothing is lost: every event is a
scan_event row and counted once in the rollups, nothing pending, nothing dead-lettered.
Last, it
copies the very rows the ingest stored into a scratch table shaped like scan_event
(`LIKE ... INCLUDING ALL`: the same indexes) with COPY FROM STDIN and prints both rates
and their ratio.
Target (issue 4): ingest >= 0.25x the COPY rate, zero loss.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._env import need_commands, need_postgres  # noqa: E402
from bench.analytics import throwaway_postgres  # noqa: E402

STREAM_KEY = "bench:scans"
UAS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/121.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/16.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/121.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:122.0) Gecko/20100101 Firefox/122.0",
]
BOTS = [
    "WhatsApp/2.23.20.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
]
COUNTRIES = "SE NO DK FI DE FR GB US NL ES IT PL BE AT CH IE PT CZ CA AU".split()  # noqa: SIM905
LANGS = ["sv", "en", "de", "fr", "nb", "da", "fi", "es", ""]
REFS = ["", "", "", "", "l.facebook.com", "t.co", "www.google.com"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_redis():
    tmp = Path(tempfile.mkdtemp(prefix="qrapp-bench-redis-"))
    port = free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def setup_codes(n: int) -> tuple[str, list[str]]:
    import datetime as dt

    from qrapp.migrations import upgrade
    from qrapp.services.accounts import accounts
    from qrapp.services.billing import manual
    from qrapp.services.codes import qrcodes
    from qrapp.services.operator import operator_actor
    from qrapp.services.workspaces import workspaces

    upgrade("head")
    password = "bench password 123"  # noqa: S105 - a throwaway database
    accounts.create_user_cli(email="bench@example.com", password=password, name="B")
    ws = workspaces.list_all()[0][0]
    actor = operator_actor(str(ws.id))
    # More codes than the Free plan holds: an operator's manual plan, as for a deal.
    manual.set_plan(str(ws.id), "enterprise", dt.date(2099, 12, 31))
    codes = [
        qrcodes.create(
            actor=actor,
            data=qrcodes.CodeInput(name=f"Bench {i}", destination=f"https://example.com/{i}"),
        )
        for i in range(n)
    ]
    return str(ws.id), [str(c.id) for c in codes]


def make_events(n: int, ws: str, codes: list[str], seed: int = 4) -> list[str]:
    from qrapp.core.ids import uuid7_str

    rnd = random.Random(seed)
    now = time.time()
    visitors = [uuid.UUID(int=rnd.getrandbits(128)).hex for _ in range(max(1, n // 4))]
    # In stream order, as the edges append them: n scans over the last two hours.
    start, step = now - 7200, 7200 / n
    out = []
    for i in range(n):
        bot = rnd.random() < 0.05
        code = codes[min(int(rnd.paretovariate(1.2)) - 1, len(codes) - 1)]
        ref = rnd.choice(REFS)
        out.append(
            json.dumps(
                {
                    "id": uuid7_str(),
                    "code": code,
                    "ws": ws,
                    "t": start + i * step,
                    "ua": rnd.choice(BOTS) if bot else rnd.choice(UAS),
                    "lang": rnd.choice(LANGS),
                    "ref": ref,
                    "src": "link" if ref else "qr",
                    "country": rnd.choice(COUNTRIES),
                    "region": "",
                    "city": "",
                    "vh": rnd.choice(visitors),
                    "bot": bot,
                    "rule": None,
                    "variant": "",
                    "dest": "https://example.com/landing",
                },
                separators=(",", ":"),
            )
        )
    return out


def warm_up() -> None:
    from qrapp.db import engine
    from qrapp.services.scans import ingest  # noqa: F401

    with engine().connect():
        pass


def ready(_i: int) -> None:
    time.sleep(0.5)  # long enough that every process takes one


def consume(name: str) -> int:
    """One consumer process of the group: drain the stream, return the rows it stored
    (the spawned process inherits the bench's environment)."""
    from qrapp.scanstream.redis_stream import RedisStream
    from qrapp.services.scans import ingest

    return ingest.run_once(RedisStream.from_settings(), consumer=name).inserted


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=500_000)
    ap.add_argument("--codes", type=int, default=50)
    ap.add_argument(
        "--consumers",
        type=int,
        default=0,
        help="ingest processes in the consumer group (0: as production, one per core)",
    )
    ap.add_argument("--batch", type=int, default=0, help="INGEST_BATCH_SIZE (0: the default)")
    args = ap.parse_args()
    need_commands({"redis-server": "redis-server"})
    need_postgres()

    with throwaway_postgres() as db_url, throwaway_redis() as redis_url:
        for key in [k for k in os.environ if k.startswith(("REDIS", "DATABASE", "INGEST_"))]:
            del os.environ[key]
        os.environ.update(
            QRAPP_ENV="test",
            SECRET_KEY="bench-secret-" + "x" * 24,
            DATABASE_URL=db_url,
            REDIS_URL=redis_url,
            SCAN_STREAM_KEY=STREAM_KEY,
        )
        if args.batch:
            os.environ["INGEST_BATCH_SIZE"] = str(args.batch)
        import psycopg
        import sqlalchemy as sa

        from qrapp.db import engine
        from qrapp.scanstream import chunks
        from qrapp.scanstream.redis_stream import RedisStream
        from qrapp.services.scans import ingest
        from qrapp.settings import get_settings

        ws, codes = setup_codes(args.codes)
        t = time.perf_counter()
        events = make_events(args.events, ws, codes)
        stream = RedisStream.from_settings()
        payloads = chunks(events)
        for i in range(0, len(payloads), 500):
            stream.append(payloads[i : i + 500])
        del events
        print(
            f"{args.events:,} events in {len(payloads):,} stream messages "
            f"({time.perf_counter() - t:.1f} s to make and XADD), {args.codes} codes",
            flush=True,
        )

        settings = get_settings()
        args.consumers = args.consumers or ingest.consumer_count()
        if args.consumers == 1:
            t = time.perf_counter()
            inserted = ingest.run_once(stream, consumer="bench").inserted
            ingest_secs = time.perf_counter() - t
        else:  # a consumer group of processes, as scripts/run's ingest runs INGEST_CONSUMERS
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(args.consumers, initializer=warm_up) as pool:
                # Running consumers, as in production: started, imported and connected
                # before the clock starts (one readiness task per process).
                pool.map(ready, range(args.consumers), chunksize=1)
                t = time.perf_counter()
                names = [f"bench-{i}" for i in range(args.consumers)]
                inserted = sum(pool.map(consume, names, chunksize=1))
                ingest_secs = time.perf_counter() - t
        ingest_rate = inserted / ingest_secs
        print(
            f"ingest: {inserted:,} rows in {ingest_secs:.1f} s = {ingest_rate:,.0f} rows/s "
            f"({args.consumers} consumer(s), INGEST_BATCH_SIZE={settings.ingest_batch_size} "
            f"messages = {settings.ingest_batch_size * 100:,} events per transaction)",
            flush=True,
        )

        with engine().connect() as conn:
            stored = conn.execute(sa.text("SELECT count(*) FROM scan_event")).scalar()
            hourly = conn.execute(
                sa.text("SELECT coalesce(sum(scans + bots), 0) FROM scan_hourly")
            ).scalar()
            daily = conn.execute(
                sa.text(
                    "SELECT coalesce(sum(scans + bots), 0) FROM scan_dimension_daily "
                    "WHERE dimension = 'country'"
                )
            ).scalar()
            totals = conn.execute(sa.text("SELECT sum(total_scans) FROM qr_code")).scalar()
            humans = conn.execute(
                sa.text("SELECT count(*) FROM scan_event WHERE NOT is_bot")
            ).scalar()
        pending, dead = stream.pending(), int(stream.client.xlen(stream.dead_key))

        # The baseline: the same rows, as stored, COPYed into a table of the same shape.
        plain_url = db_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain_url) as pg:
            buf = io.BytesIO()
            with pg.cursor().copy("COPY scan_event TO STDOUT") as cp:
                for block in cp:
                    buf.write(block)
            data = buf.getvalue()
            pg.execute("CREATE TABLE scratch_scan_event (LIKE scan_event INCLUDING ALL)")
            pg.commit()
            t = time.perf_counter()
            with pg.cursor().copy("COPY scratch_scan_event FROM STDIN") as cp:
                for i in range(0, len(data), 1 << 20):
                    cp.write(data[i : i + (1 << 20)])
            pg.commit()
            copy_secs = time.perf_counter() - t
            copied = pg.execute("SELECT count(*) FROM scratch_scan_event").fetchone()[0]
        copy_rate = copied / copy_secs
        print(f"COPY:   {copied:,} rows in {copy_secs:.1f} s = {copy_rate:,.0f} rows/s", flush=True)
        ratio = ingest_rate / copy_rate
        print(f"ingest / COPY = {ratio:.2f}x (target >= 0.25x)")

        ok = (
            stored == args.events
            and inserted == args.events
            and hourly == args.events
            and daily == args.events
            and totals == humans
            and pending == 0
            and dead == 0
        )
        print(
            f"loss check: {stored:,} scan_event rows, {hourly:,} in scan_hourly, {daily:,} "
            f"in the daily country rollup, total_scans {totals:,} = {humans:,} human rows, "
            f"{pending} pending, {dead} dead-lettered -> {'OK' if ok else 'MISMATCH'}"
        )
        if not ok:
            sys.exit(1)


if __name__ == "__main__":
    main()
