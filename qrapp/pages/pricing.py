"""The public pricing page (/pricing): plan cards and the comparison table, no sign-in."""

import reflex as rx

from qrapp.components.home import public_page, top_bar_for
from qrapp.components.pricing import comparison_table, fine_print, plan_cards, toggles
from qrapp.components.styles import PAGE_SECTION
from qrapp.core import routes
from qrapp.state.pricing import PricingState as P


def _intro() -> rx.Component:
    return rx.vstack(
        rx.heading("Plans and prices", size=rx.breakpoints(initial="7", md="8"), as_="h1"),
        rx.text(
            "Start free. Upgrade when you need more codes, pages or people.",
            size="4",
            color_scheme="gray",
            align="center",
        ),
        toggles(P.interval, P.currency, P.choose_interval, P.choose_currency),
        align="center",
        spacing="4",
        padding_top="24px",
    )


@rx.page(
    route=routes.PRICING,
    title="Pricing · qrapp",
    description="qrapp's plans compared: Free, Pro, Business and Enterprise, monthly or yearly.",
    on_load=P.load,
)
def pricing() -> rx.Component:
    return public_page(
        top_bar_for(P.signed_in),
        rx.vstack(
            _intro(),
            plan_cards(P.interval, P.currency, P.signed_in),
            comparison_table(P.interval, P.currency),
            fine_print(),
            spacing="6",
            align="center",
            **PAGE_SECTION,
            # A flex item may not shrink below its content (the wide table) unless told.
            min_width="0",
            padding_bottom="48px",
        ),
        rx.link("Home", href=routes.HOME, size="1"),
        display="flex",
        justify_content="center",
    )
