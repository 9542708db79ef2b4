"""The view's title (the chosen codes) with its range and time zone."""

import reflex as rx

from qrapp.state.analytics import AnalyticsState as S


def heading() -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.heading(
                rx.cond(S.code_name != "", S.code_name, S.codes_label),
                size="5",
                as_="h2",
                id="view-title",
            ),
            rx.text(
                S.range_label, " · ", S.range_text, " · ", S.timezone, size="2", color_scheme="gray"
            ),
            spacing="1",
        ),
        rx.spacer(),
        rx.cond(
            S.selected_codes.length() > 0,
            rx.button(
                rx.icon("arrow-left", size=14),
                "All codes",
                variant="ghost",
                size="2",
                on_click=S.clear_codes,
            ),
        ),
        width="100%",
        align="end",
    )
