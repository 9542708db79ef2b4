"""Rendered landing pages in Debian's chromium, served with their own CSP from an https
origin: an author's XSS attempts run nothing even with JavaScript ON, and every starter
fits a 390 px phone (no sideways scrolling; tap targets other than links inside running
text at least 44 px high).

Needs only the browser: pages are rendered in-process and answered through Playwright's
routing, not by the product's processes (the edge lane tests /p/<slug> end to end)."""

from __future__ import annotations

import pytest

from qrapp.core.pages.document import new_block, parse_document
from qrapp.core.pages.render import RenderedPage, render_page
from qrapp.core.pages.starters import STARTERS
from tests.unit.test_page_render import XSS, every_block_document

pytestmark = pytest.mark.e2e
ORIGIN = "https://pages.test"
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201d1a8f5f60000000049454e44ae426082"
)


def _open(browser, rendered: RenderedPage, *, width=390, js=True):
    context = browser.new_context(viewport={"width": width, "height": 844}, java_script_enabled=js)
    requests: list[str] = []

    def answer(route):
        requests.append(route.request.url)
        if route.request.url == f"{ORIGIN}/p/page":
            route.fulfill(
                body=rendered.html,
                headers={"content-type": "text/html; charset=utf-8",
                         "content-security-policy": rendered.csp},
            )  # fmt: skip
        else:
            route.fulfill(body=PIXEL, content_type="image/png")

    context.route("**/*", answer)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{ORIGIN}/p/page")
    return context, page, dialogs, requests


def rendered_form_id(rendered: RenderedPage) -> str:
    (block_id,) = rendered.forms
    return block_id


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_every_prop_runs_nothing_with_javascript_on(browser, payload):
    rendered = render_page(every_block_document(text=payload, html=payload), slug="page")
    context, page, dialogs, requests = _open(browser, rendered)
    try:
        # Hover and focus every link too, for payloads that wait for an event.
        for link in page.locator("a").all():
            link.hover()
            link.focus()
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.querySelectorAll('iframe,object,embed').length") == 0
        # The one form is the lead form block's own, posting to the edge's route.
        actions = page.evaluate("[...document.forms].map(f => f.getAttribute('action'))")
        assert actions == [f"/p/page/f/{rendered_form_id(rendered)}"]
        assert dialogs == []
        # Only the page itself and its declared image host were fetched.
        assert {u.split("/")[2] for u in requests} <= {"pages.test", "images.example.com"}
    finally:
        context.close()


def test_video_poster_fetches_nothing_until_tapped(browser):
    doc = parse_document({"settings": {"title": "v"}, "blocks": [new_block("video")]})
    context, page, _, requests = _open(browser, render_page(doc, slug="page"))
    try:
        assert requests == [f"{ORIGIN}/p/page"]
        assert page.get_by_role("link", name="Watch the video").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.key)
def test_every_starter_fits_a_phone(browser, starter):
    rendered = render_page(parse_document(starter.document()), slug="page")
    # Script on only so the test can measure; the page itself has none.
    context, page, _, _ = _open(browser, rendered)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        heights = page.evaluate(
            "[...document.querySelectorAll('a:not(.text a)')]"
            ".map(a => a.getBoundingClientRect().height)"
        )
        assert heights
        assert min(heights) >= 44, heights
        assert page.locator("h1").count() == 1
    finally:
        context.close()
