"""The /analytics page: the workspace overview, or one code's view (?code=...)."""

import reflex as rx

from qrapp.components.first_view import first_view
from qrapp.components.shell import page_skeleton, signed_in_page
from qrapp.core import routes
from qrapp.pages.analytics.charts import charts
from qrapp.pages.analytics.filters import filter_bar
from qrapp.pages.analytics.header import heading
from qrapp.pages.analytics.kpis import kpis
from qrapp.pages.analytics.live_feed import live_dot_style
from qrapp.pages.analytics.notices import no_codes, no_scans_in_range, no_scans_yet
from qrapp.state.analytics import AnalyticsState as S


def _first() -> rx.Component:
    # The KPIs and the first chart, written by the server into the page
    # (qrapp/api/analytics_first.py), until the live view has loaded.
    return first_view(S.loaded)


@signed_in_page(routes.ANALYTICS, "Analytics", on_load=S.load, first=_first)
def analytics() -> rx.Component:
    return rx.vstack(
        live_dot_style(),
        rx.cond(
            ~S.loaded,
            page_skeleton(),
            rx.cond(
                S.has_codes,
                rx.vstack(
                    heading(),
                    filter_bar(),
                    rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", icon="info")),
                    rx.cond(~S.has_any_scans, no_scans_yet()),
                    rx.cond(S.has_any_scans & ~S.has_scans_in_range, no_scans_in_range()),
                    kpis(),
                    charts(),
                    spacing="4",
                    width="100%",
                ),
                no_codes(),
            ),
        ),
        on_unmount=S.stop_live,
        spacing="4",
        width="100%",
    )
