"""Authorized downloads of analytics exports: /analytics/export/{scans.csv, breakdowns.xlsx,
report.pdf}?<the dashboard's filter query>.

The session cookie is read exactly as the session routes do; the services check the
ANALYTICS_EXPORT permission and scope everything by the actor's workspace. A missing or
ended session gets 401, a role without export rights 403; nothing is read for either.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from qrapp.core import routes as paths
from qrapp.services.analytics import exports
from qrapp.services.analytics.filters import AnalyticsFilter
from qrapp.services.authz import actor_for_token
from qrapp.services.errors import NotSignedIn, PermissionDenied, ServiceError
from qrapp.settings import get_settings


def _headers(filename: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


async def _authorized(request: Request):
    token = request.cookies.get(get_settings().session_cookie_name)
    actor = await run_in_threadpool(actor_for_token, token)
    filters = AnalyticsFilter.from_query(parse_qs(request.url.query))
    ip = request.client.host if request.client else ""
    return actor, filters, ip


def _refusal(exc: ServiceError) -> Response:
    status = (
        401 if isinstance(exc, NotSignedIn) else 403 if isinstance(exc, PermissionDenied) else 400
    )
    return PlainTextResponse(exc.message, status_code=status, headers={"Cache-Control": "no-store"})


async def scans_csv(request: Request) -> Response:
    try:
        actor, filters, ip = await _authorized(request)
        export, rows = await run_in_threadpool(
            exports.raw_scans_csv, actor=actor, filters=filters, ip=ip
        )
    except ServiceError as exc:
        return _refusal(exc)
    return StreamingResponse(
        iterate_in_threadpool(rows), media_type=export.media_type, headers=_headers(export.filename)
    )


def _whole_file(build):
    """A route answering with the file `build` makes in one piece (XLSX, PDF)."""

    async def handler(request: Request) -> Response:
        try:
            actor, filters, ip = await _authorized(request)
            export, body = await run_in_threadpool(build, actor=actor, filters=filters, ip=ip)
        except ServiceError as exc:
            return _refusal(exc)
        return Response(body, media_type=export.media_type, headers=_headers(export.filename))

    return handler


routes = [
    Route(paths.ANALYTICS_EXPORT_CSV, scans_csv, methods=["GET"]),
    Route(paths.ANALYTICS_EXPORT_XLSX, _whole_file(exports.breakdowns_xlsx), methods=["GET"]),
    Route(paths.ANALYTICS_EXPORT_PDF, _whole_file(exports.report_pdf), methods=["GET"]),
]
