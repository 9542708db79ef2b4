"""Settings -> API keys in the browser: an owner makes a key with the real controls, reads
it from the page (once), calls the API with it, revokes it, and the same call is refused;
a viewer has no menu item and its handlers are refused; axe finds nothing serious."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import ApiKey, Membership, User
from qrapp.services.authz import actor_for_session, actor_for_token
from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from qrapp.services.workspaces import workspaces
from qrapp.state.api_keys import ApiKeysState
from tests.e2e.flows import session_cookie, sign_up, signed_up_sessions
from tests.e2e.test_accessibility import _audit_here, _axe_source
from tests.support.raw_socket import call_handler

PASSWORD = "api key passphrase 2026"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_owner_creates_a_key_calls_the_api_with_it_and_revokes_it(page: Page, product):
    sign_up(page, f"keys-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Kim")
    owner = actor_for_token(session_cookie(page)["value"])
    code = qrcodes.create(
        actor=owner, data=CodeInput(name="Shop poster", destination="https://example.com/")
    )

    page.get_by_role("link", name="API keys").click()
    page.wait_for_url(re.compile(r"/settings/api-keys"))
    expect(page.get_by_role("heading", name="No API keys yet")).to_be_visible()
    expect(page.get_by_role("link", name="Read the API reference")).to_have_attribute(
        "href", re.compile(r"/api/v1/docs$")
    )
    page.click("#create-first-key")
    page.get_by_label("Name").fill("Shop integration")
    page.get_by_label(re.compile(r"^codes:read")).check()
    page.click("#create-key-submit")

    shown = page.locator("#new-api-key")
    expect(shown).to_have_value(re.compile(r"^qrk_[A-Za-z0-9]{12}_[A-Za-z0-9]{32}$"))
    expect(page.get_by_text("You will not see this key again")).to_be_visible()
    token = shown.input_value()
    page.click("#token-done")
    expect(page.locator("#new-api-key")).to_have_count(0)
    row = page.locator(".api-key-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Shop integration")
    expect(row).to_contain_text("codes:read")
    expect(row).to_contain_text("Active")
    assert token not in page.content()  # shown once: gone from the page

    url = f"{product['url']}/api/v1/codes/{code.id}"
    got = httpx.get(url, headers=_bearer(token))
    assert got.status_code == 200
    assert got.json()["name"] == "Shop poster"
    assert got.headers["x-ratelimit-limit"] == "30"

    # Rotation: a new token, shown once; the old one keeps working for the overlap.
    page.get_by_role("button", name="Rotate Shop integration").click()
    expect(page.get_by_role("dialog")).to_contain_text("The old key keeps working until")
    expect(shown).not_to_have_value(token)
    rotated = shown.input_value()
    assert rotated.split("_")[1] == token.split("_")[1]
    page.click("#token-done")
    assert httpx.get(url, headers=_bearer(rotated)).status_code == 200
    assert httpx.get(url, headers=_bearer(token)).status_code == 200

    page.get_by_role("button", name="Revoke Shop integration").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("stops working at once")
    page.click("#confirm-delete")
    expect(row).to_contain_text("Revoked")
    refused = httpx.get(url, headers=_bearer(token))
    assert refused.status_code == 401
    assert httpx.get(url, headers=_bearer(rotated)).status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    with read_session() as s:
        stored = s.exec(select(ApiKey).where(ApiKey.workspace_id == owner.workspace_id)).one()
    assert stored.revoked_at is not None
    assert token.split("_")[-1] not in stored.secret_hash


def test_a_viewer_has_no_api_keys_item_and_its_handlers_are_refused(browser, product):
    tag, cookies = signed_up_sessions(browser, product["url"], ("owner", "viewer"), PASSWORD)
    with transaction() as tx:
        viewer = tx.session.exec(
            select(User).where(User.email == f"viewer-{tag}@example.com")
        ).one()
        ws_id = actor_for_session(tx.session, cookies["owner"]).workspace_id
        tx.session.add(Membership(workspace_id=ws_id, user_id=viewer.id, role=Role.VIEWER.value))
    workspaces.switch(actor=actor_for_token(cookies["viewer"]), workspace_id=ws_id)

    ctx = browser.new_context(base_url=product["url"])
    ctx.add_cookies([{"name": "qrapp_session", "value": cookies["viewer"], "url": product["url"]}])
    pg = ctx.new_page()
    pg.goto("/dashboard")
    expect(pg.get_by_role("link", name="Team")).to_be_visible()
    expect(pg.get_by_role("link", name="API keys")).to_have_count(0)
    pg.goto("/settings/api-keys")
    expect(pg.get_by_text("Only owners and admins manage API keys")).to_be_visible()
    expect(pg.locator("#create-key")).to_have_count(0)
    ctx.close()

    state = ApiKeysState.get_full_name()
    form = {"name": "Sneaky", "scope-codes:read": "on", "expires": ""}
    replies = call_handler(
        product["url"], cookies["viewer"], f"{state}.create", {"form": form}, "/settings/api-keys"
    )
    assert "does not allow that" in str(replies)
    with read_session() as s:
        assert s.exec(select(ApiKey).where(ApiKey.workspace_id == ws_id)).all() == []


def _in_dialog(problems: list[str]) -> list[str]:
    """While a modal dialog is open, Radix puts a focus guard (an empty tabbable span)
    first in the body and keeps Tab inside the dialog: "the skip link is the first tab
    stop" holds for the page, not for the dialog. Everything else still counts."""
    return [p for p in problems if "first_tab_stop" not in p]


@pytest.mark.embedded_only  # axe judges what the page renders, the same in both set-ups
def test_axe_finds_nothing_serious_on_the_api_keys_page(browser, product):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        base_url=product["url"],
        bypass_csp=True,  # axe is an inline script
        reduced_motion="reduce",
    )
    page = context.new_page()
    axe = _axe_source()
    sign_up(page, f"axe-k-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Kai")
    page.goto("/settings/api-keys")
    expect(page.locator("#create-first-key")).to_be_visible()
    problems = _audit_here(page, axe, "/settings/api-keys (empty)", "light")
    # The create form, with the keyboard: Enter on the focused button opens it.
    page.focus("#create-first-key")
    page.keyboard.press("Enter")
    expect(page.locator("#key-name")).to_be_visible()
    problems += _in_dialog(_audit_here(page, axe, "/settings/api-keys (create)", "light"))
    page.fill("#key-name", "Reports")
    page.get_by_label(re.compile(r"^analytics:read")).check()
    page.click("#create-key-submit")
    expect(page.locator("#new-api-key")).to_be_visible()
    problems += _in_dialog(_audit_here(page, axe, "/settings/api-keys (token)", "light"))
    page.click("#token-done")
    page.get_by_role("button", name="Usage of Reports").click()
    expect(page.locator("#usage-total")).to_contain_text("0 requests")
    problems += _audit_here(page, axe, "/settings/api-keys (usage)", "light")
    context.close()
    assert not problems, "axe found critical/serious violations:\n" + "\n".join(problems)


@pytest.mark.embedded_only  # the same static page in both set-ups
def test_the_api_reference_renders_from_our_own_host_only(page: Page, product):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto("/api/v1/docs")
    # Swagger UI drew the operations from our OpenAPI document.
    expect(page.get_by_text("Read a code").first).to_be_visible()
    expect(page.get_by_text("Getting started").first).to_be_visible()
    assert requested
    assert all(u.startswith(product["url"]) or u.startswith("data:") for u in requested), [
        u for u in requested if not u.startswith(product["url"])
    ]
    assert refused == []
