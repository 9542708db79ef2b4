"""Plain HTTP routes of the web backend: the session cookie and health.

The session cookie is HttpOnly, so JavaScript never sees it: these routes are the only
places that set or clear it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from qrapp.core import routes as paths
from qrapp.core.safe_redirect import safe_next_path
from qrapp.services.accounts import accounts, second_factor
from qrapp.settings import get_settings


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _redirect(path: str) -> RedirectResponse:
    # Absolute URL of the app, so the backend can live on another origin in development.
    response = RedirectResponse(f"{get_settings().app_url.rstrip('/')}{path}", status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def start_session(request: Request) -> Response:
    """Trade the one-minute login hand-off for a fresh session cookie."""
    from starlette.concurrency import run_in_threadpool

    settings = get_settings()
    handoff = request.query_params.get("h", "")
    next_path = safe_next_path(request.query_params.get("next"))
    token = await run_in_threadpool(
        accounts.start_session,
        handoff=handoff,
        # Only the browser that asked for the hand-off holds this cookie (login CSRF).
        binding=request.cookies.get(settings.login_binding_cookie_name, ""),
        ip=_client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    if token is None:
        return _redirect(paths.LOGIN_EXPIRED)
    response = _redirect(next_path)
    await run_in_threadpool(_set_trusted_device_cookie, response, handoff, settings)
    response.set_cookie(
        settings.session_cookie_name,
        token,
        max_age=settings.session_absolute_timeout_hours * 3600,
        httponly=True,
        secure=settings.qrapp_env != "development" and settings.app_url.startswith("https"),
        samesite="lax",
        path="/",
    )
    return response


def _set_trusted_device_cookie(response: Response, handoff: str, settings) -> None:
    """The second step asked to trust this browser for 30 days (see second_factor)."""
    device = second_factor.device_cookie_for(handoff)
    if device:
        response.set_cookie(
            second_factor.TRUSTED_DEVICE_COOKIE,
            device,
            max_age=int(second_factor.TRUSTED_DEVICE_TTL.total_seconds()),
            httponly=True,
            secure=settings.qrapp_env != "development" and settings.app_url.startswith("https"),
            samesite="lax",
            path="/",
        )


async def clear_session(request: Request) -> Response:
    """End the session and forget the cookie. The app's logout handler has already
    ended it; ending it here too means a plain visit (a bookmark, a typed URL) logs out
    for real instead of leaving a session that still works without its cookie."""
    from starlette.concurrency import run_in_threadpool

    settings = get_settings()
    await run_in_threadpool(
        accounts.log_out,
        session_token=request.cookies.get(settings.session_cookie_name),
        ip=_client_ip(request),
    )
    response = _redirect(paths.LOGIN_BYE)
    response.delete_cookie(settings.session_cookie_name, path="/", httponly=True, samesite="lax")
    return response


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


routes = [
    Route(paths.AUTH_SESSION, start_session, methods=["GET"]),
    Route(paths.AUTH_LOGOUT, clear_session, methods=["GET", "POST"]),
    Route("/healthz", healthz, methods=["GET"]),
]
