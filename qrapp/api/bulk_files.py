"""The files of a bulk job: /files/bulk/<job>/{zip,links}?e=<expiry>&s=<signature>.

The link is signed and expires (services.bulk.links); it is served only to a signed-in
member of the job's workspace whose current workspace is that one, so a forwarded link
opens for nobody else. The ZIP is streamed from disk.
"""

from __future__ import annotations

import uuid

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from qrapp.api.disposition import attachment
from qrapp.api.session_auth import actor_from_request
from qrapp.core import routes as paths
from qrapp.services.bulk import links
from qrapp.services.bulk.files import job_file
from qrapp.services.errors import NotSignedIn, ServiceError

_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _text(message: str, status: int) -> Response:
    return PlainTextResponse(message, status_code=status, headers=_HEADERS)


def _serve(request: Request) -> Response:
    kind = request.path_params["kind"]
    try:
        job_id = uuid.UUID(request.path_params["job_id"])
    except ValueError:
        return _text("That bulk job does not exist.", 404)
    actor = actor_from_request(request)
    found = job_file(actor=actor, job_id=job_id, kind=kind)
    problem = links.check(
        job_id,
        found.workspace_id,
        kind,
        request.query_params.get("e", ""),
        request.query_params.get("s", ""),
    )
    if problem:
        return _text(problem, 403)
    return FileResponse(
        found.path,
        media_type="application/zip" if kind == "zip" else "text/csv; charset=utf-8",
        headers={**_HEADERS, "Content-Disposition": attachment(found.filename)},
    )


async def bulk_file(request: Request) -> Response:
    if request.path_params["kind"] not in links.KINDS:
        return _text("Not found.", 404)
    try:
        return await run_in_threadpool(_serve, request)
    except NotSignedIn:
        return _text("Please log in.", 401)
    except ServiceError as exc:
        # Missing jobs and other workspaces' jobs answer alike.
        return _text(exc.message, 404)


routes = [Route(paths.BULK_DOWNLOAD, bulk_file, methods=["GET"])]
