"""Settings -> Security: the account's sessions (one card). Its own module so the
two-factor card sits beside it on the page without either touching the other."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import card
from qrapp.components.styles import MUTED_MD, MUTED_SM
from qrapp.state.security_sessions import SecuritySessionsState


def _device_icon(row) -> rx.Component:
    return rx.match(
        row["device"],
        ("Phone", rx.icon("smartphone", size=20, aria_hidden="true")),
        ("Tablet", rx.icon("tablet", size=20, aria_hidden="true")),
        rx.icon("monitor", size=20, aria_hidden="true"),
    )


def _session_item(row) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            _device_icon(row),
            rx.vstack(
                rx.hstack(
                    rx.text(row["browser"], " on ", row["os"], weight="medium", size="3"),
                    rx.cond(
                        row["current"],
                        rx.badge("This device", color_scheme="green", variant="soft"),
                    ),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(row["device"], " · ", row["place"], " · ", row["ip"], **MUTED_MD),
                rx.text(
                    "Last seen: ", row["last_seen"], " · signed in ", row["signed_in"], **MUTED_SM
                ),
                spacing="1",
                flex="1",
                min_width="0",
            ),
            rx.button(
                "Sign out",
                variant="soft",
                color_scheme="red",
                on_click=SecuritySessionsState.sign_out(row["id"]),
                aria_label=rx.cond(
                    row["current"],
                    "Sign out this device",
                    "Sign out " + row["browser"] + " on " + row["os"] + " at " + row["ip"],
                ),
                class_name="session-sign-out",
            ),
            align="center",
            spacing="3",
            width="100%",
        ),
        padding_y="12px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        list_style="none",
        class_name=rx.cond(row["current"], "session current-session", "session"),
    )


def sessions_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                rx.heading("Where you are signed in", size="4", as_="h2"),
                rx.spacer(),
                rx.button(
                    "Sign out everywhere else",
                    variant="outline",
                    color_scheme="red",
                    on_click=SecuritySessionsState.sign_out_others,
                    disabled=SecuritySessionsState.sessions.length() < 2,
                    id="sign-out-others",
                ),
                width="100%",
                align="center",
                wrap="wrap",
                spacing="3",
            ),
            rx.text(
                "Every browser signed in to your account. A session you sign out goes to "
                "the login page at its next click.",
                **MUTED_MD,
            ),
            rx.cond(
                SecuritySessionsState.sessions_error,
                rx.text(
                    SecuritySessionsState.sessions_error,
                    color_scheme="red",
                    size="2",
                    role="alert",
                ),
            ),
            rx.el.ul(
                rx.foreach(SecuritySessionsState.sessions, _session_item),
                padding="0",
                margin="0",
                width="100%",
                id="sessions",
                aria_label="Your sessions",
            ),
            spacing="3",
            width="100%",
        )
    )
