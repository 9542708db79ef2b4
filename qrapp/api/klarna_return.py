"""GET /billing/klarna/return (routes.KLARNA_RETURN): where Klarna's Hosted Payment Page
sends the browser after the owner authorized, as a top-level navigation from Klarna's
domain (so the SameSite=Lax session cookie comes along):
`?session=<our KP session id>&sid=<HPP session id>&authorization_token=<token>`.

Nothing in the query is believed: the session must be an open KP session of the signed-in
owner's own workspace (klarna.complete matches it), and the authorization token is only
handed back to Klarna to make the customer token (Klarna refuses one it did not give, or
one already spent). A reload of an already completed session answers what became of it
without asking Klarna again. The browser goes on to /billing?klarna=paid | declined |
failed | pending (the page shows the matching message).
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from qrapp.api.session_auth import actor_from_request
from qrapp.core import routes as paths
from qrapp.services.billing import klarna
from qrapp.services.billing.klarna_api import KlarnaDeclined
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.settings import get_settings

log = logging.getLogger(__name__)


def _back(outcome: str, path: str = paths.BILLING) -> RedirectResponse:
    url = f"{get_settings().app_url.rstrip('/')}{path}"
    response = RedirectResponse(f"{url}?klarna={outcome}" if outcome else url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in this URL
    return response


def _param(request: Request, name: str) -> str:
    value = request.query_params.get(name, "")
    return value if 0 < len(value) <= 200 else ""


def _finish(actor, session_id: str, token: str) -> str:
    done = klarna.outcome_of(actor=actor, session_id=session_id)
    if done is not None:
        return done  # reloaded: already completed, Klarna is not asked again
    if not token:
        return "failed"
    try:
        klarna.complete(actor=actor, authorization_token=token, session_id=session_id)
    except KlarnaDeclined:
        return "declined"
    except ServiceError as exc:  # unknown/expired session, Klarna unreachable, no permission
        log.info("Klarna completion refused: %s", exc.message)
        return "failed"
    return "paid"


async def klarna_return(request: Request) -> Response:
    try:
        actor = await run_in_threadpool(actor_from_request, request)
    except NotSignedIn:
        return _back("", paths.LOGIN)
    session_id = _param(request, "session")
    if not session_id:
        return _back("failed")
    try:
        outcome = await run_in_threadpool(
            _finish, actor, session_id, _param(request, "authorization_token")
        )
    except ServiceError:  # not an owner of the current workspace
        outcome = "failed"
    return _back(outcome)


routes = [Route(paths.KLARNA_RETURN, klarna_return, methods=["GET"])]
