"""Authorized downloads of a page's leads: /files/leads/<page-id>/leads.csv|xlsx.

The session cookie is read as the other file routes do; services.pages.leads checks the
export permission and the workspace (another workspace's page is "not found", 404).
"""

from __future__ import annotations

import uuid

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from qrapp.api.disposition import attachment
from qrapp.api.session_auth import actor_from_request
from qrapp.core import routes as paths
from qrapp.services.errors import NotFound, NotSignedIn, PermissionDenied, ServiceError
from qrapp.services.pages import leads


def _export(request: Request) -> Response:
    try:
        page_id = uuid.UUID(request.path_params["page_id"])
    except ValueError:
        raise NotFound("page") from None
    actor = actor_from_request(request)
    ip = request.client.host if request.client else ""
    export, body = leads.export_leads(
        actor=actor, page_id=page_id, fmt=request.path_params["fmt"], ip=ip
    )
    headers = {
        "Content-Disposition": attachment(export.filename),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    return Response(body, media_type=export.media_type, headers=headers)


async def export(request: Request) -> Response:
    try:
        return await run_in_threadpool(_export, request)
    except ServiceError as exc:
        status = (
            401
            if isinstance(exc, NotSignedIn)
            else 403
            if isinstance(exc, PermissionDenied)
            else 404
            if isinstance(exc, NotFound)
            else 400
        )
        return PlainTextResponse(
            exc.message, status_code=status, headers={"Cache-Control": "no-store"}
        )


routes = [Route(paths.LEADS_EXPORT, export, methods=["GET"])]
