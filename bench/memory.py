"""Memory of the embedded default: what `./scripts/run` holds, per process and in total.

    .venv/bin/python bench/memory.py [--scans 500]

Starts ./scripts/run itself (free ports, a throwaway database, broker, queues and run
folder), waits until the web app and the edge answer, and measures every process of its
tree (supervisord and what it runs). Then a person logs in with chromium and opens the
main pages, the edge answers some scans, and it measures again. The figures: RSS, the
issue's measure (it counts pages that processes share once per process), and PSS (shared
pages divided among the processes that share them: what the product costs the machine),
against the target of 600 MB RSS in total.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._env import bench_env  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.processes import free_port, wait_http  # noqa: E402

TARGET_MB = 600
PASSWORD = "bench passphrase 1"  # noqa: S105 (a throwaway account)
PAGES = ["/dashboard", "/codes", "/codes/new", "/analytics", "/team", "/settings"]


def measure(root_pid: int) -> list[tuple[str, int, float, float]]:
    """(label, pid, RSS MB, PSS MB) for supervisord and every process below it."""
    root = psutil.Process(root_pid)
    rows = []
    for p in [root, *root.children(recursive=True)]:
        try:
            mem = p.memory_full_info()
            program = p.environ().get("SUPERVISOR_PROCESS_NAME")
            name = p.name()
        except psutil.Error:
            continue
        if p.pid == root_pid:
            label = "supervisord"
        elif name == "sed":
            label = f"{program} (log prefix, sed)"
        else:
            label = program or " ".join(p.cmdline()[:3])
        rows.append((label, p.pid, mem.rss / 2**20, mem.pss / 2**20))
    return rows


def settled(root_pid: int, timeout: float = 60) -> list[tuple[str, int, float, float]]:
    """Measure once the total has stopped moving (under 1 MB within a second): start-up
    imports and the first GC passes done."""
    rows = measure(root_pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(1)
        again = measure(root_pid)
        if abs(sum(r[2] for r in again) - sum(r[2] for r in rows)) < 1:
            return again
        rows = again
    return rows


def report(title: str, rows: list[tuple[str, int, float, float]]) -> float:
    print(f"\n{title}")
    print(f"  {'process':<28} {'pid':>8} {'RSS MB':>8} {'PSS MB':>8}")
    for label, pid, rss, pss in sorted(rows, key=lambda r: -r[2]):
        print(f"  {label:<28} {pid:>8} {rss:8.1f} {pss:8.1f}")
    rss = sum(r[2] for r in rows)
    pss = sum(r[3] for r in rows)
    verdict = "under" if rss < TARGET_MB else "OVER"
    print(f"  {'total':<28} {'':>8} {rss:8.1f} {pss:8.1f}   {verdict} the {TARGET_MB} MB target")
    return rss


def browse(url: str, email: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.flows import log_in

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url, viewport={"width": 1280, "height": 800})
        page.set_default_timeout(60_000)
        log_in(page, email, PASSWORD)
        page.wait_for_url(re.compile(r"/dashboard"))
        for path in PAGES:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.locator("h1, h2").first.wait_for()
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scans", type=int, default=500, help="scans the edge answers first")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="qrapp-memory-"))
    web_port, edge_port = free_port(), free_port()
    url, edge_url = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{edge_port}"
    env = {
        **os.environ,
        **bench_env(),
        "QRAPP_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp / 'qrapp.sqlite'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp / 'broker.sqlite'}",
        "REDIS_URL": "",
        "SCAN_QUEUE_PATH": str(tmp / "scan-queue.sqlite"),
        "SCAN_SPOOL_PATH": str(tmp / "scan-spool.sqlite"),
        "RUN_DIR": str(tmp / "run"),
        "WEB_PORT": str(web_port),
        "EDGE_PORT": str(edge_port),
        "APP_URL": url,
        "EDGE_URL": edge_url,
    }
    log = tmp / "run.log"
    print(f"starting ./scripts/run (log: {log}); the first start builds the frontend")
    with log.open("ab") as out:
        run = subprocess.Popen(
            [str(ROOT / "scripts" / "run")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_http(f"{url}/healthz", 600, run, log)
        wait_http(f"{url}/login", 120, run, log)
        wait_http(f"{edge_url}/healthz", 60, run, log)
        started = report("after start", settled(run.pid))

        def cli(*a: str) -> str:
            return subprocess.run(
                [sys.executable, "-m", "qrapp", *a], env=env, check=True, capture_output=True,
                text=True, cwd=ROOT,
            ).stdout  # fmt: skip

        email = "memory@example.com"
        cli("user", "create", "--email", email, "--name", "Memory", "--password", PASSWORD)
        workspace = cli("workspace", "list").split()[0]
        cli("qr", "create", "--workspace", workspace, "--name", "Menu", "--url",
            "https://example.com/menu", "--alias", "menu")  # fmt: skip
        with httpx.Client(headers={"user-agent": "Mozilla/5.0 (iPhone)"}) as client:
            for _ in range(args.scans):
                client.get(f"{edge_url}/menu")
        browse(url, email)
        browse(url, email)  # a second visit: sessions and caches as they build up
        used = report(
            f"after {args.scans} scans and two visits of {len(PAGES)} pages", settled(run.pid)
        )
        print(
            f"\nRSS total: {started:.0f} MB after start, {used:.0f} MB in use"
            f" (target {TARGET_MB} MB)"
        )
    finally:
        run.send_signal(signal.SIGTERM)
        try:
            run.wait(120)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
