"""Single sign-on's plain HTTP routes: a sign-in starts at its connection's route and an
OpenID Connect sign-in comes back to the callback. Both are full-page visits, so the
browser's binding cookie (login CSRF) and, for an admin's test, session cookie come along.

A real sign-in's start needs the ticket the login page signed (services.sso.tickets:
`?t=`), against login CSRF; an admin's test (`?test=1`) needs their session instead.
Other protocols (SAML, LDAP) add their start handler to START_HANDLERS and their own
return routes to `routes`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from qrapp.core import routes as paths
from qrapp.core.permissions import Permission
from qrapp.core.safe_redirect import safe_next_path
from qrapp.db import read_session
from qrapp.models.sso import PROTOCOL_OIDC, SsoConnection
from qrapp.services.authz import actor_for_token
from qrapp.services.errors import ServiceError, Throttled
from qrapp.services.sso import oidc, refusals, tickets
from qrapp.settings import get_settings

StartHandler = Callable[[Request, SsoConnection, "StartContext"], Awaitable[Response]]


class StartContext:
    """What every protocol's start needs from the request."""

    def __init__(self, request: Request, test_by=None) -> None:
        settings = get_settings()
        self.binding = request.cookies.get(settings.login_binding_cookie_name, "")
        self.ip = request.client.host if request.client else ""
        self.next_path = safe_next_path(request.query_params.get("next"))
        self.test_by = test_by


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def to_app(path: str) -> Response:
    return _no_store(
        RedirectResponse(f"{get_settings().app_url.rstrip('/')}{path}", status_code=303)
    )


def refused(code: str, *, test: bool = False) -> Response:
    """Back to the login page (or, for an admin's test, the settings) with the reason."""
    if test:
        return to_app(f"{paths.SETTINGS_SSO}?test={quote(code)}")
    return to_app(paths.LOGIN_SSO_ERROR + quote(code))


async def _oidc_start(_request: Request, conn: SsoConnection, ctx: StartContext) -> Response:
    url = await run_in_threadpool(
        oidc.start,
        connection_id=conn.id,
        binding=ctx.binding,
        next_path=ctx.next_path,
        test_by=ctx.test_by,
        ip=ctx.ip,
    )
    return _no_store(RedirectResponse(url, status_code=303))


START_HANDLERS: dict[str, StartHandler] = {PROTOCOL_OIDC: _oidc_start}


def _connection(connection_id: str) -> SsoConnection | None:
    from qrapp.services.sso import connections

    with read_session() as s:
        try:
            return connections.connection_for_login(s, connection_id)
        except ServiceError:
            return None


def _tester(request: Request, conn: SsoConnection):
    """An admin testing their own workspace's connection (None for anyone else)."""
    token = request.cookies.get(get_settings().session_cookie_name)
    try:
        actor = actor_for_token(token)
    except ServiceError:
        return None
    if actor.workspace_id != conn.workspace_id or not actor.can(Permission.SSO_MANAGE):
        return None
    return actor.user_id


async def start(request: Request) -> Response:
    test = request.query_params.get("test") == "1"
    conn = await run_in_threadpool(_connection, request.path_params["connection_id"])
    if conn is None or conn.protocol not in START_HANDLERS:
        return refused(refusals.REFUSED, test=test)
    test_by = await run_in_threadpool(_tester, request, conn) if test else None
    if test and test_by is None:
        return refused(refusals.REFUSED)
    ctx = StartContext(request, test_by)
    # An admin's test logs nobody in; every real sign-in starts on our login page.
    if not test and not tickets.valid(
        request.query_params.get("t", ""), binding=ctx.binding, connection_id=conn.id
    ):
        return refused(refusals.BAD_STATE)
    try:
        return await START_HANDLERS[conn.protocol](request, conn, ctx)
    except refusals.SignInRefused as exc:
        return refused(exc.code, test=test)
    except Throttled:
        return refused(refusals.BUSY, test=test)
    except ServiceError:  # the connection went away meanwhile
        return refused(refusals.REFUSED, test=test)


async def oidc_callback(request: Request) -> Response:
    settings = get_settings()
    q = request.query_params
    try:
        outcome = await run_in_threadpool(
            oidc.finish,
            state=q.get("state", ""),
            code=q.get("code", ""),
            error=q.get("error", ""),
            binding=request.cookies.get(settings.login_binding_cookie_name, ""),
            ip=request.client.host if request.client else "",
        )
    except refusals.SignInRefused as exc:
        return refused(exc.code, test=exc.test)
    if outcome.test:
        return to_app(f"{paths.SETTINGS_SSO}?test={refusals.TEST_OK}")
    next_path = quote(safe_next_path(outcome.next_path), safe="/")
    target = settings.public_api_url + paths.auth_session(outcome.handoff, next_path)
    return _no_store(RedirectResponse(target, status_code=303))


routes = [
    Route(paths.SSO_START, start, methods=["GET"]),
    Route(paths.SSO_OIDC_CALLBACK, oidc_callback, methods=["GET"]),
]
