"""The short link's domain (dynamic codes, editors): pick, then confirm what happens to
the codes already printed."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, native_select
from qrapp.state.code_domain import CodeDomainState as D


def _confirm_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Move the short link?"),
            rx.alert_dialog.description(
                rx.vstack(
                    rx.text("The code's link becomes ", rx.code(D.new_link), "."),
                    rx.cond(
                        D.old_is_custom,
                        rx.text(
                            rx.text.strong("Printed codes and shared links that use "),
                            rx.code(D.old_link),
                            rx.text.strong(" will stop working"),
                            ": scanning them shows a not-found page. Reprint the code "
                            "with the new link.",
                            id="code-domain-warning",
                        ),
                        rx.text(
                            "Printed codes with ",
                            rx.code(D.old_link),
                            " keep working: our domain answers every code. New downloads "
                            "and the QR image use the new link.",
                            id="code-domain-warning",
                        ),
                    ),
                    spacing="2",
                ),
                as_child=True,
            ),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button("Cancel", variant="soft", color_scheme="gray", on_click=D.ask(False))
                ),
                rx.alert_dialog.action(
                    rx.button("Move the link", on_click=D.save, id="confirm-code-domain")
                ),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
        ),
        open=D.confirming,
    )


def domain_card() -> rx.Component:
    return rx.cond(
        D.can_change,
        card(
            rx.vstack(
                rx.heading("Domain", size="4", as_="h3"),
                rx.text(
                    "The host of the short link this code encodes. Changing it changes the "
                    "link, the QR image and downloads (the short code stays), and codes "
                    "already printed with a custom domain stop working.",
                    size="2",
                    color_scheme="gray",
                ),
                field_label("Short link domain", "code-page-domain"),
                rx.hstack(
                    native_select(
                        rx.foreach(D.options, lambda o: rx.el.option(o["label"], value=o["value"])),
                        value=D.chosen,
                        on_change=D.choose,
                        id_="code-page-domain",
                        aria_describedby="code-domain-error",
                    ),
                    rx.button(
                        "Change domain",
                        on_click=D.ask(True),
                        disabled=D.chosen == D.current,
                        id="change-code-domain",
                    ),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.cond(
                    D.error != "",
                    rx.text(
                        D.error, color_scheme="red", size="2", role="alert", id="code-domain-error"
                    ),
                ),
                rx.cond(
                    D.notice != "",
                    rx.hstack(
                        rx.icon("circle-check", size=16, color=rx.color("green", 11)),
                        rx.text(D.notice, size="2"),
                        align="center",
                        role="status",
                        id="code-domain-saved",
                        tab_index=-1,
                        border_radius="4px",
                    ),
                ),
                _confirm_dialog(),
                spacing="2",
                width="100%",
            )
        ),
    )
