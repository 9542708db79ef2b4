"""The first step of a new code: a card per content type, each a real button (Tab
reaches it, Enter or Space chooses it)."""

from __future__ import annotations

import reflex as rx

from qrapp.components.icons import icon_of
from qrapp.state.designer import DesignerState as S
from qrapp.state.designer_cards import TYPE_CARDS, TypeCard
from qrapp.state.designer_content import CONTENT_CARDS

_ICONS = [c["icon"] for c in (*CONTENT_CARDS, *TYPE_CARDS)]
# Constants, written into this page's script: as state vars they were in the initial
# state every page's JavaScript carries (issue 19).
_CONTENT_CARDS = rx.Var.create(CONTENT_CARDS).to(list[TypeCard])
_TYPE_CARDS = rx.Var.create(TYPE_CARDS).to(list[TypeCard])


def type_grid() -> rx.Component:
    return rx.vstack(
        rx.heading("What should your code do?", size="5", as_="h2", id="type-grid-title"),
        rx.text(
            "Dynamic codes can be changed after printing and count their scans. "
            "Static codes hold their content in the pattern itself.",
            color_scheme="gray",
        ),
        rx.heading("Content with its own page", size="3", as_="h3", id="content-types-title"),
        rx.text(
            "A dynamic code that opens a mobile page made for you from a few answers. "
            "Change the page later in the builder.",
            size="2",
            color_scheme="gray",
        ),
        _grid(_CONTENT_CARDS, "content-types-title"),
        rx.heading("Links and codes", size="3", as_="h3", id="code-types-title"),
        _grid(_TYPE_CARDS, "code-types-title"),
        spacing="4",
        width="100%",
    )


def _grid(cards, labelled_by: str) -> rx.Component:
    return rx.grid(
        rx.foreach(
            cards,
            lambda card: rx.card(
                # Radix's Card renders as the button (asChild), with the card's look.
                rx.el.button(
                    rx.vstack(
                        rx.box(
                            icon_of(
                                card["icon"],
                                _ICONS,
                                size=22,
                                color=rx.color("accent", 11),
                            ),
                            background=rx.color("accent", 3),
                            padding="10px",
                            border_radius="10px",
                            display="flex",
                            aria_hidden="true",
                        ),
                        rx.text(card["label"], weight="bold"),
                        rx.text(card["blurb"], size="2", color_scheme="gray"),
                        spacing="2",
                    ),
                    type="button",
                    on_click=S.choose_type(card["key"]),
                    id="type-" + card["key"],
                    class_name="type-card",
                ),
                as_child=True,
                cursor="pointer",
                text_align="left",
                width="100%",
                _hover={"border_color": rx.color("accent", 8), "box_shadow": "0 2px 8px #0001"},
                _focus_visible={
                    "outline": f"2px solid {rx.color('accent', 9)}",
                    "outline_offset": "2px",
                },
            ),
        ),
        columns=rx.breakpoints(initial="1", sm="2", lg="3"),
        spacing="3",
        width="100%",
        role="group",
        aria_labelledby=labelled_by,
    )
