"""SAML 2.0 routes of the web backend: our SP metadata, the
assertion consumer service (the IdP's POST) and the finish hop that turns an accepted
assertion into the login hand-off in the browser that started it (services/sso/saml.py).

A refusal is a small page with the sentence and a way back to the login page: the person
arrives here from their IdP and must learn what went wrong.

A SAML sign-in starts only at the SSO start route (its login-page ticket stops login
CSRF); the start route's handlers for SAML and LDAP (an LDAP connection's start leads to
our directory login form) are registered here too.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from qrapp.api import sso_routes
from qrapp.api.sso_routes import StartContext
from qrapp.core import routes as paths
from qrapp.core.safe_redirect import safe_next_path
from qrapp.models.sso import PROTOCOL_LDAP, PROTOCOL_SAML, SsoConnection
from qrapp.services.errors import ServiceError
from qrapp.services.sso import refusals, saml
from qrapp.settings import get_settings

FORM_MAX_BYTES = 1_500_000


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _binding(request: Request) -> str:
    return request.cookies.get(get_settings().login_binding_cookie_name, "")


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _refused(message: str, status: int = 403) -> Response:
    login = f"{get_settings().app_url.rstrip('/')}{paths.LOGIN}"
    body = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Single sign-on refused · qrapp</title></head>"
        "<body style='font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;"
        "padding:0 1rem;color:#111;background:#fff'>"
        "<main><h1>Single sign-on did not sign you in</h1>"
        f"<p role='alert'>{html.escape(message)}</p>"
        f"<p><a href='{html.escape(login)}' style='color:#1d4ed8'>Back to the login page</a></p>"
        "</main></body></html>"
    )
    return _no_store(HTMLResponse(body, status_code=status))


def _redirect(url: str) -> Response:
    return _no_store(RedirectResponse(url, status_code=303))


async def metadata(request: Request) -> Response:
    try:
        xml = await run_in_threadpool(saml.sp_metadata, request.path_params["connection_id"])
    except ServiceError:
        return Response("Not found", status_code=404, media_type="text/plain")
    return Response(xml, media_type="application/samlmetadata+xml")


async def acs(request: Request) -> Response:
    if int(request.headers.get("content-length") or 0) > FORM_MAX_BYTES:
        return _refused("The identity provider's answer was too large.", 413)
    form = await request.form(max_fields=10)
    try:
        token = await run_in_threadpool(
            saml.consume,
            connection_id=request.path_params["connection_id"],
            saml_response=str(form.get("SAMLResponse") or ""),
            relay_state=str(form.get("RelayState") or ""),
            ip=_client_ip(request),
        )
    except ServiceError as exc:
        return _refused(exc.message)
    if token == saml.TESTED:
        return _redirect(
            f"{get_settings().app_url.rstrip('/')}{paths.SETTINGS_SSO}?test={refusals.TEST_OK}"
        )
    # A top-level GET: it carries the browser's SameSite=Lax binding cookie, which the
    # IdP's cross-site POST did not.
    return _redirect(f"{get_settings().public_api_url}{paths.AUTH_SAML_FINISH}?t={token}")


async def finish(request: Request) -> Response:
    try:
        done = await run_in_threadpool(
            saml.finish,
            token=request.query_params.get("t", ""),
            binding=_binding(request),
            ip=_client_ip(request),
        )
    except ServiceError as exc:
        return _refused(exc.message)
    next_path = quote(safe_next_path(done.next_path or None), safe="/")
    return _redirect(
        f"{get_settings().public_api_url}{paths.auth_session(done.handoff, next_path)}"
    )


routes = [
    Route(paths.AUTH_SAML_METADATA, metadata, methods=["GET"]),
    Route(paths.AUTH_SAML_ACS, acs, methods=["POST"]),
    Route(paths.AUTH_SAML_FINISH, finish, methods=["GET"]),
]


async def _start_handler(_request: Request, conn: SsoConnection, ctx: StartContext) -> Response:
    """The SSO e-mail step's start (/auth/sso/{id}/start) for a SAML connection."""
    url = await run_in_threadpool(
        saml.start,
        connection_id=str(conn.id),
        binding=ctx.binding,
        next_path=ctx.next_path,
        test_by=ctx.test_by,
    )
    return _redirect(url)


sso_routes.START_HANDLERS[PROTOCOL_SAML] = _start_handler


async def _ldap_start_handler(
    _request: Request, _conn: SsoConnection, ctx: StartContext
) -> Response:
    """An LDAP connection has no IdP to visit: the SSO e-mail step leads to our directory
    login form, where the directory checks the password."""
    target = paths.LOGIN_DIRECTORY
    if ctx.next_path:
        target += f"?next={quote(ctx.next_path, safe='/')}"
    return _redirect(f"{get_settings().app_url.rstrip('/')}{target}")


sso_routes.START_HANDLERS[PROTOCOL_LDAP] = _ldap_start_handler
