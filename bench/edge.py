"""Benchmark: the edge's redirect against nginx `return 302` and a bare ASGI 302.

    .venv/bin/python bench/edge.py [--seconds 10] [--rounds 3] [--workers 1,2]

Everything runs on 127.0.0.1 in a temp folder: nginx (Debian package) and a bare ASGI
302 handler under uvicorn as baselines, the edge as production runs it (`python -m
qrapp.edge`: uvicorn with the fast lane) with its in-process cache (scan capture on,
embedded SQLite queue), and the edge with a Redis lookup per request (cache off, Redis
stream capture). wrk drives each with the same settings (-t2 -c64), alternating,
for several rounds; the medians are printed, with each server's CPU time per request
(user + system, its workers included: a figure the machine's other load disturbs far
less than the latencies). At the end every captured event is ingested
and the count is compared with the requests wrk made (non-redirect answers are errors).
Requests carry an iPhone's User-Agent and Accept-Language (nginx ignores them), so the
edge does a phone scan's work. The whole set runs once per --workers value: N uvicorn
workers per app and N nginx workers.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import socket
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
from bench.ingest import free_port, throwaway_redis  # noqa: E402


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open")


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


PHONE = [
    "-H",
    "User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "-H",
    "Accept-Language: sv-SE,sv;q=0.9,en;q=0.8",
]


def _tree(pid: int) -> list[int]:
    """pid and its descendants (uvicorn's or nginx's workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children: per request,
    a figure the shared machine's load disturbs far less than latency."""
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url: str, seconds: int, pid: int | None = None) -> dict:
    """wrk's figures; with the server's pid also its CPU microseconds per request."""
    cpu0 = cpu_seconds(pid) if pid else 0.0
    mine = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", *PHONE, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = cpu_seconds(pid) - cpu0 if pid else 0.0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = after.ru_utime + after.ru_stime - mine.ru_utime - mine.ru_stime
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "rps": rps,
        "p50": pct("50"),
        "p99": pct("99"),
        "requests": total,
        "cpu_us": cpu / max(total, 1) * 1e6,
        "wrk_cpu_us": wrk_cpu / max(total, 1) * 1e6,
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(1) if errors else "",
    }


NGINX_CONF = """
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nb; proxy_temp_path {tmp}/np; fastcgi_temp_path {tmp}/nf;
  uwsgi_temp_path {tmp}/nu; scgi_temp_path {tmp}/ns;
  server {{ listen 127.0.0.1:{port}; location / {{ return 302 https://example.com/landing; }} }}
}}
"""


def setup_code(env: dict) -> str:
    """A database with one dynamic code; returns its short code."""
    script = (
        "from qrapp.migrations import upgrade; upgrade('head')\n"
        "from qrapp.services.accounts import accounts\n"
        "from qrapp.services.codes import qrcodes\n"
        "from qrapp.services.operator import operator_actor\n"
        "accounts.create_user_cli(email='bench@example.com', password='bench password 123',"
        " name='Bench')\n"
        "from qrapp.services.workspaces import workspaces\n"
        "ws = workspaces.list_all()[0][0]\n"
        "code = qrcodes.create(actor=operator_actor(str(ws.id)),"
        " data=qrcodes.CodeInput(name='Bench', destination='https://example.com/landing'))\n"
        "print(code.short_code)\n"
    )
    out = subprocess.run(
        [PY, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def ingest_all(env: dict, counted: str = "inserted") -> tuple[int, float]:
    """Drain the scan stream once; `counted` is the field of the ingest's result to report
    (scans: inserted; bench/pages.py: pages_inserted) and the seconds it took."""
    script = (
        "import time; from qrapp.services.scans import ingest\n"
        "t = time.perf_counter(); r = ingest.run_once()\n"
        f"print(r.{counted}, time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [PY, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    n, secs = out.stdout.split()[-2:]
    return int(n), float(secs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", default="1,2", help="uvicorn (and nginx) workers per app")
    args = ap.parse_args()
    need_commands({"wrk": "wrk", "nginx": "nginx-light", "redis-server": "redis-server"})
    ok = True
    for workers in [int(w) for w in args.workers.split(",")]:
        ok &= run(workers, args.seconds, args.rounds)
    if not ok:
        sys.exit(1)


def run(workers: int, seconds: int, rounds: int) -> bool:
    print(f"\n=== {workers} worker(s) per app ===", flush=True)
    with throwaway_redis() as redis_url:
        return _run(workers, seconds, rounds, redis_url)


def _run(workers: int, seconds: int, rounds: int, redis_url: str) -> bool:
    tmp = Path(tempfile.mkdtemp(prefix="qrapp-bench-"))
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
        code = setup_code(embedded)
        with_redis = embedded | {
            "REDIS_URL": redis_url,
            "EDGE_CACHE_SECONDS": "0",
            "SCAN_SPOOL_PATH": str(tmp / "spool.sqlite"),
        }

        ports = {}
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
        ports["nginx return 302"] = (nginx_port, "/x")
        pids = {"nginx return 302": procs[-1].pid}

        def uvicorn(app: str, env: dict, label: str, path: str) -> None:
            port = free_port()
            cmd = [
                PY,
                "-m",
                "uvicorn",
                app,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                "--no-proxy-headers",
                "--log-level",
                "warning",
            ]
            if workers > 1:
                cmd += ["--workers", str(workers)]
            procs.append(start(cmd, env, tmp / f"{label.split()[0]}.log"))
            ports[label] = (port, path)
            pids[label] = procs[-1].pid

        def edge(env: dict, label: str) -> None:
            port = free_port()
            cmd = [PY, "-m", "qrapp.edge", "--port", str(port), "--workers", str(workers)]
            procs.append(start(cmd, env, tmp / f"edge-{len(ports)}.log"))
            ports[label] = (port, f"/{code}")
            pids[label] = procs[-1].pid

        uvicorn("bench._bare_asgi:app", base, "bare ASGI 302 (uvicorn)", "/x")
        edge(embedded, "edge cache hit + capture")
        edge(with_redis, "edge Redis lookup + XADD")
        for port, _path in ports.values():
            wait_port(port)
        for port, path in ports.values():  # warm up
            wrk(f"http://127.0.0.1:{port}{path}", 1)
        time.sleep(0.5)  # the warm-up's events are flushed; ingest them so they are not counted
        ingest_all(embedded)
        ingest_all(with_redis)

        results: dict[str, list[dict]] = {label: [] for label in ports}
        for rnd in range(rounds):
            for label, (port, path) in ports.items():
                r = wrk(f"http://127.0.0.1:{port}{path}", seconds, pids[label])
                results[label].append(r)
                print(
                    f"round {rnd + 1} {label:<28} {r['rps']:>10,.0f} req/s  "
                    f"p50 {r['p50']:.2f} ms  p99 {r['p99']:.2f} ms  "
                    f"CPU {r['cpu_us']:.0f} us/req (wrk {r['wrk_cpu_us']:.0f})"
                    + (f"  NON-302: {r['bad']}" if r["bad"] else "")
                    + (f"  socket errors: {r['errors']}" if r["errors"] else ""),
                    flush=True,
                )

        nginx_rps = statistics.median(r["rps"] for r in results["nginx return 302"])
        print(
            f"\nmedian of {rounds} rounds, wrk -t2 -c64 -d{seconds}s, "
            f"{workers} worker(s) each (uvicorn --workers / nginx worker_processes), "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}:"
        )
        for label, rs in results.items():
            rps = statistics.median(r["rps"] for r in rs)
            print(
                f"  {label:<28} {rps:>10,.0f} req/s  {rps / nginx_rps:5.2f}x nginx  "
                f"p50 {statistics.median(r['p50'] for r in rs):.2f} ms  "
                f"p99 {statistics.median(r['p99'] for r in rs):.2f} ms  "
                f"CPU {statistics.median(r['cpu_us'] for r in rs):.0f} us/req"
            )

        # Every request to an edge made one event: stop the edges (they flush), ingest all.
        for p in procs[1:]:  # all but nginx
            stop(p)
        made = {label: sum(r["requests"] for r in rs) for label, rs in results.items()}
        n_emb, secs_emb = ingest_all(embedded)
        n_red, secs_red = ingest_all(with_redis)
        print(
            f"\ningested {n_emb:,} events from the embedded queue in {secs_emb:.1f} s "
            f"({n_emb / max(secs_emb, 1e-9):,.0f}/s) and {n_red:,} from the Redis stream in "
            f"{secs_red:.1f} s ({n_red / max(secs_red, 1e-9):,.0f}/s)"
        )
        # wrk does not count requests still in flight when its time is up (at most one per
        # connection per run), so the edge may have served up to 64 more per run.
        slack = 64 * rounds
        ok = True
        for label, n in (("edge cache hit + capture", n_emb), ("edge Redis lookup + XADD", n_red)):
            good = made[label] <= n <= made[label] + slack
            ok &= good
            print(
                f"  {label}: wrk counted {made[label]:,} requests, {n:,} events stored"
                f" -> {'OK' if good else 'MISMATCH'}"
            )
        return ok
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
