"""The landing-page builder in a real browser: start from a template, drag a block in from
the palette and reorder with the mouse, edit, watch the preview, publish, read the public
page without JavaScript; a stale tab's save is refused; a viewer cannot edit."""

from __future__ import annotations

import re
import time
import uuid

from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import LandingPage, Membership, User
from qrapp.services.authz import actor_for_session, actor_for_token
from qrapp.services.pages import editing
from qrapp.services.workspaces import workspaces
from tests.e2e.flows import sign_up, signed_up_sessions
from tests.support.raw_socket import call_handlers

PASSWORD = "builder passphrase 1"
CONFLICT = "Conflict: this page was changed elsewhere — reload"


def _centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, "not on screen"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_to(page: Page, source: Locator, x: float, y: float) -> None:
    """A person's drag: press, move in steps (past dnd-kit's 4 px start), see the drop
    indicator, release."""
    source.scroll_into_view_if_needed()
    sx, sy = _centre(source)
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move(sx + 12, sy + 6, steps=4)
    page.mouse.move(x, y, steps=12)
    expect(page.locator("[data-drop-indicator]")).to_have_count(1)
    page.mouse.up()


def between_rows(page: Page, upper: int) -> tuple[float, float]:
    """A point on the boundary between row `upper` and the next."""
    rows = page.locator(".block-row")
    a, b = rows.nth(upper).bounding_box(), rows.nth(upper + 1).bounding_box()
    assert a is not None
    assert b is not None
    return a["x"] + a["width"] / 2, (a["y"] + a["height"] + b["y"]) / 2


def row_types(page: Page) -> list[str]:
    return page.locator(".block-row").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-block-type'))"
    )


def _new_page(page: Page, name: str, template: str) -> str:
    page.goto("/landing-pages")
    page.click("#new-page")
    page.fill("#new-page-name", name)
    page.locator(".start-choice", has_text=template).first.click()
    page.click("#create-page")
    page.wait_for_url(re.compile(r"/landing-pages/[0-9a-f-]{36}$"))
    expect(page.locator("#page-name")).to_have_text(name)
    return page.url.rsplit("/", 1)[1]


def _saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_have_text("Saved")


def _pick_up_and_move_down_by_keyboard(page: Page) -> None:
    """Space on the first row's handle, then ArrowDown: the drop indicator shows. The row
    list is drawn again when the Move up's autosave answers; a drag picked up on the old
    node just before that ends with it, as a person sees and does again: so does this."""
    indicator = page.locator("[data-drop-indicator]")
    for _attempt in range(3):
        handle = page.locator("[data-drag-handle]").first
        handle.focus()
        expect(handle).to_be_focused()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")  # one row a press
        try:
            expect(indicator).to_have_count(1, timeout=4000)
            return
        except AssertionError:
            page.keyboard.press("Escape")
    expect(indicator).to_have_count(1)


def test_build_from_a_template_drag_edit_preview_publish(page: Page, product, browser):
    sign_up(page, f"bea-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Bea")
    # The way a person gets there: the menu's "Landing pages".
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Landing pages").click()
    expect(page).to_have_url(re.compile(r"/landing-pages/?$"))
    expect(page.get_by_text("No landing pages yet")).to_be_visible()
    page_id = _new_page(page, "Bea's links", "Link in bio")
    rows = page.locator(".block-row")
    expect(rows.nth(2)).to_be_visible()
    before = row_types(page)
    assert len(before) >= 3
    frame = page.frame_locator("#preview-frame")
    expect(frame.locator("main")).to_be_visible()
    hr_before = frame.locator("main > hr").count()

    # A divider dragged from the palette into the middle of the page, with the mouse.
    drag_to(page, page.locator("#palette-divider"), *between_rows(page, 1))
    expect(rows).to_have_count(len(before) + 1)
    assert row_types(page) == [*before[:2], "divider", *before[2:]]
    expect(frame.locator("main > hr")).to_have_count(hr_before + 1)
    _saved(page)

    # The first block dragged by its handle below the second.
    order = row_types(page)
    first_handle = page.locator("[data-drag-handle]").first
    drag_to(page, first_handle, *between_rows(page, 1))
    expect(rows.first).to_have_attribute("data-block-type", order[1])
    assert row_types(page) == [order[1], order[0], *order[2:]]

    # The keyboard ways: Move up puts it back; the drag handle moves it with the keys too.
    rows.nth(1).get_by_role("button", name=re.compile(r"^Move .* up$")).click()
    expect(rows.first).to_have_attribute("data-block-type", order[0])
    _saved(page)  # the autosave's answer draws the rows again: pick up after it, not during
    _pick_up_and_move_down_by_keyboard(page)
    page.keyboard.press("Space")
    expect(rows.first).to_have_attribute("data-block-type", order[1])
    rows.first.get_by_role("button", name=re.compile(r"^Move .* down$")).click()
    expect(rows.first).to_have_attribute("data-block-type", order[0])

    # Edit the heading: the preview follows.
    page.locator(".block-row[data-block-type=heading] .block-select").first.click()
    page.fill("#prop-text", "Bea bakes bread")
    expect(frame.get_by_text("Bea bakes bread")).to_be_visible()
    page.click("#tab-page")
    page.fill("[id='setting-theme.accent']", "#aa2200")
    _saved(page)

    # Undo takes the colour back, redo brings it again.
    page.click("#undo")
    expect(page.locator("[id='setting-theme.accent']")).not_to_have_value("#aa2200")
    page.click("#redo")
    expect(page.locator("[id='setting-theme.accent']")).to_have_value("#aa2200")
    _saved(page)

    page.click("#width-tablet")
    expect(page.locator("#preview-frame")).to_have_css("width", "768px")
    page.click("#width-phone")
    expect(page.locator("#preview-frame")).to_have_css("width", "390px")

    page.click("#publish")
    expect(page.locator("#page-status")).to_have_text("published")
    page.click("#tab-versions")
    expect(page.locator(".version-row")).to_have_count(1)
    with read_session() as s:
        stored = s.get(LandingPage, uuid.UUID(page_id))
        assert stored is not None
        assert stored.status == "published"
        assert stored.published_version == 1
        assert [b["type"] for b in stored.draft["blocks"]][:3] == [*before[:2], "divider"]
        slug = stored.slug

    # The public page, with JavaScript off, from the edge.
    public = page.locator("#public-url")
    expect(public).to_have_attribute("href", re.compile(rf"/p/{slug}$"))
    ctx = browser.new_context(java_script_enabled=False)
    try:
        visitor = ctx.new_page()
        response = visitor.goto(f"{product['edge_url']}/p/{slug}")
        assert response is not None
        assert response.status == 200
        expect(visitor.get_by_text("Bea bakes bread")).to_be_visible()
        expect(visitor.locator("main > hr")).to_have_count(hr_before + 1)
        expect(visitor.locator("a.btn").first).to_have_attribute("href", re.compile(r"/p/"))
    finally:
        ctx.close()

    # The list shows it with its status and publish time.
    page.goto("/landing-pages")
    row = page.locator(".page-row", has_text="Bea's links")
    expect(row).to_contain_text("Published")
    expect(row).to_contain_text(time.strftime("%Y-"))


def test_a_stale_tab_is_refused_with_the_conflict_message(page: Page, product):
    sign_up(page, f"cy-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Cy")
    _new_page(page, "Two tabs", "Blank")
    other = page.context.new_page()
    other.goto(page.url)
    expect(other.locator(".block-row")).to_have_count(1)

    page.locator(".block-select").first.click()
    page.fill("#prop-text", "Written in the first tab")
    _saved(page)

    other.locator(".block-select").first.click()
    other.fill("#prop-text", "Written in the second tab")
    expect(other.locator("#save-status")).to_contain_text(CONFLICT)
    with read_session() as s:
        stored = s.exec(select(LandingPage).where(LandingPage.name == "Two tabs")).one()
    assert stored.draft["blocks"][0]["props"]["text"] == "Written in the first tab"
    # Loading the page again in that tab (as a websocket reconnect does) keeps its refused
    # edit and the message: only "Reload" swaps it for the stored draft.
    other.reload()
    expect(other.locator("#save-status")).to_contain_text(CONFLICT)
    expect(other.locator(".block-row")).to_contain_text("Written in the second tab")
    other.click("#reload")
    expect(other.locator(".block-row")).to_contain_text("Written in the first tab")
    _saved(other)


def test_a_viewer_sees_the_builder_read_only_and_handlers_refuse(browser, product):
    tag, cookies = signed_up_sessions(browser, product["url"], ("owen", "vera"), PASSWORD)
    with transaction() as tx:
        vera = tx.session.exec(select(User).where(User.email == f"vera-{tag}@example.com")).one()
        ws_id = actor_for_session(tx.session, cookies["owen"]).workspace_id
        tx.session.add(Membership(workspace_id=ws_id, user_id=vera.id, role=Role.VIEWER.value))
    workspaces.switch(actor=actor_for_token(cookies["vera"]), workspace_id=ws_id)
    owen = actor_for_token(cookies["owen"])
    made = editing.create_page(actor=owen, name="Shared page")

    ctx = browser.new_context(base_url=product["url"])
    ctx.add_cookies([{"name": "qrapp_session", "value": cookies["vera"], "url": product["url"]}])
    pg = ctx.new_page()
    pg.goto("/landing-pages")
    expect(pg.locator(".page-row")).to_have_count(1)
    expect(pg.locator("#new-page")).to_have_count(0)
    pg.goto(f"/landing-pages/{made.id}")
    expect(pg.locator("#read-only-note")).to_be_visible()
    expect(pg.locator(".block-row")).to_have_count(1)
    expect(pg.locator("[data-drag-handle]")).to_have_count(0)
    expect(pg.locator("#publish")).to_have_count(0)
    expect(pg.locator("#palette")).to_have_count(0)
    ctx.close()

    from qrapp.state.page_builder import BuilderState

    name = BuilderState.get_full_name()
    path = f"/landing-pages/{made.id}"
    replies = call_handlers(
        product["url"],
        cookies["vera"],
        [
            (f"{name}.load", {}),
            (f"{name}.insert_block", {"type_key": "button", "index": 0}),
            (f"{name}.publish", {}),
        ],
        path=path,
    )
    with read_session() as s:
        fresh = s.get(LandingPage, made.id)
    assert fresh is not None
    assert len(fresh.draft["blocks"]) == len(made.draft["blocks"])
    assert fresh.status == "draft"
    assert "does not allow that" in str(replies)
