"""POST /_upload/media: one file into the signed-in person's workspace library.

multipart/form-data with the file in the part `file`; signed in by the session cookie,
like the logo upload. Answers JSON: `{"id", "kind", "name", "url"}` (201) or `{"error"}`
with a message to show (400 refused, 401 signed out, 403 role, 413 too large). The
checks are the service's (qrapp.services.media.uploads); the body size is capped before
it is read (upload_limit.media_upload_bytes()).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from qrapp.api.session_auth import actor_from_request
from qrapp.core import routes as paths
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import NotSignedIn, PermissionDenied, ServiceError
from qrapp.services.media import uploads
from qrapp.settings import get_settings

log = logging.getLogger(__name__)

_NO_STORE = {"Cache-Control": "no-store"}


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=_NO_STORE)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _same_site(request: Request) -> bool:
    """A browser's POST from another site is refused (the cookie is SameSite=Lax too):
    only our app's own pages upload."""
    origin = request.headers.get("origin")
    if origin is None:  # not a browser's cross-site request (curl, same-origin older UAs)
        return True
    s = get_settings()
    return origin.lower() in {_origin(s.app_url), _origin(s.public_api_url)}


async def upload_media(request: Request) -> Response:
    if not _same_site(request):
        return _error("Uploads are accepted from this app's own pages only.", 403)
    try:
        actor = await run_in_threadpool(actor_from_request, request)
    except NotSignedIn as exc:
        return _error(exc.message, 401)
    if actor.workspace_id is None:
        return _error("Join or create a workspace first.", 403)
    try:
        form = await request.form(max_files=1, max_fields=5, max_part_size=1024 * 1024)
    except Exception:
        return _error("The upload could not be read. Choose the file again.", 400)
    part = form.get("file")
    if not isinstance(part, UploadFile):
        await form.close()
        return _error("Choose a file to upload.", 400)
    try:
        data = await part.read()
        filename = part.filename or ""
    finally:
        await form.close()
    ip = request.client.host if request.client else ""
    try:
        asset = await run_in_threadpool(
            uploads.upload,
            actor=actor,
            workspace_id=actor.workspace_id,
            filename=filename,
            data=data,
            ip=ip,
        )
    except PermissionDenied as exc:
        return _error(exc.message, 403)
    except PlanLimitReached as exc:
        # The page shows this one with a link to the plans.
        return JSONResponse(
            {"error": exc.message, "plan_limit": True}, status_code=400, headers=_NO_STORE
        )
    except ServiceError as exc:
        return _error(exc.message, 400)
    except Exception:
        log.exception("media upload failed")
        return _error("The file could not be stored just now. Try again in a moment.", 503)
    return JSONResponse(
        {
            "id": str(asset.id),
            "kind": asset.kind,
            "name": asset.name,
            "url": paths.media_path(asset.id, "original"),
        },
        status_code=201,
        headers=_NO_STORE,
    )


routes = [Route(paths.MEDIA_UPLOAD, upload_media, methods=["POST"])]
