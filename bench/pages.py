"""Benchmark: the edge serving a published link-in-bio landing page against nginx serving
the same HTML as a static file.

    .venv/bin/python bench/pages.py [--seconds 10] [--rounds 3] [--workers 1]
                                    [--baseline /path/to/another/checkout]

As bench/edge.py: everything on 127.0.0.1 in a temp folder, wrk with the same settings
(-t2 -c64, a phone's User-Agent and Accept-Language), the apps alternating for several
rounds, medians printed with the ratio to nginx and each server's CPU time per request.
The page is made the product's way: a page from the link-in-bio starter, published
(rendered once into a version), then served by the edge as production runs it (`python -m
qrapp.edge`: the fast lane, its in-process page cache, each view captured as an event) in
the embedded default (SQLite queue) and with Redis (the view events XADDed to the
stream). nginx serves the version's HTML, byte for byte, as a file. At the end every
captured view is ingested and the count is compared with the requests wrk made. Targets
(issue 10): >= 0.40x nginx's req/s with p99 <= 5 ms, every view counted.

With --baseline, the same two edges also run from another checkout (say a `git worktree`
of main) in the same rounds, the order turned round every other round: on a shared machine
a before/after at the same load. The summary gives each app's p99/p50 and its p99 over
nginx's p99 in the same round (the median of those ratios), figures the load moves less.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))

from bench._env import bench_env, need_commands  # noqa: E402
from bench.edge import ingest_all as edge_ingest_all  # noqa: E402
from bench.edge import start, stop, wait_port, wrk  # noqa: E402
from bench.ingest import free_port, throwaway_redis  # noqa: E402

NGINX_CONF = """
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nb; proxy_temp_path {tmp}/np; fastcgi_temp_path {tmp}/nf;
  uwsgi_temp_path {tmp}/nu; scgi_temp_path {tmp}/ns;
  server {{
    listen 127.0.0.1:{port};
    root {tmp}/www;
    location / {{ default_type "text/html; charset=utf-8"; }}
  }}
}}
"""

SETUP = """
from qrapp.migrations import upgrade; upgrade('head')
from qrapp.services.accounts import accounts
from qrapp.services.operator import operator_actor
from qrapp.services.pages import editing, page_access
from qrapp.services.workspaces import workspaces
accounts.create_user_cli(email='bench@example.com', password='bench password 123', name='Bench')
actor = operator_actor(str(workspaces.list_all()[0][0].id))
page = editing.create_page(actor=actor, name='Bench bio', starter='link_in_bio')
editing.publish(actor=actor, page_id=page.id)
snap = page_access.published_page('', page.slug)
open({html_path!r}, 'w', encoding='utf-8').write(snap['html'])
print(page.slug)
"""


def setup_page(env: dict, html_path: Path) -> str:
    """A database with one published link-in-bio page; its HTML written to html_path.
    Returns the page's slug."""
    out = subprocess.run(
        [PY, "-c", SETUP.format(html_path=str(html_path))],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"setting up the page failed:\n{out.stderr[-3000:]}")
    return out.stdout.strip().splitlines()[-1]


def ingest_all(env: dict) -> tuple[int, float]:
    return edge_ingest_all(env, counted="pages_inserted")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", default="1", help="uvicorn (and nginx) workers per app")
    ap.add_argument("--baseline", default="", help="another checkout whose edges run beside")
    args = ap.parse_args()
    need_commands({"wrk": "wrk", "nginx": "nginx-light", "redis-server": "redis-server"})
    ok = True
    for workers in [int(w) for w in args.workers.split(",")]:
        print(f"\n=== {workers} worker(s) per app ===", flush=True)
        with throwaway_redis() as redis_url:
            ok &= run(workers, args.seconds, args.rounds, redis_url, args.baseline)
    if not ok:
        sys.exit(1)


def run(workers: int, seconds: int, rounds: int, redis_url: str, baseline: str = "") -> bool:
    tmp = Path(tempfile.mkdtemp(prefix="qrapp-bench-pages-"))
    tmp.chmod(0o755)  # nginx's workers (nobody, when started as root) read www/ below it
    procs: list[subprocess.Popen] = []
    try:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS", "DATABASE"))}
        base |= bench_env()
        base |= {"QRAPP_ENV": "test", "SECRET_KEY": "bench-secret-" + "x" * 24}
        embedded = base | {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
            "SCAN_QUEUE_PATH": str(tmp / "queue.sqlite"),
            "REDIS_URL": "",
            "INGEST_BATCH_SIZE": "50",
        }
        www = tmp / "www" / "p"
        www.mkdir(parents=True)
        html_file = tmp / "page.html"
        slug = setup_page(embedded, html_file)
        shutil.copy(html_file, www / slug)
        (www / slug).chmod(0o644)
        size = html_file.stat().st_size
        with_redis = embedded | {
            "REDIS_URL": redis_url,
            "SCAN_SPOOL_PATH": str(tmp / "spool.sqlite"),
        }
        path = f"/p/{slug}"
        ports: dict[str, int] = {}
        pids: dict[str, int] = {}
        nginx_port = free_port()
        (tmp / "nginx.conf").write_text(
            NGINX_CONF.format(tmp=tmp, port=nginx_port, workers=workers)
        )
        procs.append(
            start(
                ["nginx", "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                dict(os.environ),
                tmp / "nginx.log",
            )
        )
        ports["nginx static file"] = nginx_port
        pids["nginx static file"] = procs[-1].pid

        envs: dict[str, dict] = {}

        def edge(env: dict, label: str, root: str = "") -> None:
            port = free_port()
            cmd = [PY, "-m", "qrapp.edge", "--port", str(port), "--workers", str(workers)]
            log = tmp / f"edge-{len(ports)}.log"
            if root:  # the baseline checkout, on its own import path
                env = env | {"PYTHONPATH": root}
                procs.append(
                    subprocess.Popen(
                        cmd,
                        cwd=root,
                        env=env,
                        stdout=log.open("ab"),
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            else:
                procs.append(start(cmd, env, log))
            ports[label] = port
            pids[label] = procs[-1].pid
            envs[label] = env

        edge(embedded, "edge page + capture")
        edge(with_redis, "edge page + XADD")
        if baseline:  # its own queue, spool and stream, so each side's views are counted
            root = str(Path(baseline).resolve())
            edge(
                embedded | {"SCAN_QUEUE_PATH": str(tmp / "queue-base.sqlite")},
                "baseline capture",
                root,
            )
            edge(
                with_redis
                | {
                    "SCAN_SPOOL_PATH": str(tmp / "spool-base.sqlite"),
                    "SCAN_STREAM_KEY": "qrapp:scans-base",
                },
                "baseline XADD",
                root,
            )
        for port in ports.values():
            wait_port(port)
        for port in ports.values():  # warm up (and check the answer is the page)
            wrk(f"http://127.0.0.1:{port}{path}", 1)
        time.sleep(0.5)  # the warm-up's views are flushed; ingest them so they are not counted
        for env in envs.values():
            ingest_all(env)

        results: dict[str, list[dict]] = {label: [] for label in ports}
        for rnd in range(rounds):
            order = list(ports.items())
            if rnd % 2:  # nginx first, the edges the other way round
                order = order[:1] + order[:0:-1]
            for label, port in order:
                r = wrk(f"http://127.0.0.1:{port}{path}", seconds, pids[label])
                results[label].append(r)
                print(
                    f"round {rnd + 1} {label:<22} {r['rps']:>10,.0f} req/s  "
                    f"p50 {r['p50']:.2f} ms  p99 {r['p99']:.2f} ms  "
                    f"CPU {r['cpu_us']:.0f} us/req (wrk {r['wrk_cpu_us']:.0f})"
                    + (f"  NON-2xx: {r['bad']}" if r["bad"] else "")
                    + (f"  socket errors: {r['errors']}" if r["errors"] else ""),
                    flush=True,
                )

        nginx_rps = statistics.median(r["rps"] for r in results["nginx static file"])
        load = os.getloadavg()
        print(
            f"\nmedian of {rounds} rounds, wrk -t2 -c64 -d{seconds}s, a {size:,}-byte "
            f"link-in-bio page, {workers} worker(s) each, {os.cpu_count()} CPUs, "
            f"load average {load[0]:.1f} / {load[1]:.1f}:"
        )
        ok = True
        nginx_p99 = [r["p99"] for r in results["nginx static file"]]
        for label, rs in results.items():
            rps = statistics.median(r["rps"] for r in rs)
            p99 = statistics.median(r["p99"] for r in rs)
            tail = statistics.median(r["p99"] / r["p50"] for r in rs)
            vs_nginx = statistics.median(r["p99"] / n for r, n in zip(rs, nginx_p99, strict=True))
            verdict = ""
            if label != "nginx static file":
                good = rps / nginx_rps >= 0.40 and p99 <= 5.0
                verdict = "  (target >= 0.40x, p99 <= 5 ms: " + ("met)" if good else "MISSED)")
            print(
                f"  {label:<22} {rps:>10,.0f} req/s  {rps / nginx_rps:5.2f}x nginx  "
                f"p50 {statistics.median(r['p50'] for r in rs):.2f} ms  p99 {p99:.2f} ms  "
                f"CPU {statistics.median(r['cpu_us'] for r in rs):.0f} us/req  "
                f"p99/p50 {tail:.2f}  p99/nginx's {vs_nginx:.2f}" + verdict
            )
            ok &= not any(r["bad"] for r in rs)

        # Every request to an edge made one view event: stop the edges (they flush), ingest.
        for p in procs[1:]:
            stop(p)
        made = {label: sum(r["requests"] for r in rs) for label, rs in results.items()}
        stored = {}
        for label, env in envs.items():
            n, secs = ingest_all(env)
            stored[label] = n
            print(f"\ningested {n:,} page views of {label} in {secs:.1f} s", end="")
        print()
        # wrk does not count requests still in flight when its time is up (at most one per
        # connection per run), so the edge may have served up to 64 more per run.
        slack = 64 * rounds
        for label, n in stored.items():
            good = made[label] <= n <= made[label] + slack
            ok &= good
            print(
                f"  {label}: wrk counted {made[label]:,} requests, {n:,} views stored"
                f" -> {'OK' if good else 'MISMATCH'}"
            )
        return ok
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
