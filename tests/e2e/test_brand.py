"""Settings -> Brand in a real browser (issue 17 §4): the owner of an Enterprise
workspace sets a brand, sees a colour under WCAG AA refused at the field, sees the brand
in the page previews, uploads a logo, saves; then a visitor with JavaScript off sees the
brand (and its logo, served by the edge), and no "qrapp" anywhere, on a published landing
page and on a protected code's password page.
axe checks the settings page."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlmodel import select

from qrapp.db import transaction
from qrapp.models import Workspace
from qrapp.services.authz import actor_for_token
from qrapp.services.codes import qrcodes
from qrapp.services.codes.editing import set_password
from qrapp.services.pages import editing
from tests.e2e.flows import signed_up_sessions
from tests.e2e.test_accessibility import _audit_here, _axe_source, _use_colour_mode
from tests.support.waiting import eventually

PASSWORD = "brand passphrase 2026"


def _logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 48), (26, 77, 143)).save(out, "PNG")
    return out.getvalue()


def _enterprise_owner(browser, product) -> str:
    _tag, cookies = signed_up_sessions(browser, product["url"], ("owner",), PASSWORD)
    token = cookies["owner"]
    with transaction() as tx:
        wid = actor_for_token(token).workspace_id
        ws = tx.session.exec(select(Workspace).where(Workspace.id == wid)).one()
        ws.plan = "enterprise"
        tx.session.add(ws)
    return token


@pytest.mark.embedded_only  # the brand travels in the edge's snapshots the same way in both
def test_owner_sets_a_brand_and_visitors_see_it_without_qrapp(browser, product):
    token = _enterprise_owner(browser, product)
    owner = actor_for_token(token)
    code = qrcodes.create(
        actor=owner, data=qrcodes.CodeInput(name="Menu", destination="https://example.com/m")
    )
    set_password(actor=owner, code_id=code.id, password="open sesame 1")
    landing = editing.create_page(actor=owner, name="Spring", starter="link_in_bio")
    editing.publish(actor=owner, page_id=landing.id)

    ctx = browser.new_context(base_url=product["url"], bypass_csp=True, reduced_motion="reduce")
    ctx.add_cookies([{"name": "qrapp_session", "value": token, "url": product["url"]}])
    page = ctx.new_page()
    page.goto("/settings")
    _use_colour_mode(page, "light")
    page.get_by_role("link", name="Brand").click()
    page.wait_for_url(re.compile(r"/settings/brand$"))

    page.get_by_label("Brand name").fill("Acme Coffee")
    page.get_by_label("Primary colour").fill("#ffeb3b")  # 1.2:1 on white
    page.get_by_label("Support e-mail").fill("help@acme.example")
    page.get_by_role("button", name="Save brand").click()
    expect(page.locator("#brand-primary-colour-error")).to_contain_text("4.5:1")
    expect(page.locator("#brand-error")).to_be_visible()

    page.get_by_label("Primary colour").fill("#1a4d8f")
    page.get_by_label("Accent colour").fill("#7a2e0e")
    page.get_by_label("Accent colour").blur()
    # The previews follow the fields before anything is saved.
    for frame in ("#preview-password", "#preview-landing", "#preview-expired"):
        expect(page.frame_locator(frame).get_by_text("Acme Coffee").first).to_be_visible()
    expect(page.frame_locator("#preview-password").locator("body")).not_to_contain_text("qrapp")
    # A logo uploaded here lands in the media library and is chosen at once.
    page.locator("#brand-logo-file").set_input_files(
        files=[{"name": "acme.png", "mimeType": "image/png", "buffer": _logo_png()}]
    )
    expect(page.locator("#brand-notice")).to_contain_text("Logo uploaded")
    expect(page.get_by_label("Logo", exact=True)).not_to_have_value("")
    expect(
        page.frame_locator("#preview-password").get_by_role("img", name="Acme Coffee")
    ).to_be_visible()
    page.get_by_role("button", name="Save brand").click()
    expect(page.locator("#brand-notice")).to_contain_text("Brand saved")
    expect(page.locator("#brand-primary-colour-error")).to_have_count(0)

    problems = _audit_here(page, _axe_source(), "/settings/brand", "light")
    assert not problems, "\n".join(problems)
    ctx.close()

    visitor = browser.new_context(java_script_enabled=False, base_url=product["edge_url"])
    vpage = visitor.new_page()

    def shows_brand(path: str) -> bool:
        vpage.goto(path)
        return "Acme Coffee" in vpage.content()

    for path in (f"/p/{landing.slug}", f"/{code.short_code}"):
        eventually(lambda path=path: shows_brand(path), 10, interval=0.3)
        expect(vpage.locator("body")).to_contain_text("help@acme.example")
        logo = vpage.get_by_role("img", name="Acme Coffee")
        expect(logo).to_be_visible()
        served = vpage.request.get(product["edge_url"] + logo.get_attribute("src"))
        assert served.status == 200
        assert served.headers["content-type"].startswith("image/")
        assert "qrapp" not in vpage.content().lower()
    expect(vpage.get_by_label("Password")).to_be_visible()  # the code's password page
    visitor.close()
