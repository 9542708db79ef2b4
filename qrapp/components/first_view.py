"""Content the server paints into an exported page before its scripts run.

Signed-in pages are exported without data: their content waits for the scripts, the
websocket and the page's on_load (about 3 s on a slow phone). For /analytics the web
process writes the KPIs and the first chart into this element's place in the page
(qrapp/api/analytics_first.py); React keeps it through hydration (first_view.jsx) and it
empties itself once the live content is loaded. Pages' siblings after it stay hidden
while it holds something (FIRST_VIEW_CSS), so no skeleton shows under it.
"""

from __future__ import annotations

import reflex as rx

_JSX = rx.asset("first_view.jsx", shared=True)

FIRST_VIEW_ID = "first-view"


class FirstView(rx.Component):
    library = _JSX.importable_path
    tag = "FirstView"

    # True once the live content has replaced what the server wrote.
    done: rx.Var[bool]


def first_view(done: rx.Var[bool]) -> rx.Component:
    return rx.fragment(
        FirstView.create(done=done, id=FIRST_VIEW_ID),
        # While it holds the server's content, what follows it (the skeleton, the page
        # not yet loaded) stays hidden.
        rx.el.style(f"#{FIRST_VIEW_ID}:not(:empty) ~ * {{ display: none !important; }}"),
    )
