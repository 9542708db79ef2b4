"""The HTTP app mounted in front of Reflex's backend (its routes win over pages)."""

from __future__ import annotations

from starlette.applications import Starlette

from qrapp.api.web_routes import routes


def build() -> Starlette:
    return Starlette(routes=list(routes))
