"""Authorized downloads of QR images: the library's thumbnails and the code page's files.

Images are rendered on request from the stored design; the thumbnail's ETag follows the
code's updated_at so browsers revalidate cheaply.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from qrapp.api.disposition import attachment
from qrapp.api.session_auth import actor_from_request
from qrapp.core import routes as paths
from qrapp.core.payloads import PayloadError
from qrapp.core.render import prepare, render
from qrapp.core.scannability import check
from qrapp.services.codes import qrcodes
from qrapp.services.errors import NotSignedIn, ServiceError

MEDIA = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "eps": "application/postscript",
}
THUMB_SIZE = 192


def _slug(name: str) -> str:
    """The code's name as a file name: letters of every script kept ("café-menü")."""
    slug = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", name).lower()).strip("-")
    return slug[:60].rstrip("-") or "qr-code"


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return -1


def _load(request: Request):
    actor = actor_from_request(request)
    try:
        code_id = uuid.UUID(request.path_params["code_id"])
    except ValueError:
        raise ServiceError("That QR code does not exist.") from None
    return qrcodes.get_code_or_raise(actor=actor, code_id=code_id)


def _thumbnail(request: Request) -> Response:
    code = _load(request)
    etag = f'"{code.id.hex}-{int(code.updated_at.timestamp() * 1000)}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    png = render(qrcodes.code_text(code), code.design, "png", size=THUMB_SIZE)
    return Response(
        png,
        media_type="image/png",
        headers={"ETag": etag, "Cache-Control": "private, max-age=0, must-revalidate"},
    )


def _download(request: Request) -> Response:
    code = _load(request)
    fmt = request.query_params.get("format", "png")
    if fmt not in MEDIA:
        return PlainTextResponse("Choose png, svg, pdf or eps.", status_code=400)
    # One encoding serves both the verdict and the file.
    ready = prepare(qrcodes.code_text(code), code.design)
    verdict = check(ready)
    if verdict.level == "fail":
        return PlainTextResponse(
            "This design does not scan, so it cannot be downloaded: " + " ".join(verdict.reasons),
            status_code=409,
        )
    width_mm = request.query_params.get("width_mm")
    data = render(
        ready,
        fmt=fmt,
        size=_int(request.query_params.get("size"), 1024),
        dpi=_int(request.query_params.get("dpi"), 300),
        width_mm=float(width_mm) if width_mm and width_mm.replace(".", "", 1).isdigit() else None,
    )
    filename = f"{_slug(code.name)}-qr.{fmt}"
    return Response(
        data,
        media_type=MEDIA[fmt],
        headers={
            "Content-Disposition": attachment(filename),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _guarded(handler):
    async def endpoint(request: Request) -> Response:
        try:
            return await run_in_threadpool(handler, request)
        except NotSignedIn:
            return PlainTextResponse("Please log in.", status_code=401)
        except PayloadError as exc:
            message = "; ".join(exc.errors.values())
            return PlainTextResponse(message, status_code=400)
        except ServiceError as exc:
            # Missing and foreign codes answer alike.
            return PlainTextResponse(exc.message, status_code=404)

    return endpoint


routes = [
    Route(paths.CODE_THUMBNAIL, _guarded(_thumbnail), methods=["GET"]),
    Route(paths.CODE_DOWNLOAD, _guarded(_download), methods=["GET"]),
]
