"""The plain HTTP side of the web process: security headers on pages and routes, the
login binding cookie, the bound hand-off at /auth/session, and logout by a plain GET."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.services.accounts import accounts
from qrapp.services.errors import NotSignedIn
from qrapp.settings import get_settings, reset_settings_cache
from tests.integration.helpers import BINDING, PASSWORD, actor, sign_up_and_session


async def _page(_request):
    return HTMLResponse("<!doctype html><title>a page</title>")


def _client(**cookies: str) -> TestClient:
    """Our routes in front of a stand-in for Reflex's backend (which serves the pages)."""
    # Both paths: with a frontend build in the tree (after an e2e run), FrontendFiles asks
    # for the exported page at `/dashboard/`, as Reflex's static files serve it.
    reflex_stand_in = Starlette(routes=[Route("/dashboard", _page), Route("/dashboard/", _page)])
    client = TestClient(transform(reflex_stand_in), follow_redirects=False)
    for name, value in cookies.items():
        client.cookies.set(name, value)
    return client


def _assert_security_headers(response) -> None:
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("style-src")[0]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers.get_list("x-frame-options") == ["DENY"]


@pytest.mark.parametrize("path", ["/dashboard", "/healthz", "/auth/session?h=x", "/auth/logout"])
def test_pages_and_routes_carry_the_security_headers(clean_db, path):
    response = _client().get(path)
    _assert_security_headers(response)
    assert "strict-transport-security" not in response.headers  # not outside production


def test_a_page_gives_a_new_browser_its_binding_cookie_once(clean_db):
    name = get_settings().login_binding_cookie_name
    first = _client().get("/dashboard")
    assert first.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{name}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert len(first.cookies[name]) >= 43  # 256 random bits
    again = _client(**{name: first.cookies[name]}).get("/dashboard")
    assert "set-cookie" not in again.headers
    assert "set-cookie" not in _client().get("/healthz").headers  # only pages set it


def test_hsts_in_production(clean_db, monkeypatch):
    monkeypatch.setenv("QRAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("APP_URL", "https://app.example")
    reset_settings_cache()
    try:
        response = _client().get("/dashboard")
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
        assert "Secure" in response.headers["set-cookie"]
        assert "wss://app.example" in response.headers["content-security-policy"]
    finally:
        monkeypatch.undo()
        reset_settings_cache()


def test_the_handoff_link_logs_in_only_the_browser_holding_its_binding(clean_db):
    sign_up_and_session("link@example.com")
    name = get_settings().login_binding_cookie_name
    handoff = accounts.log_in(email="link@example.com", password=PASSWORD, binding=BINDING)
    for cookies in ({}, {name: "the victim's own binding"}):
        refused = _client(**cookies).get(f"/auth/session?h={handoff}")
        assert refused.status_code == 303
        assert "/login?error=expired" in refused.headers["location"]
        assert get_settings().session_cookie_name not in refused.cookies
    accepted = _client(**{name: BINDING}).get(f"/auth/session?h={handoff}&next=/codes")
    assert accepted.status_code == 303
    assert accepted.headers["location"].endswith("/codes")
    token = accepted.cookies[get_settings().session_cookie_name]
    assert actor(token).email == "link@example.com"


def test_a_plain_get_of_logout_ends_the_session(clean_db):
    """It used to clear the cookie only: a copied cookie went on working."""
    token = sign_up_and_session("bye@example.com")
    response = _client(**{get_settings().session_cookie_name: token}).get("/auth/logout")
    assert response.status_code == 303
    assert "/login?bye=1" in response.headers["location"]
    with pytest.raises(NotSignedIn):
        actor(token)
