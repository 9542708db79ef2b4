"""POST /billing/klarna/return (routes.KLARNA_RETURN): where the billing page sends the
authorization_token that Klarna's widget (Klarna.Payments.authorize) handed it, as a
plain form post signed in by the session cookie. services.billing.klarna.complete makes
the customer token and charges the first period; the browser is sent back to /billing
with ?klarna=paid | declined | failed (the page shows the matching message).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

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
    return response


def _from_our_pages(request: Request) -> bool:
    """Only our own billing page posts here (a cross-site form would spend the owner's
    authorization in their name)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    s = get_settings()
    ours = {
        f"{p.scheme}://{p.netloc}".lower() for p in map(urlsplit, (s.app_url, s.public_api_url))
    }
    return origin.lower() in ours


async def klarna_return(request: Request) -> Response:
    if not _from_our_pages(request):
        return Response("Forbidden", status_code=403)
    try:
        actor = await run_in_threadpool(actor_from_request, request)
    except NotSignedIn:
        return _back("", paths.LOGIN)
    form = await request.form(max_files=0, max_fields=5, max_part_size=4096)
    token = form.get("authorization_token")
    if not isinstance(token, str) or not token:
        return _back("failed")
    try:
        await run_in_threadpool(klarna.complete, actor=actor, authorization_token=token)
    except KlarnaDeclined:
        return _back("declined")
    except ServiceError as exc:  # expired session, Klarna unreachable, no permission
        log.info("Klarna completion refused: %s", exc.message)
        return _back("failed")
    return _back("paid")


routes = [Route(paths.KLARNA_RETURN, klarna_return, methods=["POST"])]
