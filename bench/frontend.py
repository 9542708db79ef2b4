"""Benchmark: what a phone downloads and how soon it paints, in chromium.

    .venv/bin/python bench/frontend.py [--lighthouse-runs 3] [--ttc-runs 5]

Starts the production build (the embedded default, throwaway SQLite), creates a user
with three codes and 360 scans, and measures with Debian's chromium:
- Lighthouse (npm `lighthouse` CLI, mobile preset: simulated slow 4G and 4x CPU) for
  /login: performance, accessibility, best practices (the median run by performance),
  with FCP, LCP and the stylesheet bytes it reports;
- the JavaScript each signed-in page loads (Playwright, a fresh browser context per page,
  so nothing comes from the cache): the sum of the gzip sizes of its script responses,
  beside /login's as the baseline (the framework's floor, no signed-in page can load less);
- /analytics time to content (navigation start to the KPIs and the first chart drawn:
  the server's inline chart in the HTML, or plotly's) and to plotly's charts, with the
  CPU 4x slower (CDP Emulation.setCPUThrottlingRate), beside /codes, a signed-in page
  without charts, measured the same way.
Targets (issue 19): Lighthouse mobile /login performance >= 95, accessibility 100, best
practices 100; JavaScript per signed-in page <= 250 KB gzip, /analytics <= 700 KB gzip;
/analytics content visible <= 2.0 s with the CPU 4x slower.

Lighthouse is installed with npm into .tools/lighthouse on first use (12.x: the last
major that runs on Node 20). Runs outside ./scripts/test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._env import bench_env  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.processes import free_port, migrate, start_web, stop, wait_http  # noqa: E402

LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE_DIR = ROOT / ".tools" / "lighthouse"
PASSWORD = "bench passphrase 1"  # noqa: S105
# What shows the page's own content (not the signed-in frame) on each signed-in page.
SIGNED_IN_PAGES = {
    "/dashboard": "#greeting",
    "/codes": ".code-row",
    "/codes/new": "#user-menu",
    "/codes/{code}": "#user-menu",
    "/analytics": ".js-plotly-plot .main-svg",  # the charts' code loads after the KPIs
    "/team": "#user-menu",
    "/settings": "#user-menu",
}
# Content: the KPIs and a first chart, whether plotly drew it or the server wrote it into
# the HTML (qrapp/api/analytics_first.py); live: plotly's first chart, after the data.
ANALYTICS_CONTENT = (
    "() => document.querySelector('#kpi-scans')"
    " && document.querySelector('.js-plotly-plot .main-svg, svg.fv-chart')"
)
ANALYTICS_LIVE = "() => document.querySelector('.js-plotly-plot .main-svg')"
CODES_CONTENT = "() => document.querySelector('.code-row')"


def _lighthouse_cli() -> Path:
    cli = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}", flush=True)
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                *("npm", "install", "--no-audit", "--no-fund", "--prefix", str(LIGHTHOUSE_DIR)),
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
            env={**os.environ, **bench_env()},
        )
    return cli


def lighthouse(url: str, runs: int, out: Path) -> dict:
    cli = _lighthouse_cli()
    results = []
    for i in range(runs):
        report = out / f"lighthouse-{i}.json"
        subprocess.run(
            [
                *("node", str(cli), url, "--quiet", "--output=json", f"--output-path={report}"),
                "--only-categories=performance,accessibility,best-practices",
                "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
        )
        data = json.loads(report.read_text())
        cats, audits = data["categories"], data["audits"]
        css = sum(
            r.get("transferSize", 0)
            for r in audits["network-requests"]["details"]["items"]
            if r.get("resourceType") == "Stylesheet"
        )
        results.append(
            {
                "performance": round(cats["performance"]["score"] * 100),
                "accessibility": round(cats["accessibility"]["score"] * 100),
                "best-practices": round(cats["best-practices"]["score"] * 100),
                "fcp": audits["first-contentful-paint"]["numericValue"],
                "lcp": audits["largest-contentful-paint"]["numericValue"],
                "css": css,
                "failed": sorted(
                    a["id"]
                    for cat in ("accessibility", "best-practices")
                    for ref in cats[cat]["auditRefs"]
                    if ref["weight"] > 0
                    and (a := audits[ref["id"]])["score"] is not None
                    and a["score"] < 1
                ),
            }
        )
    results.sort(key=lambda r: r["performance"])
    return results[len(results) // 2]


def _seed(email: str) -> uuid.UUID:
    """Three codes and 360 scans over 30 days in the user's workspace, so /analytics
    draws every chart."""
    from sqlmodel import select

    from qrapp.db import transaction
    from qrapp.models import Membership, User
    from tests.support.scans import Scan, make_code, record_scans

    with transaction() as tx:
        user = tx.session.exec(select(User).where(User.email == email)).one()
        ws = tx.session.exec(select(Membership).where(Membership.user_id == user.id)).one()
        workspace_id = ws.workspace_id
    codes = [make_code(workspace_id, n) for n in ("Menu", "Poster", "Card")]
    rnd = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    places = [("SE", "Stockholm"), ("US", "Austin"), ("DE", "Berlin"), ("JP", "Tokyo")]
    devices = [("mobile", "iOS", "Safari"), ("desktop", "Windows", "Edge")]
    scans = []
    for _ in range(360):
        country, city = rnd.choice(places)
        device, os_, browser = rnd.choice(devices)
        ago = dt.timedelta(days=rnd.triangular(0, 29, 2), minutes=5)
        scans.append(
            Scan(rnd.choice(codes), now - ago, country=country, city=city)
            if rnd.random() < 0.5
            else Scan(
                rnd.choice(codes),
                now - ago,
                country=country,
                city=city,
                device_type=device,
                os=os_,
                browser=browser,
            )
        )
    record_scans(*scans, publish=False)
    return codes[0]


def _script_gzip_bytes(browser, url: str, cookies: list, path: str, content: str) -> int:
    """gzip -9 bytes of every script response a fresh context loads for path, until the
    page's content shows and the network is idle."""
    context = browser.new_context(base_url=url, viewport={"width": 390, "height": 844})
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(60_000)
    scripts: dict[str, int] = {}

    def on_response(response) -> None:
        if response.request.resource_type == "script" or response.url.endswith(".js"):
            try:
                scripts[response.url] = len(gzip.compress(response.body(), 9))
            except Exception:  # a redirect or an aborted load has no body
                return

    page.on("response", on_response)
    page.goto(path)
    page.wait_for_selector(content, state="attached")
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(scripts.values())


def _time_to_content(browser, url: str, cookies: list, path: str, done_js: str) -> float:
    """ms from navigation start until done_js holds, CPU 4x slower, a cold cache."""
    context = browser.new_context(base_url=url, viewport={"width": 390, "height": 844})
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(60_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(path, wait_until="commit")
    page.wait_for_function(done_js, polling="raf", timeout=60_000)
    elapsed = page.evaluate("performance.now()")
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument("--ttc-runs", type=int, default=5)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="qrapp-bench-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **bench_env(),
        "QRAPP_ENV": "test",
        "APP_URL": url,
        "WEB_PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp / 'broker.sqlite'}",
        "REDIS_URL": "",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "QRAPP_ENV")})
    migrate(env, tmp / "migrate.log")
    log = tmp / "web.log"
    web = start_web(env, port, log, loglevel="warning")
    try:
        wait_http(f"{url}/healthz", 900, web, log)
        wait_http(f"{url}/login", 120, web, log)
        run(url, args, tmp)
    finally:
        stop(web)


def run(url: str, args: argparse.Namespace, tmp: Path) -> None:
    from playwright.sync_api import sync_playwright

    from qrapp.services.accounts import accounts

    if args.lighthouse_runs:  # 0 skips Lighthouse (about 30 s a run)
        lh = lighthouse(f"{url}/login", args.lighthouse_runs, tmp)
        print(f"Lighthouse mobile /login (median of {args.lighthouse_runs} runs by performance)")
        print(
            f"  performance {lh['performance']:>3}  accessibility {lh['accessibility']:>3}"
            f"  best practices {lh['best-practices']:>3}"
            "   targets 95 / 100 / 100"
        )
        print(
            f"  FCP {lh['fcp'] / 1000:.2f} s  LCP {lh['lcp'] / 1000:.2f} s"
            f"  stylesheets {lh['css'] / 1024:.0f} KB transferred"
        )
        if lh["failed"]:
            print(f"  failing audits: {', '.join(lh['failed'])}")
    email = f"bench-{uuid.uuid4().hex[:6]}@example.com"
    accounts.create_user_cli(email=email, password=PASSWORD, name="Bench")
    code = _seed(email)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url)
        page.set_default_timeout(60_000)
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("#submit")
        page.wait_for_url("**/dashboard**")
        cookies = page.context.cookies()
        page.close()

        login_js = _script_gzip_bytes(browser, url, [], "/login", "#email")
        js = {
            path: _script_gzip_bytes(browser, url, cookies, path.format(code=code), content)
            for path, content in SIGNED_IN_PAGES.items()
        }
        print("JavaScript per page (gzip -9 of every script response, cold cache)")
        print(f"  {'baseline: /login (public)':<30} {login_js / 1024:7.0f} KB")
        for path, size in js.items():
            target = 700 if path == "/analytics" else 250
            print(f"  {path:<30} {size / 1024:7.0f} KB   target <= {target} KB")
        ttc = [
            _time_to_content(browser, url, cookies, "/analytics", ANALYTICS_CONTENT)
            for _ in range(args.ttc_runs)
        ]
        ttc_live = [
            _time_to_content(browser, url, cookies, "/analytics", ANALYTICS_LIVE)
            for _ in range(args.ttc_runs)
        ]
        ttc_codes = [
            _time_to_content(browser, url, cookies, "/codes", CODES_CONTENT)
            for _ in range(args.ttc_runs)
        ]
        browser.close()

    if not args.ttc_runs:  # 0 skips the timings (the byte counts need no quiet machine)
        return
    med, base = statistics.median(ttc), statistics.median(ttc_codes)
    print(f"Time to content, CPU 4x slower, cold cache (median of {args.ttc_runs})")
    print(f"  /analytics (KPIs + first chart) {med / 1000:5.2f} s   target <= 2.0 s")
    print(f"  /analytics (plotly charts)      {statistics.median(ttc_live) / 1000:5.2f} s")
    print(f"  baseline: /codes (first row)    {base / 1000:5.2f} s   ratio {med / base:.2f}x")
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
