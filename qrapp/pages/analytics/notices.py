"""What the page says when there is nothing to count yet, or nothing matches."""

import reflex as rx

from qrapp.components.panels import empty_state, link_button
from qrapp.core import routes
from qrapp.state.analytics import AnalyticsState as S


def no_codes() -> rx.Component:
    return empty_state(
        "qr-code",
        "Create a code to see who scans it",
        "Analytics count every scan of your dynamic codes: where, when and on what device. "
        "Create a dynamic QR code, print it or share its short link, and scans appear here "
        "live.",
        link_button(rx.icon("plus"), "Create a QR code", size="3", href=routes.CODE_NEW),
    )


def no_scans_yet() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("radio")),
        rx.callout.text(
            "No scans yet. Scan one of your codes with your phone: it shows up here within "
            "seconds, no reload needed."
        ),
        color_scheme="indigo",
        id="no-scans-yet",
    )


def no_scans_in_range() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("calendar-search")),
        rx.callout.text(
            "No scans match these filters. Try a longer date range, ",
            rx.link("clear the filters", on_click=S.clear_filters, cursor="pointer"),
            " or include bots.",
        ),
        color_scheme="gray",
        id="no-scans-in-range",
    )
