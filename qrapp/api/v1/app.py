"""The REST v1 app: routers, error documents, the OpenAPI description and reference page,
and the plumbing every route gets without code of its own (outermost first): the key
gate (key check, rate limit, X-RateLimit-* headers, usage), Idempotency-Key on POST,
the short cut for the hot read GET /codes/{id}, Idempotency-Key on POST and ETags on GET."""

from __future__ import annotations

from fastapi import FastAPI

from qrapp.api.v1 import docs, problems
from qrapp.api.v1.etag import ETags
from qrapp.api.v1.fast_read import FastCodeRead
from qrapp.api.v1.gate import KeyGate
from qrapp.api.v1.idempotency import Idempotency
from qrapp.api.v1.routes import (
    analytics,
    bulk,
    code_files,
    codes,
    folders,
    pages,
    usage,
    webhooks,
)

ROUTERS = [
    codes.router,
    code_files.router,
    folders.router,
    analytics.router,
    pages.router,
    bulk.router,
    usage.router,
    webhooks.router,
]


def build() -> FastAPI:
    app = FastAPI(
        title="qrapp API",
        version="1.0.0",
        summary="QR codes, landing pages, analytics and webhooks for integrators.",
        openapi_url="/openapi.json",
        docs_url=None,  # the reference page is served from our own assets (docs.py)
        redoc_url=None,
        # No OpenTelemetry here: off, FastAPI skips asking the global providers on every
        # request (about 6 us of the hot read under load: bench/api.py).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.router.routes.extend(docs.routes())
    app.openapi = lambda: docs.openapi(app)  # type: ignore[method-assign]
    # add_middleware puts each in front of the ones before: the gate runs first, then the
    # hot read's short cut (which tags its own answer: fast_read.py).
    app.add_middleware(ETags)
    app.add_middleware(Idempotency)
    app.add_middleware(FastCodeRead)
    app.add_middleware(KeyGate)
    return app
