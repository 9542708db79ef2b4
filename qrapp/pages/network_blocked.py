"""The page a member sees when the workspace's IP allowlist does not include their address."""

import reflex as rx

from qrapp.components.panels import card
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes
from qrapp.state.network_blocked import NetworkBlockedState
from qrapp.state.session import SessionState


def _other(ws) -> rx.Component:
    return rx.el.li(
        rx.button(
            "Switch to ",
            ws["name"],
            variant="soft",
            on_click=SessionState.switch_workspace(ws["id"]),
        ),
        list_style="none",
    )


@rx.page(
    route=routes.NETWORK_NOT_ALLOWED,
    title="Network not allowed · qrapp",
    on_load=NetworkBlockedState.load,
)
def network_blocked() -> rx.Component:
    s = NetworkBlockedState
    return rx.center(
        rx.el.main(
            card(
                rx.vstack(
                    rx.icon("shield-alert", size=32, color=rx.color("amber", 11)),
                    rx.heading(
                        "Your network is not allowed for this workspace", as_="h1", size="6"
                    ),
                    rx.text(s.message, id="network-message"),
                    rx.text("Your address: ", rx.code(s.your_ip), **MUTED_MD),
                    rx.cond(
                        s.others.length() > 0,
                        rx.vstack(
                            rx.heading("Your other workspaces", as_="h2", size="3"),
                            rx.el.ul(rx.foreach(s.others, _other), padding="0", margin="0"),
                            spacing="2",
                        ),
                    ),
                    rx.button("Log out", variant="outline", on_click=SessionState.log_out),
                    spacing="3",
                    align="start",
                ),
            ),
            id="main",
            max_width="560px",
            width="100%",
            padding="24px",
        ),
        min_height="100vh",
    )
