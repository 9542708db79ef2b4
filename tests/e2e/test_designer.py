"""The QR designer and library in a real browser: what gets downloaded must scan.

Over 400 lines: every designer flow shares one built product and browser (e2e start-up
is the slow part).
"""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import Membership, QRCode, User
from qrapp.services.authz import actor_for_session, actor_for_token
from qrapp.services.workspaces import workspaces
from tests.e2e.flows import sign_up, signed_up_sessions
from tests.support.raw_socket import call_handler

PASSWORD = "designer passphrase 1"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


def _decode(path: str | Path) -> str:
    results = zxingcpp.read_barcodes(Image.open(path).convert("L"))
    assert results, f"{path} does not decode"
    return results[0].text


def _logo(tmp: Path) -> Path:
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((8, 8, 232, 232), fill=(200, 30, 90, 255))
    path = tmp / "logo.png"
    image.save(path)
    return path


def _download(page: Page, tmp: Path, name: str) -> Path:
    with page.expect_download() as info:
        page.click("#download")
    target = tmp / name
    info.value.save_as(target)
    assert info.value.suggested_filename.endswith(".png")
    return target


def _new_user(page: Page, product, who: str) -> str:
    email = f"{who}-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, email, PASSWORD, who.title())
    return email


def test_dynamic_code_with_design_and_logo_downloads_and_scans(page: Page, product, tmp_path):
    _new_user(page, product, "dora")
    page.goto("/codes")
    expect(page.get_by_text("No QR codes yet")).to_be_visible()
    page.click("#new-code")
    page.click("#type-dynamic")
    page.fill("#destination", "https://example.com/menu")
    page.fill("#code-name", "Table menu")
    page.click("#preset-ocean")
    page.get_by_role("tab", name="Shapes").click()
    page.click("#modules-dots")
    page.get_by_role("tab", name="Logo").click()
    page.set_input_files("#logo-upload input[type=file]", str(_logo(tmp_path)))
    expect(page.get_by_role("button", name="Remove logo")).to_be_visible()
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    short_url = page.inner_text("#short-url")
    assert re.fullmatch(r"https?://\S+/[A-Za-z0-9]{7}", short_url)
    # The toaster's code (sonner) is fetched with the first toast
    # (components/lazy_toaster.jsx): not on the page before, and the toast still shows.
    expect(page.locator('section[aria-label^="Notifications"]')).to_have_count(0)
    page.get_by_role("button", name="Copy short link").click()
    expect(page.get_by_text("Short link copied")).to_be_visible()

    png = _download(page, tmp_path, "dynamic.png")
    assert _decode(png) == short_url

    with read_session() as s:
        code = s.exec(select(QRCode).where(QRCode.name == "Table menu")).one()
    assert code.design["modules"] == "dots"
    assert code.design["logo"]
    assert code.design["error_correction"] in ("Q", "H")

    # A phone scanning it meets the edge, which redirects (302, never 301).
    assert short_url.startswith(product["edge_url"])
    first = httpx.get(short_url, headers={"user-agent": IPHONE}, follow_redirects=False)
    assert first.status_code == 302
    assert first.headers["location"] == "https://example.com/menu"

    # The destination changes from the code page; the very next scan goes there.
    page.fill("#new-destination", "https://example.com/new-menu")
    page.click("#save-destination")
    expect(page.get_by_text("The next scan goes there")).to_be_visible()
    with read_session() as s:
        assert s.get(QRCode, code.id).destination == "https://example.com/new-menu"
    second = httpx.get(short_url, headers={"user-agent": IPHONE}, follow_redirects=False)
    assert (second.status_code, second.headers["location"]) == (
        302,
        "https://example.com/new-menu",
    )

    page.goto("/codes")
    expect(page.locator(".code-row")).to_have_count(1)
    page.fill("#search", "nothing like this")
    expect(page.get_by_text("No codes match")).to_be_visible()
    page.fill("#search", "table")
    expect(page.locator(".code-row")).to_have_count(1)


def _static_code(page: Page, kind: str, values: dict[str, str], name: str) -> None:
    page.goto(f"/codes/new?type={kind}")
    for field, value in values.items():
        page.fill(f"#f-{field}", value)
    page.fill("#code-name", name)
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    # The code page keeps the previous code's data until its load answers: wait for this
    # code's name, as a person would, before downloading.
    expect(page.locator("#code-name")).to_have_text(name)


@pytest.mark.embedded_only
def test_static_wifi_and_swish_codes_decode_to_their_exact_payloads(page, product, tmp_path):
    _new_user(page, product, "wil")
    _static_code(page, "wifi", {"ssid": "Home Net", "password": "pa;ss:word"}, "Guest Wi-Fi")
    assert _decode(_download(page, tmp_path, "wifi.png")) == (
        r"WIFI:T:WPA;S:Home Net;P:pa\;ss\:word;;"
    )
    _static_code(
        page, "swish", {"payee": "1237856901", "amount": "100", "message": "12229445"}, "Pay"
    )
    assert _decode(_download(page, tmp_path, "swish.png")) == "C1237856901;100,00;12229445;0"


@pytest.mark.embedded_only
def test_a_design_that_does_not_scan_cannot_be_saved(page: Page, product):
    email = _new_user(page, product, "faye")
    page.goto("/codes/new?type=dynamic")
    page.fill("#destination", "https://example.com")
    page.fill("#code-name", "Ghost")
    page.fill("#c-foreground", "#f4f4f4")
    expect(page.locator("#verdict")).to_have_text("Does not scan")
    expect(page.locator("#save")).to_be_disabled()

    page.click("#save", force=True)  # even a forced click on the disabled button
    page.wait_for_timeout(1500)  # time for a save to land, if the click did one: none may
    with read_session() as s:
        owner = s.exec(select(User).where(User.email == email)).one()
        names = s.exec(select(QRCode.name).where(QRCode.created_by == owner.id)).all()
    assert names == []
    # Light but readable again: the verdict clears and saving works.
    page.fill("#c-foreground", "#1e3a8a")
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
    expect(page.locator("#save")).to_be_enabled()


def test_a_viewer_sees_codes_read_only_and_write_handlers_refuse(browser, product):
    tag, cookies = signed_up_sessions(browser, product["url"], ("owner", "viewer"), PASSWORD)
    with transaction() as tx:
        owner = tx.session.exec(select(User).where(User.email == f"owner-{tag}@example.com")).one()
        viewer = tx.session.exec(
            select(User).where(User.email == f"viewer-{tag}@example.com")
        ).one()
        ws_id = actor_for_session(tx.session, cookies["owner"]).workspace_id
        tx.session.add(Membership(workspace_id=ws_id, user_id=viewer.id, role=Role.VIEWER.value))
    viewer_actor = actor_for_token(cookies["viewer"])
    workspaces.switch(actor=viewer_actor, workspace_id=ws_id)
    from qrapp.services.codes import qrcodes

    owner_actor = actor_for_token(cookies["owner"])
    code = qrcodes.create(
        actor=owner_actor,
        data=qrcodes.CodeInput(name="Shared", destination="https://example.com/a"),
    )
    assert owner.id == owner_actor.user_id

    ctx = browser.new_context(base_url=product["url"])
    ctx.add_cookies([{"name": "qrapp_session", "value": cookies["viewer"], "url": product["url"]}])
    pg = ctx.new_page()
    pg.goto(f"/codes/{code.id}")
    expect(pg.locator("#code-name")).to_have_text("Shared")
    expect(pg.locator("#save-destination")).to_have_count(0)
    expect(pg.locator("#new-destination")).to_be_disabled()
    pg.goto("/codes")
    expect(pg.locator(".code-row")).to_have_count(1)
    expect(pg.locator("#new-code")).to_have_count(0)
    # The designer shows a viewer why Save is greyed out.
    pg.goto(f"/codes/{code.id}/edit")
    expect(pg.locator("#preview")).to_be_visible()
    expect(pg.locator("#save")).to_be_disabled()
    expect(pg.locator("#save-reason")).to_contain_text("Viewers can't change codes")
    expect(pg.locator("#save-reason")).to_contain_text("ask an owner or admin")
    ctx.close()

    from qrapp.state.code_detail import CodeDetailState
    from qrapp.state.library import LibraryState

    path = f"/codes/{code.id}"
    detail = CodeDetailState.get_full_name()
    call_handler(
        product["url"],
        cookies["viewer"],
        f"{detail}.set_new_destination",
        {"value": "https://evil.example"},
        path=path,
    )
    replies = call_handler(
        product["url"], cookies["viewer"], f"{detail}.save_destination", {}, path=path
    )
    call_handler(
        product["url"], cookies["viewer"], f"{detail}.set_status", {"status": "paused"}, path=path
    )
    call_handler(product["url"], cookies["viewer"], f"{detail}.delete", {}, path=path)
    lib = LibraryState.get_full_name()
    call_handler(product["url"], cookies["viewer"], f"{lib}.load", {}, path="/codes")
    call_handler(
        product["url"], cookies["viewer"], f"{lib}.toggle", {"code_id": str(code.id)}, path="/codes"
    )
    call_handler(
        product["url"], cookies["viewer"], f"{lib}.run_bulk", {"action": "delete"}, path="/codes"
    )
    time.sleep(0.5)  # time for the refused delete to land, if it were not refused
    with read_session() as s:
        fresh = s.get(QRCode, code.id)
    assert fresh is not None, "a viewer deleted a code"
    assert (fresh.destination, fresh.status) == ("https://example.com/a", "active")
    assert "does not allow that" in str(replies)


@pytest.mark.embedded_only
def test_a_default_template_is_where_new_codes_start(page: Page, product):
    _new_user(page, product, "tess")
    page.goto("/codes/new?type=dynamic")
    page.fill("#c-foreground", "#7c2d12")
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
    page.click("#save-template-open")
    page.fill("#template-name", "Brand")
    page.click("#template-default")
    page.click("#save-template")
    expect(page.locator(".template-card")).to_have_count(1)
    page.goto("/codes/new?type=url")
    expect(page.locator("#c-foreground")).to_have_value("#7c2d12")


@pytest.mark.embedded_only
def test_rules_decide_where_a_simulated_scan_goes(page: Page, product):
    _new_user(page, product, "rita")
    page.goto("/codes/new?type=dynamic")
    page.fill("#destination", "https://example.com/everyone")
    page.fill("#code-name", "Ruled")
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    page.locator(".rule-values").first.click()  # the device menu (tests/e2e/test_rules.py)
    page.locator(".rule-menu").get_by_role("checkbox", name="Mobile", exact=True).click()
    page.keyboard.press("Escape")
    page.fill("#rule-destination", "https://m.example.com")
    page.click("#add-rule")
    expect(page.locator(".rule-row")).to_have_count(1)
    page.select_option("#sim-device", "mobile")
    page.click("#simulate")
    expect(page.locator("#sim-result")).to_have_text("https://m.example.com")
    expect(page.locator("#sim-why")).to_contain_text("Rule 1 matched")
    page.select_option("#sim-device", "desktop")
    page.click("#simulate")
    expect(page.locator("#sim-result")).to_have_text("https://example.com/everyone")
    # A rule that sends scans to a javascript: URL is refused with a message.
    page.locator(".rule-values").first.click()  # the device menu (tests/e2e/test_rules.py)
    page.locator(".rule-menu").get_by_role("checkbox", name="Desktop", exact=True).click()
    page.keyboard.press("Escape")
    page.fill("#rule-destination", "javascript:alert(1)")
    page.click("#add-rule")
    expect(page.get_by_role("alert").first).to_contain_text("http")
    expect(page.locator(".rule-row")).to_have_count(1)


def test_another_workspace_gets_not_found_for_pages_handlers_and_files(browser, product):
    _tag, cookies = signed_up_sessions(browser, product["url"], ("alice", "mallory"), PASSWORD)
    from qrapp.services.codes import qrcodes

    alice = actor_for_token(cookies["alice"])
    code = qrcodes.create(
        actor=alice, data=qrcodes.CodeInput(name="Private", destination="https://a.example")
    )
    base = product["url"]
    for path in (
        f"/files/codes/{code.id}/download?format=png",
        f"/files/codes/{code.id}/thumb.png",
    ):
        own = httpx.get(base + path, cookies={"qrapp_session": cookies["alice"]})
        foreign = httpx.get(base + path, cookies={"qrapp_session": cookies["mallory"]})
        anonymous = httpx.get(base + path)
        assert own.status_code == 200
        assert own.headers["content-type"] == "image/png"
        assert foreign.status_code == 404
        assert b"PNG" not in foreign.content
        assert anonymous.status_code == 401

    ctx = browser.new_context(base_url=base)
    ctx.add_cookies([{"name": "qrapp_session", "value": cookies["mallory"], "url": base}])
    pg = ctx.new_page()
    pg.goto(f"/codes/{code.id}")
    expect(pg.get_by_text("Code not found")).to_be_visible()
    ctx.close()

    from qrapp.state.code_detail import CodeDetailState

    path = f"/codes/{code.id}"
    detail = CodeDetailState.get_full_name()
    call_handler(
        base, cookies["mallory"], f"{detail}.set_status", {"status": "archived"}, path=path
    )
    call_handler(base, cookies["mallory"], f"{detail}.delete", {}, path=path)
    with read_session() as s:
        fresh = s.get(QRCode, code.id)
    assert fresh is not None
    assert fresh.status == "active"


def test_oversized_uploads_are_refused_before_reaching_the_app(product):
    body = b"x" * (4 * 1024 * 1024)
    r = httpx.post(
        product["url"] + "/_upload",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert r.status_code == 413
    assert "2 MB" in r.text


def _dynamic_form(page: Page, destination: str, name: str) -> None:
    page.goto("/codes/new?type=dynamic")
    page.fill("#destination", destination)
    page.fill("#code-name", name)
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))


@pytest.mark.embedded_only
def test_the_new_code_form_starts_clean_after_a_saved_code(page: Page, product):
    _new_user(page, product, "cleo")
    _dynamic_form(page, "https://example.com/first", "First")
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))

    # Through the type grid, like a person: a SEPA transfer has a field called "Name" too.
    page.goto("/codes/new")
    page.click("#type-epc")
    page.wait_for_url(re.compile(r"type=epc"))
    expect(page.locator("#f-name")).to_be_visible()
    expect(page.locator("#preview-empty")).to_be_visible()
    expect(page.locator("#preview")).to_have_count(0)  # not the last code's picture
    expect(page.locator("#verdict")).to_have_count(0)  # and no "Checking…" for nothing
    expect(page.locator(".error")).to_have_count(0)  # nothing typed, nothing wrong yet
    expect(page.locator("#code-name")).to_have_value("")
    expect(page.locator("#save")).to_be_disabled()
    expect(page.locator("#save-reason")).to_contain_text("required")

    # Leaving a required field empty says so, under that field only.
    page.focus("#f-name")
    page.focus("#f-iban")
    expect(page.locator(".error")).to_have_count(1)
    expect(page.locator(".error[data-field='f.name']")).to_contain_text("required")
    page.fill("#f-name", "Café Flora")
    page.fill("#f-iban", "DE89370400440532013000")
    page.focus("#f-amount")
    expect(page.locator(".error")).to_have_count(0)
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
    expect(page.locator("#save")).to_be_disabled()  # the code itself has no name yet
    expect(page.locator("#save-reason")).to_contain_text("Name")
    page.fill("#code-name", "Donations")
    expect(page.locator("#save")).to_be_enabled()
    expect(page.locator("#save-reason")).to_have_count(0)


@pytest.mark.embedded_only
def test_an_emoji_caption_is_refused_and_the_preview_keeps_following(page: Page, product):
    _new_user(page, product, "emma")
    _dynamic_form(page, "https://example.com/party", "Party")
    page.get_by_role("tab", name="Frame").click()
    page.click("#frame_style-banner-bottom")
    expect(page.locator("#caption-count")).to_have_text("7 / 32")

    page.fill("#frame-text", "PARTY 🎉")
    expect(page.locator(".error[data-field='frame_text']")).to_contain_text("cannot draw 🎉")
    expect(page.locator("#save")).to_be_disabled()
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))
    with_emoji = page.get_attribute("#preview", "src")

    # Another change still reaches the preview.
    page.get_by_role("tab", name="Colours").click()
    page.fill("#c-foreground", "#111827")
    expect(page.locator("#preview")).not_to_have_attribute("src", with_emoji)
    expect(page.locator("#verdict")).to_have_text(re.compile("Scans"))

    # Too long a caption says where the limit is instead of cutting it silently.
    page.get_by_role("tab", name="Frame").click()
    page.fill("#frame-text", "SCAN THIS CODE FOR THE PARTY PROGRAMME")
    expect(page.locator("#caption-count")).to_have_text("38 / 32")
    expect(page.locator(".error[data-field='frame_text']")).to_have_text(
        "Captions hold up to 32 characters."
    )
    page.fill("#frame-text", "SCAN FOR THE PROGRAMME")
    expect(page.locator(".error")).to_have_count(0)
    expect(page.locator("#save")).to_be_enabled()
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    with read_session() as s:
        code = s.exec(select(QRCode).where(QRCode.name == "Party")).one()
    assert code.design["frame"]["text"] == "SCAN FOR THE PROGRAMME"


@pytest.mark.embedded_only
def test_sliders_show_their_values_and_shapes_are_pictures_on_radios(page: Page, product):
    _new_user(page, product, "sami")
    _dynamic_form(page, "https://example.com/s", "Shapes")

    page.get_by_role("tab", name="Advanced").click()
    expect(page.locator("#quiet_zone-value")).to_have_text("4 modules")
    # A native range input: the slider role and its label's name come with it.
    page.get_by_role("slider", name="Quiet zone").focus()
    before = page.get_attribute("#preview", "src")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#quiet_zone-value")).to_have_text("5 modules")
    # (4 and 5 draw the same 360 px picture: whole pixels per module, centred.)
    page.keyboard.press("End")
    expect(page.locator("#quiet_zone-value")).to_have_text("10 modules")
    expect(page.locator("#preview")).not_to_have_attribute("src", before)
    # A touch drag sends input events and no mouse-up or key-up: the preview still follows
    # once the slider holds still.
    before = page.get_attribute("#preview", "src")
    page.eval_on_selector(
        "#quiet_zone-slider",
        """el => {
            const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
            for (const v of ["9", "8", "7"]) {
                set.call(el, v);
                el.dispatchEvent(new Event("input", {bubbles: true}));
            }
        }""",
    )
    expect(page.locator("#quiet_zone-value")).to_have_text("7 modules")
    expect(page.locator("#preview")).not_to_have_attribute("src", before)
    page.get_by_role("tab", name="Colours").click()
    page.click("#gradient")
    expect(page.locator("#gradient_angle-value")).to_have_text("45°")

    page.get_by_role("tab", name="Shapes").click()
    modules = page.get_by_role("radiogroup", name="Module shape")
    expect(modules.get_by_role("radio")).to_have_count(7)
    expect(modules.locator("img[src^='data:image/png']")).to_have_count(7)
    expect(modules.get_by_role("radio", name="Square")).to_be_checked()
    balls = page.get_by_role("radiogroup", name="Eye centre shape")
    expect(balls.get_by_role("radio", name="Diamond")).to_have_count(1)

    # The keyboard alone changes the shape, and the server hears it.
    modules.get_by_role("radio", name="Square").focus()
    before = page.get_attribute("#preview", "src")
    page.keyboard.press("ArrowRight")
    expect(modules.get_by_role("radio", name="Rounded")).to_be_checked()
    expect(page.locator("#preview")).not_to_have_attribute("src", before)
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    with read_session() as s:
        code = s.exec(select(QRCode).where(QRCode.name == "Shapes")).one()
    assert (code.design["modules"], code.design["quiet_zone"]) == ("rounded", 7)


def test_a_download_keeps_the_accented_name(page: Page, product, tmp_path):
    _new_user(page, product, "zoe")
    _dynamic_form(page, "https://example.com/menu", "Café Menü")
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    with page.expect_download() as info:
        page.click("#download")
    assert info.value.suggested_filename == "café-menü-qr.png"


@pytest.mark.embedded_only
def test_on_a_phone_the_preview_stays_in_view(browser, product):
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=product["url"], is_mobile=True
    )
    pg = ctx.new_page()
    _new_user(pg, product, "phil")
    _dynamic_form(pg, "https://example.com/m", "Mobile")
    pg.locator("#tags").scroll_into_view_if_needed()
    pg.focus("#tags")
    pg.keyboard.type("menu")
    # The page scrolled far down to the field, and the preview came along, above it.
    assert pg.evaluate("window.scrollY") > 300
    tags, preview = pg.locator("#tags").bounding_box(), pg.locator("#preview").bounding_box()
    assert tags
    assert preview
    assert preview["y"] >= 0
    assert preview["y"] + preview["height"] <= 844
    assert tags["y"] >= preview["y"] + preview["height"], "the preview covers the field"
    expect(pg.locator("#preview")).to_be_in_viewport()
    expect(pg.locator("#save")).to_be_in_viewport()
    ctx.close()


@pytest.mark.embedded_only
def test_counts_read_right_and_no_scans_is_no_share(page: Page, product):
    _new_user(page, product, "una")
    _dynamic_form(page, "https://example.com/one", "Only one")
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    page.goto("/codes")
    expect(page.locator("#total")).to_have_text("1 code")
    page.goto("/dashboard")
    expect(page.get_by_text("0 scans").first).to_be_visible()
    page.goto("/analytics")
    expect(page.locator("#kpi-humans")).to_contain_text("\u2013")  # an en dash
    expect(page.locator("#kpi-humans")).not_to_contain_text("100%")
    expect(page.get_by_text("0 bot or preview scans")).to_be_visible()


def test_opening_another_code_never_shows_the_previous_codes_name(page: Page, product):
    _new_user(page, product, "otto")
    _dynamic_form(page, "https://example.com/first", "First")
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    first_path = page.url.split(product["url"], 1)[1]
    _dynamic_form(page, "https://example.com/second", "Second")
    page.click("#save")
    page.wait_for_url(re.compile(r"/codes/[0-9a-f-]{36}$"))
    expect(page.locator("#code-name")).to_have_text("Second")

    # Watch every change of the page from here: the code name shown while the address is
    # the first code's page.
    page.evaluate(
        """(path) => {
            window.__namesAtFirst = [];
            const look = () => {
                const name = document.querySelector('#code-name');
                if (location.pathname.replace(/\\/$/, '') === path && name) {
                    window.__namesAtFirst.push(name.textContent);
                }
            };
            new MutationObserver(look).observe(document.body,
                {subtree: true, childList: true, characterData: true});
        }""",
        first_path.rstrip("/"),
    )
    # In the app, as a person: the menu, then the first code in the library.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="QR codes").click()
    page.locator(f"a[href='{first_path}']").first.click()
    expect(page.locator("#code-name")).to_have_text("First")
    seen = page.evaluate("window.__namesAtFirst")
    assert seen, "the observer saw no code name at the first code's address"
    assert set(seen) == {"First"}, seen
