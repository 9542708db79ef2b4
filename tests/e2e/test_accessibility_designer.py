"""axe-core on what the designer and the code page show only after a person acts: each
design tab (axe skips hidden tab panels), a gradient and a frame switched on, the rule
editor with a condition row. Light and dark mode; any critical or serious violation fails.
The pages as first loaded are in test_accessibility.py (test_axe_designer_pages)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.flows import session_cookie, sign_up
from tests.e2e.test_accessibility import (  # noqa: F401  (audited_page is a fixture)
    FAILING_IMPACTS,
    MODES,
    PASSWORD,
    WCAG_TAGS,
    _axe_source,
    _use_colour_mode,
    audited_page,
)
from tests.integration.helpers import actor
from tests.support.scans import make_code

# axe judges what the pages render, the same in both set-ups (CONTRIBUTING.md).
pytestmark = pytest.mark.embedded_only


def _axe_here(page: Page, axe: str, label: str) -> list[str]:
    """Run axe on the page as it is now (no reload)."""
    page.add_script_tag(content=axe)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    problems = [
        f"{label} {v['impact']} {v['id']}: {' '.join(map(str, n['target']))} -- "
        + " ".join((n.get("failureSummary") or "").split())[:220]
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
        for n in v["nodes"]
    ]
    print(f"axe {label}: {len(problems)} critical/serious node(s)", *problems, sep="\n    ")
    return problems


def _design_tabs(page: Page, axe: str, mode: str) -> list[str]:
    page.goto("/codes/new?type=dynamic")
    page.wait_for_function("m => document.documentElement.classList.contains(m)", arg=mode)
    expect(page.locator("#preview")).to_be_visible()
    problems = []
    # On a loaded machine the page's load can answer after the first click and reset the
    # form: switch the gradient on until it stays on.
    angle = page.get_by_role("slider", name="Angle")
    for _ in range(3):
        if page.get_attribute("#gradient", "aria-checked") != "true":
            page.click("#gradient")
        try:
            angle.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    expect(angle).to_be_visible()
    problems += _axe_here(page, axe, f"designer colours+gradient [{mode}]")
    for tab in ("Shapes", "Logo", "Advanced"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        problems += _axe_here(page, axe, f"designer {tab} [{mode}]")
    page.get_by_role("tab", name="Frame").click()
    page.locator("[id^=frame_style-]:not(#frame_style-none)").first.click()
    expect(page.locator("#frame-text")).to_be_visible()
    problems += _axe_here(page, axe, f"designer Frame with a caption [{mode}]")
    return problems


def _rule_editor(page: Page, axe: str, mode: str, code) -> list[str]:
    # A fresh tab has fresh page state: the editor (shown once RulesState.load has said
    # the person may edit) then appears only after that load reset it, so the clicks
    # below cannot be undone by a load still on its way.
    tab = page.context.new_page()
    try:
        tab.goto(f"/codes/{code}")
        tab.wait_for_function("m => document.documentElement.classList.contains(m)", arg=mode)
        expect(tab.locator("#code-name")).to_have_text("Window sticker")
        rows = tab.locator(".rule-condition")
        expect(tab.locator("#add-condition")).to_be_visible()
        before = rows.count()
        tab.click("#add-condition")
        expect(rows).to_have_count(before + 1)
        tab.click("#ab-split")
        expect(tab.locator(".variant-destination").first).to_be_visible()
        return _axe_here(tab, axe, f"code page rule editor [{mode}]")
    finally:
        tab.close()


def test_axe_designer_tabs_and_rule_editor(audited_page: Page, product):  # noqa: F811
    page, axe = audited_page, _axe_source()
    sign_up(page, f"axe-t-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Tove")
    code = make_code(actor(session_cookie(page)["value"]).workspace_id, "Window sticker")
    problems: list[str] = []
    for mode in MODES:
        _use_colour_mode(page, mode)
        problems += _design_tabs(page, axe, mode)
        problems += _rule_editor(page, axe, mode, code)
    assert not problems, "axe found critical/serious violations:\n" + "\n".join(problems)
