"""The REST v1 app: routers, error documents and the OpenAPI description."""

from __future__ import annotations

from fastapi import FastAPI

from qrapp.api.v1 import problems
from qrapp.api.v1.routes import analytics, bulk, code_files, codes, folders, pages, usage

ROUTERS = [
    codes.router,
    code_files.router,
    folders.router,
    analytics.router,
    pages.router,
    bulk.router,
    usage.router,
]


def build() -> FastAPI:
    app = FastAPI(
        title="qrapp API",
        version="1.0.0",
        summary="QR codes, landing pages, analytics and webhooks for integrators.",
        openapi_url="/openapi.json",
        docs_url=None,  # the reference page is served from our own assets
        redoc_url=None,
    )
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    return app
