"""The HTTP app mounted in front of Reflex's backend (its routes win over pages)."""

from __future__ import annotations

from starlette.applications import Starlette

from qrapp.api import exports, files, try_it, web_routes
from qrapp.api.upload_limit import UploadLimit


def build() -> Starlette:
    app = Starlette(routes=[*web_routes.routes, *files.routes, *exports.routes, *try_it.routes])
    app.add_middleware(UploadLimit)
    return app
