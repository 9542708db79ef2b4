"""The edge: the public ASGI app phones meet (scan redirects come with later work).

Kept apart from Reflex so it starts fast and stays small; /healthz answers without
touching the database so a load balancer can probe it cheaply.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "service": "edge"})


async def not_found(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("Not found", status_code=404)


app = Starlette(routes=[Route("/healthz", healthz), Route("/{path:path}", not_found)])
