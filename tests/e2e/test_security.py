"""Security of the web process as an attacker would probe it."""

from __future__ import annotations

import re
import uuid

import pytest
import socketio
from playwright.sync_api import Page
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import Membership, User, Workspace
from qrapp.services import workspaces
from qrapp.services.authz import actor_for_session
from tests.e2e.flows import log_in, session_cookie, sign_up, signed_up_sessions
from tests.support.raw_socket import call_handler, connect, in_thread

PASSWORD = "security passphrase 1"


@pytest.mark.parametrize(
    "evil", ["//evil.example", "/\\evil.example", "https:evil.example", "%2F%2Fevil.example"]
)
def test_next_parameter_never_leaves_the_app(page: Page, product, evil):
    email = f"next-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, email, PASSWORD, "Nina")
    page.context.clear_cookies()
    log_in(page, email, PASSWORD, next_path=evil)
    page.wait_for_url(re.compile(r"/dashboard"))
    assert page.url.startswith(product["url"])


def test_protected_page_sends_to_login_and_back(page: Page, product):
    email = f"back-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, email, PASSWORD, "Bo")
    page.context.clear_cookies()
    page.goto("/settings")
    page.wait_for_url(re.compile(r"/login/?\?next=/settings"))
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/settings"))


def test_session_cookie_is_httponly_lax_and_rotated_at_login(page: Page, product):
    email = f"cookie-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, email, PASSWORD, "Cy")
    first = session_cookie(page)
    assert first["httpOnly"] and first["sameSite"] == "Lax"
    assert "qrapp_session" not in page.evaluate("document.cookie")
    assert page.evaluate("Object.keys(localStorage).join(',')").find("session") == -1
    log_in(page, email, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard"))
    assert session_cookie(page)["value"] != first["value"]


# --- raw websocket clients: what a script can do without our frontend ---------------


def test_websocket_refuses_foreign_origins(product):
    async def attempt(origin: str) -> bool:
        try:
            client = await connect(product["url"], origin)
        except socketio.exceptions.ConnectionError:
            return False
        await client.disconnect()
        return True

    assert in_thread(lambda: attempt(product["url"])) is True  # the control case
    assert in_thread(lambda: attempt("http://evil.example")) is False
    assert in_thread(lambda: attempt("null")) is False


def _rename_over_raw_socket(url: str, cookie_value: str, new_name: str) -> list:
    from qrapp.state.settings_page import SettingsState

    return call_handler(
        url,
        cookie_value,
        f"{SettingsState.get_full_name()}.rename_workspace",
        {"form": {"name": new_name}},
        path="/settings",
    )


def _team_with(owner_email: str, viewer_email: str) -> uuid.UUID:
    with transaction() as tx:
        ws = Workspace(name="Shared team")
        tx.session.add(ws)
        tx.session.flush()
        for email, role in ((owner_email, Role.OWNER), (viewer_email, Role.VIEWER)):
            user = tx.session.exec(select(User).where(User.email == email)).one()
            tx.session.add(Membership(workspace_id=ws.id, user_id=user.id, role=role.value))
        return ws.id


def _switch(cookie_value: str, ws_id: uuid.UUID) -> None:
    with transaction() as tx:
        actor = actor_for_session(tx.session, cookie_value)
    workspaces.switch(actor=actor, workspace_id=ws_id)


def _name(ws_id: uuid.UUID) -> str:
    with read_session() as s:
        return s.get(Workspace, ws_id).name


def test_a_viewers_direct_call_of_a_write_handler_is_refused(browser, product):
    tag, cookies = signed_up_sessions(browser, product["url"], ("owner", "viewer"), PASSWORD)
    ws_id = _team_with(f"owner-{tag}@example.com", f"viewer-{tag}@example.com")
    for who in ("owner", "viewer"):
        _switch(cookies[who], ws_id)

    replies = _rename_over_raw_socket(product["url"], cookies["viewer"], "Hijacked")
    assert _name(ws_id) == "Shared team"
    assert "does not allow that" in str(replies)
    # The HttpOnly token never travels back to the page inside state updates.
    assert cookies["viewer"] not in str(replies)

    # Control: the same raw call by the owner goes through, so the refusal above is real.
    _rename_over_raw_socket(product["url"], cookies["owner"], "Renamed by owner")
    assert _name(ws_id) == "Renamed by owner"


def test_a_raw_call_without_a_session_changes_nothing(product):
    with read_session() as s:
        before = {w.id: w.name for w in s.exec(select(Workspace)).all()}
    replies = _rename_over_raw_socket(product["url"], "forged-token", "Nope")
    with read_session() as s:
        after = {w.id: w.name for w in s.exec(select(Workspace)).all()}
    assert before == after
    assert "Nope" not in str(replies)
