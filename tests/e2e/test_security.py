"""Security of the web process as an attacker would probe it."""

from __future__ import annotations

import asyncio
import re
import threading
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
from tests.e2e.flows import log_in, session_cookie, sign_up

PASSWORD = "security passphrase 1"
NAMESPACE = "/_event"  # Reflex's socket.io path and namespace


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


def _in_thread(coro_factory):
    """Playwright's sync API owns this thread's loop; run socket.io in another thread."""
    box: dict = {}

    def run():
        try:
            box["value"] = asyncio.run(coro_factory())
        except BaseException as exc:
            box["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    if "error" in box:
        raise box["error"]
    return box.get("value")


async def _connect(url: str, origin: str, cookie: str = "") -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)
    headers = {"Origin": origin}
    if cookie:
        headers["Cookie"] = cookie
    await client.connect(
        f"{url}?token={uuid.uuid4()}",
        socketio_path="/_event",
        namespaces=[NAMESPACE],
        transports=["websocket"],
        headers=headers,
        wait_timeout=10,
    )
    return client


def test_websocket_refuses_foreign_origins(product):
    async def attempt(origin: str) -> bool:
        try:
            client = await _connect(product["url"], origin)
        except socketio.exceptions.ConnectionError:
            return False
        await client.disconnect()
        return True

    assert _in_thread(lambda: attempt(product["url"])) is True  # the control case
    assert _in_thread(lambda: attempt("http://evil.example")) is False
    assert _in_thread(lambda: attempt("null")) is False


def _rename_over_raw_socket(url: str, cookie_value: str, new_name: str) -> list:
    from qrapp.state.settings_page import SettingsState

    handler = f"{SettingsState.get_full_name()}.rename_workspace"

    async def go() -> list:
        client = await _connect(url, url, cookie=f"qrapp_session={cookie_value}")
        replies: list = []
        done = asyncio.Event()

        @client.on("event", namespace=NAMESPACE)
        async def on_event(data):
            replies.append(data)
            done.set()

        await client.emit(
            "event",
            {
                "name": handler,
                "payload": {"form": {"name": new_name}},
                "router_data": {"pathname": "/settings", "asPath": "/settings"},
            },
            namespace=NAMESPACE,
        )
        try:
            await asyncio.wait_for(done.wait(), 10)
            await asyncio.sleep(0.5)  # a handler may send more than one update
        finally:
            await client.disconnect()
        return replies

    return _in_thread(go)


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
    tag = uuid.uuid4().hex[:8]
    cookies = {}
    for who in ("owner", "viewer"):
        ctx = browser.new_context(base_url=product["url"])
        pg = ctx.new_page()
        sign_up(pg, f"{who}-{tag}@example.com", PASSWORD, who.title())
        cookies[who] = session_cookie(pg)["value"]
        ctx.close()
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
