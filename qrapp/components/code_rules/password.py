"""The password card: protect a dynamic code with a password."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import card
from qrapp.state.code_rules import RulesState as R


def password_card() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.hstack(
                    rx.heading("Password", size="4", as_="h3"),
                    rx.cond(
                        R.has_password,
                        rx.badge("On", color_scheme="green", high_contrast=True),
                        rx.badge("Off", color_scheme="gray"),
                    ),
                    align="center",
                ),
                rx.text(
                    "Scanners must type it before they are sent on. Leave empty and save to "
                    "remove it.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.hstack(
                    rx.input(
                        name="password",
                        type="password",
                        placeholder="New password",
                        aria_label="New password",
                        width="100%",
                        auto_complete="new-password",
                        disabled=~R.can_edit,
                    ),
                    rx.cond(R.can_edit, rx.button("Save", type="submit")),
                    width="100%",
                ),
                rx.cond(
                    R.password_error != "", rx.text(R.password_error, color_scheme="red", size="1")
                ),
                spacing="2",
                width="100%",
            ),
            on_submit=R.set_password,
            reset_on_submit=True,
        )
    )
