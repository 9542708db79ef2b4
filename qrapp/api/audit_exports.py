"""The audit log as a CSV download: /files/audit/audit.csv?<the viewer's filters>.

The session cookie is read as the other file routes do (with the workspace's IP
allowlist); services.audit_log checks AUDIT_VIEW and scopes the rows to the actor's
current workspace.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from qrapp.api.client_address import request_ip
from qrapp.api.disposition import attachment
from qrapp.api.session_auth import actor_from_request
from qrapp.core import routes as paths
from qrapp.models.types import utcnow
from qrapp.services import audit_log
from qrapp.services.errors import NotSignedIn, PermissionDenied, ServiceError


def _export(request: Request) -> Response:
    actor = actor_from_request(request)
    filters = audit_log.Filters.from_mapping(request.query_params)
    body = audit_log.export_csv(actor=actor, filters=filters, ip=request_ip(request))
    filename = f"audit-log-{utcnow().strftime('%Y-%m-%d')}.csv"
    headers = {
        "Content-Disposition": attachment(filename),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


async def export(request: Request) -> Response:
    try:
        return await run_in_threadpool(_export, request)
    except ServiceError as exc:
        status = (
            401
            if isinstance(exc, NotSignedIn)
            else 403
            if isinstance(exc, PermissionDenied)
            else 400
        )
        return PlainTextResponse(
            exc.message, status_code=status, headers={"Cache-Control": "no-store"}
        )


routes = [Route(paths.AUDIT_EXPORT_CSV, export, methods=["GET"])]
