"""Breakdown cards: locations, devices, technology, sources and the top codes."""

import reflex as rx

from qrapp.components.charts import bar_list, plot, section_card, tabbed_lists
from qrapp.state.analytics import AnalyticsState as S


def locations() -> rx.Component:
    return section_card(
        "Locations",
        tabbed_lists([("countries", "Countries", S.countries), ("cities", "Cities", S.cities)]),
    )


def devices() -> rx.Component:
    return section_card(
        "Devices",
        plot(S.device_fig, "Chart of scans by device type. The numbers are in the list below."),
        bar_list(S.devices),
    )


def technology() -> rx.Component:
    return section_card(
        "Technology",
        tabbed_lists(
            [
                ("os", "OS", S.oses),
                ("browsers", "Browsers", S.browsers),
                ("languages", "Languages", S.languages),
            ]
        ),
    )


def sources() -> rx.Component:
    return section_card(
        "Sources",
        tabbed_lists(
            [("sources", "QR vs link", S.sources), ("referrers", "Referrers", S.referrers)]
        ),
    )


def _code_link(c) -> rx.Component:
    # Narrows the view to that code (the URL changes), rather than leaving analytics.
    return rx.link(
        c["name"], on_click=S.set_code(c["id"]), size="2", cursor="pointer", truncate=True
    )


def top_codes() -> rx.Component:
    return section_card("Top codes", bar_list(S.top_codes, label=_code_link))
