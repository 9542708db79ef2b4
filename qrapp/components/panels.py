"""Small building blocks shared by pages: cards, empty states, not-yet panels."""

from __future__ import annotations

import reflex as rx


def card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(*children, size="3", width="100%", **props)


def empty_state(
    icon: str, title: str, text: str, action: rx.Component | None = None
) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.box(
                rx.icon(icon, size=32, color=rx.color("accent", 11)),
                background=rx.color("accent", 3),
                border_radius="50%",
                padding="18px",
                display="flex",
            ),
            rx.heading(title, size="5", align="center"),
            rx.text(text, color_scheme="gray", align="center", max_width="440px"),
            action or rx.fragment(),
            align="center",
            spacing="3",
        ),
        padding_y="56px",
        border=f"1px dashed {rx.color('gray', 6)}",
        border_radius="12px",
        width="100%",
    )


def not_available_yet(section: str, what: str) -> rx.Component:
    return empty_state(
        "construction",
        f"{section} is not available yet",
        f"{what} This part of qrapp is being built and will appear here.",
    )


def field_error(message: rx.Var, show: rx.Var) -> rx.Component:
    return rx.cond(show, rx.text(message, color_scheme="red", size="2", role="alert"))
