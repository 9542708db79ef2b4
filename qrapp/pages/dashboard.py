import reflex as rx

from qrapp.components.panels import card, empty_state
from qrapp.components.shell import signed_in_page
from qrapp.state.session import SessionState


def _step(done: rx.Var | bool, title: str, text: str) -> rx.Component:
    return rx.hstack(
        rx.cond(
            done,
            rx.icon("circle-check", color=rx.color("green", 10), size=22),
            rx.icon("circle", color=rx.color("gray", 8), size=22),
        ),
        rx.vstack(
            rx.text(title, weight="medium"),
            rx.text(text, size="2", color_scheme="gray"),
            spacing="0",
        ),
        align="start",
        spacing="3",
    )


def _getting_started() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Getting started", size="4"),
            _step(True, "Create your account", "Your personal workspace is ready."),
            _step(
                SessionState.email_verified,
                "Confirm your e-mail",
                "So we can reach you about your codes and your password.",
            ),
            _step(False, "Create your first QR code", "Design it, download it, print it."),
            _step(False, "Invite your team", "Share codes, pages and analytics."),
            spacing="4",
        )
    )


@signed_in_page("/dashboard", "Dashboard")
def dashboard() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            rx.heading(
                rx.cond(
                    SessionState.user_name,
                    "Hello, " + SessionState.user_name,
                    "Hello",
                ),
                size="7",
                id="greeting",
            ),
            rx.text(
                "You are working in ",
                rx.text(SessionState.workspace_name, weight="bold", as_="span", id="ws-name"),
                ".",
                color_scheme="gray",
            ),
            spacing="1",
        ),
        rx.grid(
            empty_state(
                "qr-code",
                "No QR codes yet",
                "Your codes, their scans and the latest activity will show here. "
                "Start with a code for your website, menu, Wi-Fi or business card.",
                rx.link(rx.button(rx.icon("plus"), "Create a QR code", size="3"), href="/codes"),
            ),
            _getting_started(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="5",
            width="100%",
        ),
        spacing="6",
        width="100%",
    )
