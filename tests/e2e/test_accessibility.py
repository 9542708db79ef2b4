"""axe-core (the npm package, injected into the real pages) on every page a person uses, in
light and dark mode: any critical or serious WCAG 2.2 A/AA violation fails the test and is
printed with its rule, element and axe's summary.

One browser session visits the pages in sequence (signed out first, then signed up once),
so the whole sweep costs one sign-up and a page load per page and mode. The designer and
the code page have their own test, so a report shows which half of the app regressed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import session_cookie, sign_up
from tests.integration.helpers import actor
from tests.support.processes import ROOT
from tests.support.scans import Scan, make_code, record_scans

# axe judges what the pages render, the same in both set-ups (CONTRIBUTING.md).
pytestmark = pytest.mark.embedded_only

PASSWORD = "accessible passphrase 2026"
MODES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"critical", "serious"}

# (path, a selector that shows the page has its data): axe runs once it is visible.
PUBLIC_PAGES = [
    ("/", "#try-it"),
    ("/login", "#submit"),
    ("/signup", "#submit"),
    ("/forgot-password", "#submit"),
    ("/reset-password?token=not-a-real-token", "#submit"),
    ("/verify-email?token=not-a-real-token", "#verify-invalid"),
    ("/invite?token=not-a-real-token", "text=This invitation is not valid"),
]
EMPTY_WORKSPACE_PAGES = [
    ("/dashboard", "#greeting"),
    ("/codes", "#new-code"),
    ("/analytics", "text=Create a code to see who scans it"),
]
SIGNED_IN_PAGES = [
    ("/dashboard", "#greeting"),
    ("/codes", ".code-row"),
    ("/analytics", "#live-feed .feed-item"),
    ("/settings", "#change-password"),
    ("/settings/webhooks", "#add-endpoint"),
    ("/team", ".member-row"),
    ("/landing-pages", "h1"),
    ("/media", "#media-search"),
    ("/bulk", "#bulk-upload"),
]


class AxeScript(str):
    """axe.min.js's source; its repr stays short in a failing test's report."""

    def __repr__(self) -> str:
        return f"<axe-core, {len(self)} characters>"


def _axe_source() -> AxeScript:
    # scripts/test installs axe-core from the npm registry and exports AXE_JS.
    path = Path(os.environ.get("AXE_JS") or ROOT / ".tools/axe/node_modules/axe-core/axe.min.js")
    assert path.is_file(), f"axe-core is not installed at {path}: run the suite with scripts/test"
    return AxeScript(path.read_text())


def _use_colour_mode(page: Page, mode: str) -> None:
    """Reflex keeps the chosen mode in localStorage["theme"]; every later load applies it."""
    page.evaluate("mode => localStorage.setItem('theme', mode)", mode)


def _audit(page: Page, axe: AxeScript, path: str, ready: str, mode: str) -> list[str]:
    page.goto(path)
    expect(page.locator(ready).first).to_be_visible()
    return _audit_here(page, axe, path, mode)


def _audit_here(page: Page, axe: AxeScript, path: str, mode: str) -> list[str]:
    """axe on the page as it is now (a form filled in, a report shown)."""
    page.wait_for_function("mode => document.documentElement.classList.contains(mode)", arg=mode)
    page.add_script_tag(content=axe)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    problems = []
    for violation in result["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())[:220]
            problems.append(
                f"{path} [{mode}] {violation['impact']} {violation['id']}: "
                f"{' '.join(map(str, node['target']))} -- {summary}"
            )
    problems += _structure_problems(page, f"{path} [{mode}]")
    print(f"axe {path} [{mode}]: {len(problems)} critical/serious node(s)")
    for problem in problems:
        print("   ", problem)
    return problems


# What axe leaves to best practice (not failing): one <main> holding the page's single h1,
# and the skip link as the first thing Tab reaches (the first focusable element in DOM
# order, since no element has a positive tabindex).
STRUCTURE_JS = """() => {
  const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select, '
    + 'textarea, [tabindex]:not([tabindex="-1"])';
  const first = document.querySelector(focusable);
  return {
    mains: document.querySelectorAll('main').length,
    h1s: document.querySelectorAll('h1').length,
    h1s_in_main: document.querySelectorAll('main h1').length,
    positive_tabindex: [...document.querySelectorAll('[tabindex]')]
      .filter(e => e.tabIndex > 0).length,
    first_tab_stop: first ? first.textContent.trim() : null,
  };
}"""
GOOD_STRUCTURE = {
    "mains": 1,
    "h1s": 1,
    "h1s_in_main": 1,
    "positive_tabindex": 0,
    "first_tab_stop": "Skip to content",
}


def _structure_problems(page: Page, where: str) -> list[str]:
    found = page.evaluate(STRUCTURE_JS)
    return [
        f"{where} structure {key}: {found[key]!r}, expected {want!r}"
        for key, want in GOOD_STRUCTURE.items()
        if found[key] != want
    ]


def _sweep(page: Page, pages: list[tuple[str, str]], axe: AxeScript) -> list[str]:
    problems: list[str] = []
    for mode in MODES:
        _use_colour_mode(page, mode)
        for path, ready in pages:
            problems += _audit(page, axe, path, ready, mode)
    return problems


def _seed_codes_and_scans(token: str) -> None:
    import datetime as dt

    me = actor(token)
    now = dt.datetime.now(dt.UTC)
    menu = make_code(me.workspace_id, "Restaurant menu", tags=["print"])
    poster = make_code(me.workspace_id, "Summer poster")
    record_scans(
        *[
            Scan(code, now - dt.timedelta(hours=hours), city=city)
            for hours, (code, city) in enumerate(
                [(menu, "Stockholm"), (poster, "Berlin"), (menu, "Paris")] * 4
            )
        ],
        publish=False,
    )


@pytest.fixture
def audited_page(browser, product) -> Iterator[Page]:
    # The app's Content-Security-Policy refuses inline scripts, axe included: bypass it in
    # this browser only. Reduced motion: fading dialogs and skeletons would let axe judge
    # colours mid-transition.
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        base_url=product["url"],
        bypass_csp=True,
        reduced_motion="reduce",
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/login")
    yield page
    context.close()


def test_axe_finds_nothing_serious_on_the_app_pages(audited_page: Page, product):
    page, axe = audited_page, _axe_source()
    problems = _sweep(page, PUBLIC_PAGES, axe)

    sign_up(page, f"axe-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Alma")
    problems += _sweep(page, EMPTY_WORKSPACE_PAGES, axe)
    _seed_codes_and_scans(session_cookie(page)["value"])
    problems += _sweep(page, SIGNED_IN_PAGES, axe)

    assert not problems, "axe found critical/serious violations:\n" + "\n".join(problems)


def test_axe_designer_pages(audited_page: Page, product):
    """The designer (type grid, a chosen type), the code page and its editor."""
    page, axe = audited_page, _axe_source()
    sign_up(page, f"axe-d-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Dara")
    me = actor(session_cookie(page)["value"])
    code = make_code(me.workspace_id, "Restaurant menu")
    problems = _sweep(
        page,
        [
            ("/codes/new", "[id^=type-]"),
            ("/codes/new?type=dynamic", "#preview"),
            (f"/codes/{code}", "#code-name"),
            (f"/codes/{code}/edit", "#preview"),
        ],
        axe,
    )
    assert not problems, "axe found critical/serious violations:\n" + "\n".join(problems)


def test_axe_bulk_page_with_a_file_mapped_and_its_dry_run_report(audited_page: Page, tmp_path):
    """The bulk page past its empty state: the preview table, a select per field and the
    report with a bad row. A reload keeps the tab's state, so dark mode sees them too."""
    page, axe = audited_page, _axe_source()
    sign_up(page, f"axe-b-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Bo")
    sheet = tmp_path / "codes.csv"
    sheet.write_text("Name,URL\nMenu,https://example.com/menu\nBad,javascript:alert(1)\n")
    problems: list[str] = []
    for mode in MODES:
        _use_colour_mode(page, mode)
        page.goto("/bulk")
        if mode == MODES[0]:
            page.set_input_files("#bulk-upload input[type=file]", str(sheet))
            page.click("#dry-run")
        expect(page.locator("#bulk-problems .problem-row")).to_have_count(1)
        problems += _audit_here(page, axe, "/bulk (file and report)", mode)
    assert not problems, "axe found critical/serious violations:\n" + "\n".join(problems)
