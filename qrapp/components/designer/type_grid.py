"""The first step of a new code: a card per content type."""

from __future__ import annotations

import reflex as rx

from qrapp.components.icons import icon_of
from qrapp.state.designer import DesignerState as S
from qrapp.state.designer_cards import TYPE_CARDS


def type_grid() -> rx.Component:
    return rx.vstack(
        rx.heading("What should your code do?", size="5"),
        rx.text(
            "Dynamic codes can be changed after printing and count their scans. "
            "Static codes hold their content in the pattern itself.",
            color_scheme="gray",
        ),
        rx.grid(
            rx.foreach(
                S.type_cards,
                lambda card: rx.card(
                    rx.vstack(
                        rx.box(
                            icon_of(
                                card["icon"],
                                (c["icon"] for c in TYPE_CARDS),
                                size=22,
                                color=rx.color("accent", 11),
                            ),
                            background=rx.color("accent", 3),
                            padding="10px",
                            border_radius="10px",
                            display="flex",
                        ),
                        rx.text(card["label"], weight="bold"),
                        rx.text(card["blurb"], size="2", color_scheme="gray"),
                        spacing="2",
                    ),
                    on_click=S.choose_type(card["key"]),
                    cursor="pointer",
                    _hover={"border_color": rx.color("accent", 8), "box_shadow": "0 2px 8px #0001"},
                    id="type-" + card["key"],
                ),
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
