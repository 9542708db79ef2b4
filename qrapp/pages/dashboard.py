import reflex as rx

from qrapp.components.panels import card, empty_state
from qrapp.components.shell import signed_in_page
from qrapp.components.wording import counted_text
from qrapp.state.dashboard import DashboardState
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


def _kpi(label: str, value, icon: str, hint: str) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.box(
                rx.icon(icon, size=20, color=rx.color("accent", 11)),
                background=rx.color("accent", 3),
                padding="10px",
                border_radius="10px",
                display="flex",
            ),
            rx.vstack(
                rx.text(label, size="2", color_scheme="gray"),
                rx.heading(value, size="7"),
                rx.text(hint, size="1", color_scheme="gray"),
                spacing="0",
            ),
            spacing="3",
            align="center",
        ),
        width="100%",
    )


def _code_list(title: str, rows, empty: str) -> rx.Component:
    return card(
        rx.vstack(
            rx.heading(title, size="4"),
            rx.cond(
                rows.length() > 0,
                rx.vstack(
                    rx.foreach(
                        rows,
                        lambda c: rx.hstack(
                            rx.icon("qr-code", size=16, color=rx.color("gray", 10)),
                            rx.link(c["name"], href="/codes/" + c["id"]),
                            rx.spacer(),
                            rx.cond(
                                c["tracked"],
                                counted_text(c["scans"], "scan", size="2", color_scheme="gray"),
                                rx.text("static, not tracked", size="1", color_scheme="gray"),
                            ),
                            width="100%",
                            align="center",
                        ),
                    ),
                    width="100%",
                    spacing="2",
                ),
                rx.text(empty, size="2", color_scheme="gray"),
            ),
            spacing="3",
            width="100%",
        )
    )


def _with_codes() -> rx.Component:
    return rx.vstack(
        rx.grid(
            _kpi("QR codes", DashboardState.codes, "qr-code", "active and paused"),
            _kpi("Dynamic codes", DashboardState.dynamic, "link", "editable after printing"),
            _kpi(
                "Scans, last 7 days", DashboardState.scans_week, "trending-up", "people, not bots"
            ),
            _kpi("Scans, all time", DashboardState.scans_total, "sigma", "people, not bots"),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            _code_list("Newest codes", DashboardState.recent, "No codes yet."),
            _code_list(
                "Most scanned",
                DashboardState.top,
                "No scans yet. Print a code and scan it with your phone to see it here.",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.hstack(
            rx.cond(
                DashboardState.can_edit,
                rx.link(rx.button(rx.icon("plus"), "New QR code"), href="/codes/new"),
            ),
            rx.link(rx.button("Open the library", variant="soft"), href="/codes"),
        ),
        spacing="5",
        width="100%",
    )


@signed_in_page("/dashboard", "Dashboard", on_load=DashboardState.load)
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
        rx.cond(
            DashboardState.codes > 0,
            _with_codes(),
            rx.grid(
                empty_state(
                    "qr-code",
                    "No QR codes yet",
                    "Your codes, their scans and the latest activity will show here. "
                    "Start with a code for your website, menu, Wi-Fi or business card.",
                    rx.link(
                        rx.button(rx.icon("plus"), "Create a QR code", size="3"),
                        href="/codes/new",
                        id="create-first-code",
                    ),
                ),
                _getting_started(),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="5",
                width="100%",
            ),
        ),
        spacing="6",
        width="100%",
    )
