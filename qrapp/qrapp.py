"""The web process: the Reflex app with the HTTP routes mounted in front of it."""

import reflex as rx

import qrapp.pages  # noqa: F401  (registers every page)
from qrapp.api.app import build as build_http_routes

app = rx.App(
    head_components=[rx.el.meta(name="referrer", content="strict-origin-when-cross-origin")],
    api_transformer=build_http_routes(),
)
