"""Public downloads of the home page's try-it generator: GET /try/qr.png and /try/qr.svg
?kind=url|text&content=...&style=...

No account and no database: the file is rendered from the query alone, refused when it
would not scan, and each client IP (per /64 for IPv6) has a budget per minute.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from qrapp.core import routes as paths
from qrapp.services import try_it
from qrapp.services.errors import ServiceError

# The query carries the content: refuse anything far longer than the generator allows
# before parsing it (percent-encoding can triple a character).
MAX_QUERY = try_it.MAX_CONTENT * 9 + 200


def _request(request: Request) -> try_it.TryRequest:
    q = request.query_params
    return try_it.TryRequest(
        kind=q.get("kind", "url"), content=q.get("content", ""), style=q.get("style", "classic")
    )


def _file(fmt: str):
    async def endpoint(request: Request) -> Response:
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        if len(request.url.query) > MAX_QUERY:
            return PlainTextResponse("That is too long for this generator.", 414, headers=headers)
        ip = request.client.host if request.client else ""
        try:
            try_it.DOWNLOADS.hit(try_it.ip_key(ip))
            data = await run_in_threadpool(try_it.download, _request(request), fmt)
        except try_it.TryItThrottled as exc:
            return PlainTextResponse(exc.message, 429, headers={**headers, "Retry-After": "60"})
        except ServiceError as exc:
            return PlainTextResponse(exc.message, 400, headers=headers)
        disposition = f'attachment; filename="qr-code.{fmt}"'
        return Response(
            data,
            media_type=try_it.FORMATS[fmt],
            headers={**headers, "Content-Disposition": disposition},
        )

    return endpoint


routes = [
    Route(paths.try_qr("png"), _file("png"), methods=["GET"]),
    Route(paths.try_qr("svg"), _file("svg"), methods=["GET"]),
]
