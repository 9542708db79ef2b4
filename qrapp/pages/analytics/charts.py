"""The cards below the KPIs, in rows: time series and live feed, map and locations,
device/technology/sources breakdowns, heat map and top codes."""

import reflex as rx

from qrapp.components.charts import plot, section_card
from qrapp.components.styles import MUTED_SM
from qrapp.pages.analytics.breakdowns import devices, locations, sources, technology, top_codes
from qrapp.pages.analytics.live_feed import live_feed
from qrapp.state.analytics import AnalyticsState as S


def scans_over_time() -> rx.Component:
    return section_card(
        "Scans over time",
        plot(S.series_fig, "Chart of scans over time. The totals are in the figures above."),
        right=rx.hstack(
            rx.text(S.range_text, **MUTED_SM),
            rx.badge("per " + S.granularity, variant="soft", size="1"),
            spacing="2",
            align="center",
        ),
    )


def where() -> rx.Component:
    return section_card(
        "Where", plot(S.map_fig, "Map of scans by country. The numbers are under Locations.")
    )


def busiest_times() -> rx.Component:
    return section_card(
        "Busiest times",
        plot(S.heatmap_fig, "Heat map of scans by weekday and hour of day."),
        right=rx.text("weekday x hour, " + S.timezone, **MUTED_SM),
    )


def _row(*cards: rx.Component, columns) -> rx.Component:
    return rx.grid(*cards, columns=columns, spacing="4", width="100%")


def charts() -> rx.Component:
    return rx.vstack(
        _row(
            rx.box(scans_over_time(), grid_column=rx.breakpoints(initial="span 1", lg="span 2")),
            live_feed(),
            columns=rx.breakpoints(initial="1", lg="3"),
        ),
        _row(where(), locations(), columns=rx.breakpoints(initial="1", lg="2")),
        _row(
            devices(),
            technology(),
            sources(),
            columns=rx.breakpoints(initial="1", md="2", lg="3"),
        ),
        _row(busiest_times(), top_codes(), columns=rx.breakpoints(initial="1", lg="2")),
        spacing="4",
        width="100%",
    )
