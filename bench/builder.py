"""Benchmark: the landing-page builder's drop -> updated preview, in chromium.

    .venv/bin/python bench/builder.py [--drops 20]

Starts the production build on a throwaway SQLite database, creates an account and a page
from the link-in-bio starter, and drags a block from the palette into the middle of the
page with the mouse, `--drops` times. Each figure runs from the mouse release (a pointerup
listener in the page) to the preview iframe's `load` with the new document (the drop
event, the state's edit, the server-side render and the srcdoc swap). Beside it, the
baseline of the same document edit and render in-process (no browser, no websocket).
Target (issue 10): median <= 300 ms, p95 <= 600 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._env import bench_env  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.processes import free_port, migrate, start_web, stop, wait_http  # noqa: E402

# Block types dropped in turn (cheap and rich ones).
DROPS = ["divider", "button", "spacer", "heading", "link_list"]

# Installed before each drop: resolves with (release time, preview load time) in ms.
_ARM = """
() => {
  const frame = document.querySelector('#preview-frame');
  window.__drop = new Promise((resolve) => {
    let released = 0;
    const up = () => { released = performance.now(); };
    window.addEventListener('pointerup', up, { capture: true, once: true });
    frame.addEventListener('load', () => resolve([released, performance.now()]),
                           { once: true });
  });
}
"""


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def _summary(name: str, values: list[float], baseline: list[float] | None = None) -> str:
    med = statistics.median(values)
    line = f"{name:<40} median {med:7.1f} ms   p95 {_p95(values):7.1f} ms   n={len(values)}"
    if baseline:
        line += f"   ratio to baseline {med / statistics.median(baseline):.1f}x"
    return line


def _baseline(drops: int) -> list[float]:
    """The same edit and render without the browser: insert, validate, render."""
    from qrapp.core.pages.document import parse_document
    from qrapp.core.pages.render import render_preview
    from qrapp.core.pages.starters import STARTERS
    from qrapp.state import page_doc_ops as ops

    doc = STARTERS[0].document()
    out = []
    for i in range(drops):
        t0 = time.perf_counter()
        ops.insert_block(doc, DROPS[i % len(DROPS)], len(doc["blocks"]) // 2)
        render_preview(parse_document(doc))
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drops", type=int, default=20)
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
        wait_http(f"{url}/healthz", 420, web, log)
        wait_http(f"{url}/login", 120, web, log)
        run(url, args)
    finally:
        stop(web)


def _centre(box: dict) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def run(url: str, args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    from qrapp.core.pages.starters import STARTERS
    from qrapp.services.accounts import accounts
    from qrapp.services.authz import actor_for_token
    from qrapp.services.pages import editing

    email = f"bench-{uuid.uuid4().hex[:6]}@example.com"
    password = "bench passphrase 1"  # noqa: S105
    accounts.create_user_cli(email=email, password=password, name="Bench")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url, viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("#submit")
        page.wait_for_url("**/dashboard**")
        token = next(c["value"] for c in page.context.cookies() if c["name"] == "qrapp_session")
        made = editing.create_page(
            actor=actor_for_token(token), name="Bench page", starter=STARTERS[0].key
        )
        page.goto(f"/landing-pages/{made.id}")
        page.wait_for_selector(".block-row")
        page.wait_for_function(
            "() => (document.querySelector('#preview-frame')?.srcdoc || '').length > 0"
        )

        drop_ms = []
        for i in range(args.drops):
            rows = page.locator(".block-row")
            count = rows.count()
            middle = min(count // 2, 3)  # near the top: palette and rows both on screen
            upper = rows.nth(middle - 1).bounding_box()
            lower = rows.nth(middle).bounding_box()
            assert upper is not None
            assert lower is not None
            target_y = (upper["y"] + upper["height"] + lower["y"]) / 2
            source = page.locator(f"#palette-{DROPS[i % len(DROPS)]}")
            source.scroll_into_view_if_needed()
            box = source.bounding_box()
            assert box is not None
            sx, sy = _centre(box)
            page.evaluate(_ARM)
            page.mouse.move(sx, sy)
            page.mouse.down()
            page.mouse.move(sx + 12, sy + 6, steps=3)
            page.mouse.move(upper["x"] + upper["width"] / 2, target_y, steps=8)
            page.wait_for_selector("[data-drop-indicator]")
            page.mouse.up()
            released, loaded = page.evaluate("() => window.__drop")
            drop_ms.append(loaded - released)
            page.wait_for_function(
                f"() => document.querySelectorAll('.block-row').length > {count}"
            )
            page.wait_for_function(
                "() => document.querySelector('#save-status')?.innerText === 'Saved'"
            )
        browser.close()

    baseline = _baseline(args.drops)
    print(_summary("drop -> updated preview (chromium)", drop_ms, baseline))
    print(_summary("baseline: insert + render in-process", baseline))
    print("each drop (ms):", " ".join(f"{v:.0f}" for v in drop_ms))
    print("target: median <= 300 ms, p95 <= 600 ms")


if __name__ == "__main__":
    main()
