"""The web process: the Reflex app with the HTTP routes mounted in front of it."""

import gc

import reflex as rx

import qrapp.pages  # noqa: F401  (registers every page)
from qrapp.api.app import transform as mount_http_routes
from qrapp.components.lazy_toaster import lazy_toaster
from qrapp.core import routes

app = rx.App(
    head_components=[
        rx.el.meta(name="referrer", content="strict-origin-when-cross-origin"),
        # assets/favicon.svg; /favicon.ico (the same mark) for what asks for that path.
        rx.el.link(rel="icon", href=routes.FAVICON, type="image/svg+xml"),
        # Moves focus to the new page's h1 after in-app navigation (assets/focus.js).
        rx.el.script(src=routes.FOCUS_SCRIPT, defer=True),
    ],
    # Focus rings, the skip link and badge contrast for every page (assets/a11y.css).
    stylesheets=[routes.A11Y_STYLESHEET],
    api_transformer=mount_http_routes,
    # rx.toast's provider, with sonner fetched on the first toast (components/lazy_toaster).
    toaster=lazy_toaster(),
)


@app.register_lifespan_task
def freeze_startup_objects() -> None:
    """What startup built (modules, the compiled app) lives as long as the process: keep
    it out of the collector's full passes, which otherwise cost a dashboard request up to
    50 ms now and then (measured with bench/analytics.py)."""
    gc.collect()
    gc.freeze()
