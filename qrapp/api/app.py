"""The HTTP app mounted in front of Reflex's backend (its routes win over pages)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import ASGIApp

from qrapp.api import (
    audit_exports,
    bulk_files,
    exports,
    files,
    klarna_return,
    lead_exports,
    media_upload,
    paypal_webhook,
    saml_routes,
    sso_routes,
    stripe_webhook,
    swish,
    try_it,
    try_page,
    web_routes,
)
from qrapp.api.analytics_first import AnalyticsFirstView
from qrapp.api.frontend_files import FrontendFiles
from qrapp.api.security_headers import SecurityHeaders
from qrapp.api.upload_limit import UploadLimit
from qrapp.api.v1 import app as api_v1
from qrapp.core import routes


def build() -> Starlette:
    app = Starlette(
        routes=[
            *web_routes.routes,
            *sso_routes.routes,
            *saml_routes.routes,
            *files.routes,
            *exports.routes,
            *lead_exports.routes,
            *audit_exports.routes,
            *try_it.routes,
            *try_page.routes,
            *media_upload.routes,
            *bulk_files.routes,
            *stripe_webhook.routes,
            *swish.routes,
            *paypal_webhook.routes,
            *klarna_return.routes,
            # REST v1: its own FastAPI app (its own errors and OpenAPI), mounted here for
            # the embedded default; production also runs it alone (`python -m qrapp.api`).
            Mount(routes.API_V1, app=api_v1.build()),
        ]
    )
    app.add_middleware(UploadLimit)
    app.add_middleware(FrontendFiles)
    app.add_middleware(AnalyticsFirstView)  # /analytics' KPIs in its HTML
    app.add_middleware(SecurityHeaders)
    return app


def transform(reflex_backend: ASGIApp) -> ASGIApp:
    """Reflex's api_transformer: our routes first, then Reflex (pages, websocket).

    A function rather than a Starlette app: Reflex gives a Starlette transformer CORS
    middleware of its own on top of the one it wraps around everything, and answers then
    carried Access-Control-Allow-Origin and Vary twice."""
    app = build()
    app.router.routes.append(Mount("", app=reflex_backend))
    return app
