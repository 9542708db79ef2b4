"""Security of the web process as an attacker would probe it."""

from __future__ import annotations

import contextlib
import html
import http.server
import re
import socketserver
import threading
import uuid

import pytest
import socketio
from playwright.sync_api import Page, expect
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import Membership, User, Workspace
from qrapp.services.accounts import accounts
from qrapp.services.authz import actor_for_token
from qrapp.services.codes import qrcodes
from qrapp.services.workspaces import workspaces
from tests.e2e.flows import (
    log_in,
    session_cookie,
    sign_up,
    sign_up_in_the_form,
    signed_up_sessions,
)
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
    assert first["httpOnly"]
    assert first["sameSite"] == "Lax"
    # Through a locator: page.evaluate has no timeout, and one CI run hung here for good.
    html = page.locator("html")
    assert "qrapp_session" not in html.evaluate("() => document.cookie")
    assert html.evaluate("() => Object.keys(localStorage).join(',')").find("session") == -1
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
    actor = actor_for_token(cookie_value)
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


# --- login hand-off, headers, framing ----------------------------------------------------


def test_a_login_handoff_link_opened_in_another_browser_does_not_log_in(browser, product):
    """Login CSRF: someone logs in to their own account, keeps the one-minute hand-off
    link their browser was sent to, and gets a victim to open it. The victim's browser
    must not end up logged in to the attacker's account."""
    email = f"csrf-{uuid.uuid4().hex[:8]}@example.com"
    attacker = browser.new_context(base_url=product["url"])
    page = attacker.new_page()
    sign_up(page, email, PASSWORD, "Mal")
    # The hand-off the attacker's browser gets at login (what the websocket sends it).
    binding = next(c["value"] for c in attacker.cookies() if c["name"] == "qrapp_browser")
    handoff = accounts.log_in(email=email, password=PASSWORD, binding=binding)
    link = f"{product['url']}/auth/session?h={handoff}&next=/codes"

    victim = browser.new_context(base_url=product["url"])
    victim_page = victim.new_page()
    victim_page.goto("/login")  # the victim's browser has a binding cookie of its own
    victim_page.goto(link)
    victim_page.wait_for_url(re.compile(r"/login/?\?error=expired"))
    assert session_cookie(victim_page) is None
    victim_page.goto("/dashboard")
    victim_page.wait_for_url(re.compile(r"/login/?\?next="))
    victim.close()

    # Control: in the browser that asked, the same link works (a new session).
    before = session_cookie(page)["value"]
    page.goto(link)
    page.wait_for_url(re.compile(r"/codes"))
    assert session_cookie(page)["value"] != before
    attacker.close()


def test_pages_and_routes_send_the_security_headers_once(product):
    import httpx

    origin = product["url"]
    for path in ("/", "/login", "/dashboard", "/healthz", "/auth/logout"):
        r = httpx.get(origin + path, headers={"Origin": origin}, follow_redirects=False)
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp, path
        assert r.headers.get_list("x-frame-options") == ["DENY"], path
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert "referrer-policy" in r.headers, path
        # Reflex's CORS layer used to run twice for our own origin.
        assert r.headers.get_list("access-control-allow-origin") == [origin], path
        assert len(r.headers.get_list("vary")) == 1, (path, r.headers.get_list("vary"))
    foreign = httpx.get(origin + "/healthz", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in foreign.headers


# Every page of the context records the CSP violations it sees, across navigations.
_RECORD_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  const seen = JSON.parse(sessionStorage.getItem('csp-violations') || '[]');
  seen.push(`${e.violatedDirective} ${e.blockedURI} ${location.pathname}`);
  sessionStorage.setItem('csp-violations', JSON.stringify(seen));
});
"""


def _violations(page: Page) -> list[str]:
    return page.evaluate("JSON.parse(sessionStorage.getItem('csp-violations') || '[]')")


def test_the_signed_in_app_works_under_its_csp(page: Page, product):
    page.context.add_init_script(_RECORD_VIOLATIONS)
    # Through the form: the sign-up pages and the mailed link's hand-off are under the CSP too.
    sign_up_in_the_form(page, f"csp-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Cass")
    assert page.evaluate("document.cookie").find("qrapp_browser") == -1  # HttpOnly
    page.goto("/codes/new?type=dynamic")
    expect(page.locator("#preview")).to_be_visible()
    owner = actor_for_token(session_cookie(page)["value"])
    code = qrcodes.create(
        actor=owner,
        data=qrcodes.CodeInput(name="Poster", destination="https://example.com/poster"),
    )
    page.goto("/codes")
    expect(page.locator("#new-code")).to_be_visible()
    thumb = page.locator("img[src*='/thumb.png']").first
    expect(thumb).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    page.goto(f"/codes/{code.id}")
    expect(page.get_by_text("Poster").first).to_be_visible()
    page.goto("/analytics")
    expect(page.get_by_role("heading", name="Analytics")).to_be_visible()
    page.goto("/settings")
    expect(page.locator("#ws-tz")).to_be_visible()
    page.goto("/dashboard")
    expect(page.locator("#greeting")).to_contain_text("Cass")
    assert _violations(page) == []
    # Control: an injected inline script is refused, and the recorder sees it.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_function("JSON.parse(sessionStorage.getItem('csp-violations') || '[]').length")
    assert page.evaluate("window.injected") is None
    assert _violations(page)[0].startswith("script-src")


@contextlib.contextmanager
def _framing_site():
    """Another origin on our host (like the edge's port): same site, so it sends the
    session cookie into a frame. /frame?target=URL frames URL; /plain can be framed."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/frame?target="):
                target = html.escape(self.path.split("=", 1)[1])
                body = f'<iframe id="f" src="{target}" onload="window.framed = true"></iframe>'
            else:
                body = "<p id='plain'>frame me</p>"
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _framed_url(page: Page, site: str, target: str) -> str:
    page.goto(f"{site}/frame?target={target}")
    page.wait_for_function("window.framed === true")
    (child,) = page.main_frame.child_frames
    return child.url


def test_another_site_cannot_frame_the_signed_in_app(page: Page, product):
    """A same-site page framed the signed-in library (clickjacking): frame-ancestors
    'none' and X-Frame-Options DENY stop it."""
    sign_up(page, f"frame-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Fran")
    with _framing_site() as site:
        # Control: the framing page can frame a page that allows it.
        assert _framed_url(page, site, f"{site}/plain") == f"{site}/plain"
        blocked = _framed_url(page, site, f"{product['url']}/codes")
    assert blocked.startswith("chrome-error://"), blocked
