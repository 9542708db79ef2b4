"""The "page" filter of /analytics: pick a landing page to see the scans of the codes that
open it, and the page's own views and clicks in the same range."""

import reflex as rx

from qrapp.state.analytics import ALL
from qrapp.state.analytics import AnalyticsState as S


def page_filter() -> rx.Component:
    return rx.cond(
        S.page_options.length() > 0,
        rx.hstack(
            rx.select.root(
                rx.select.trigger(
                    placeholder="All pages",
                    id="filter-page",
                    max_width="220px",
                    aria_label="Landing page",
                ),
                rx.select.content(
                    rx.select.item("All pages", value=ALL),
                    rx.foreach(
                        S.page_options, lambda o: rx.select.item(o["label"], value=o["value"])
                    ),
                ),
                value=S.page_id,
                on_change=S.set_page,
                size="2",
            ),
            rx.cond(
                S.page_summary != "",
                rx.text(S.page_summary, size="2", color_scheme="gray", id="page-summary"),
            ),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
    )
