"""The card layout and fields of the public account pages."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.shell import logo, skip_link
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes
from qrapp.state.auth import AuthState


def auth_card(title: str, subtitle: str, *children: rx.Component) -> rx.Component:
    return rx.fragment(
        skip_link(), rx.el.main(_card(title, subtitle, *children), id="main", tab_index=-1)
    )


def _card(title: str, subtitle: str, *children: rx.Component) -> rx.Component:
    return rx.center(
        rx.vstack(
            logo(href=routes.HOME),  # the public home page, for someone not signed in
            rx.card(
                rx.vstack(
                    rx.heading(title, size="6", as_="h1"),
                    rx.text(subtitle, **MUTED_MD),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                size="4",
                width="100%",
            ),
            rx.color_mode.button(
                position=None, variant="ghost", size="1", aria_label="Switch light or dark mode"
            ),
            spacing="5",
            align="center",
            width="100%",
            max_width="420px",
            padding="16px",
        ),
        min_height="100vh",
        background=rx.color("gray", 2),
    )


def labelled(label: str, control: rx.Component, name: str) -> rx.Component:
    return rx.vstack(
        field_label(label, name),
        control,
        rx.cond(
            AuthState.error_field == name,
            rx.text(AuthState.field_error, color_scheme="red", size="2", role="alert"),
        ),
        spacing="1",
        width="100%",
    )


def text_input(name: str, kind: str = "text", **props) -> rx.Component:
    return rx.input(name=name, id=name, type=kind, size="3", width="100%", **props)


def form_error() -> rx.Component:
    return rx.cond(
        AuthState.error,
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert")),
            rx.callout.text(AuthState.error),
            color_scheme="red",
            size="1",
            role="alert",
            id="form-error",
        ),
    )


def notice() -> rx.Component:
    return rx.cond(
        AuthState.notice,
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.callout.text(AuthState.notice),
            size="1",
            id="notice",
        ),
    )


def submit(label: str) -> rx.Component:
    # Disabled until the page is live: a click before hydration would be lost (the
    # browser test that logged in right after loading the page saw it, now and then).
    return rx.button(
        label,
        type="submit",
        size="3",
        width="100%",
        loading=AuthState.busy,
        disabled=~AuthState.is_hydrated,
        id="submit",
    )
