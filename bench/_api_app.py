"""The app bench/api.py serves with one uvicorn: the REST v1 app as production builds it
(/api/v1), the same app with the key check and rate limiter taken out (/nocheck/api/v1:
the key found once at start, no limiter, no usage count), and a bare Starlette JSON
endpoint (/bare) answering a body of the same size as a code's, all in one process."""

from __future__ import annotations

import json
import os

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from qrapp.api.v1 import app as v1
from qrapp.api.v1.gate import STATE_KEY, KeyGate
from qrapp.services import api_keys


class FixedKey:
    """Bench only: the key a request would present, checked once at start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.check = api_keys.authenticate(os.environ["BENCH_API_KEY"])
        assert self.check is not None, "the bench key does not authenticate"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})[STATE_KEY] = self.check
        await self.app(scope, receive, send)


def _without_the_gate():
    app = v1.build()
    app.user_middleware = [m for m in app.user_middleware if m.cls is not KeyGate]
    app.add_middleware(FixedKey)
    return app


_BODY = json.loads(os.environ.get("BENCH_BARE_BODY", "{}"))


async def bare(_request):
    return JSONResponse(_BODY)


def app() -> Starlette:
    return Starlette(
        routes=[
            Route("/bare", bare),
            Mount("/nocheck/api/v1", app=_without_the_gate()),
            Mount("/api/v1", app=v1.build()),
        ]
    )
