import reflex as rx

from qrapp.components.billing_notice import pause_banner
from qrapp.components.charts import bar_list, stat_card
from qrapp.components.panels import card, empty_state, link_button
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD, MUTED_SM
from qrapp.components.wording import counted_text
from qrapp.core import routes
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
            rx.text(text, **MUTED_MD),
            spacing="0",
        ),
        align="start",
        spacing="3",
    )


def _getting_started() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Getting started", size="4", as_="h2"),
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


def _code_link(c) -> rx.Component:
    return rx.link(c["name"], href=routes.code_page(c["id"]), size="2", truncate=True)


def _most_scanned() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Most scanned", size="4", as_="h2"),
            bar_list(
                DashboardState.top,
                "No scans yet. Print a code and scan it with your phone to see it here.",
                label=_code_link,
            ),
            spacing="3",
            width="100%",
        )
    )


def _code_list(title: str, rows, empty: str) -> rx.Component:
    return card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"),
            rx.cond(
                rows.length() > 0,
                rx.vstack(
                    rx.foreach(
                        rows,
                        lambda c: rx.hstack(
                            rx.icon("qr-code", size=16, color=rx.color("gray", 10)),
                            rx.link(c["name"], href=routes.code_page(c["id"])),
                            rx.spacer(),
                            rx.cond(
                                c["tracked"],
                                counted_text(c["scans"], "scan", **MUTED_MD),
                                rx.text("static, not tracked", **MUTED_SM),
                            ),
                            width="100%",
                            align="center",
                        ),
                    ),
                    width="100%",
                    spacing="2",
                ),
                rx.text(empty, **MUTED_MD),
            ),
            spacing="3",
            width="100%",
        )
    )


def _with_codes() -> rx.Component:
    return rx.vstack(
        rx.grid(
            stat_card("QR codes", DashboardState.codes, "qr-code", "active and paused"),
            stat_card("Dynamic codes", DashboardState.dynamic, "link", "editable after printing"),
            stat_card(
                "Scans, last 7 days", DashboardState.scans_week, "trending-up", "people, not bots"
            ),
            stat_card("Scans, all time", DashboardState.scans_total, "sigma", "people, not bots"),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            _code_list("Newest codes", DashboardState.recent, "No codes yet."),
            _most_scanned(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        rx.hstack(
            rx.cond(
                DashboardState.can_edit,
                link_button(rx.icon("plus"), "New QR code", href=routes.CODE_NEW),
            ),
            link_button("Open the library", variant="soft", href=routes.CODES),
        ),
        spacing="5",
        width="100%",
    )


@signed_in_page(routes.DASHBOARD, "Dashboard", on_load=DashboardState.load)
def dashboard() -> rx.Component:
    return rx.vstack(
        pause_banner(
            DashboardState.pause_text,
            DashboardState.pause_tone,
            DashboardState.pause_can_pay,
            id="billing-banner",
        ),
        rx.vstack(
            # A greeting, not a heading: the page's h1 is "Dashboard" in the shell.
            rx.text(
                rx.cond(
                    SessionState.user_name,
                    "Hello, " + SessionState.user_name,
                    "Hello",
                ),
                size="7",
                weight="bold",
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
                    link_button(
                        rx.icon("plus"),
                        "Create a QR code",
                        size="3",
                        href=routes.CODE_NEW,
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
