"""The simulator: a made-up scan run through the rules, with the decision shown."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import card, native_select
from qrapp.components.styles import MUTED_SM, RADIUS_MD
from qrapp.core import rule_fields
from qrapp.state.code_rules import RulesState as R


def _sim_input(label, key: str, value, placeholder: str = "", kind: str = "text"):
    return rx.vstack(
        rx.el.label(label, html_for=f"sim-{key}", font_size="12px"),
        rx.input(
            value=value,
            on_change=lambda v: R.set_sim(key, v),
            placeholder=placeholder,
            type=kind,
            size="1",
            width="100%",
            id=f"sim-{key}",
        ),
        spacing="1",
        width="100%",
    )


def _sim_select(label: str, key: str, value, options) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=f"sim-{key}", font_size="12px"),
        native_select(
            [rx.el.option("Unknown", value=""), *[rx.el.option(t, value=v) for v, t in options]],
            value=value,
            on_change=lambda v: R.set_sim(key, v),
            id_=f"sim-{key}",
        ),
        spacing="1",
        width="100%",
    )


def _sim_flag(label: str, key: str, checked) -> rx.Component:
    return rx.checkbox(
        label, checked=checked, on_change=lambda v: R.set_sim_flag(key, v), id=f"sim-{key}"
    )


_STEP_NAMES = (
    ("validity", "Validity"),
    ("billing", "Billing"),
    ("password", "Password"),
    ("preview", "Scan limit"),
    ("limit", "Scan limit"),
    ("rule", "Rule"),
    ("default", "Destination"),
)


def simulator_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Simulate a scan", size="4", as_="h3"),
            rx.text(
                "Runs the edge's own decision: status, dates, schedule, scan limits, password, "
                "then the rules.",
                size="2",
                color_scheme="gray",
            ),
            rx.grid(
                _sim_select("Device", "device", R.sim_device, rule_fields.DEVICES),
                _sim_select("Operating system", "os", R.sim_os, rule_fields.OPERATING_SYSTEMS),
                _sim_select("Browser", "browser", R.sim_browser, rule_fields.BROWSERS),
                _sim_select("Country", "country", R.sim_country, rule_fields.COUNTRY_OPTIONS),
                _sim_input("Language", "language", R.sim_language, "sv-SE"),
                _sim_input(
                    rx.text.span("Time (", R.timezone, ")"),
                    "time",
                    R.sim_time,
                    "",
                    "datetime-local",
                ),
                _sim_input("Query", "query", R.sim_query, "src=poster"),
                columns=rx.breakpoints(initial="2", sm="3"),
                spacing="2",
                width="100%",
            ),
            rx.flex(
                rx.cond(
                    R.has_password,
                    _sim_flag("Has entered the password", "password", R.sim_password),
                ),
                _sim_flag("Has scanned this code before", "scanned_before", R.sim_scanned_before),
                gap="4",
                wrap="wrap",
            ),
            rx.button(rx.icon("play", size=14), "Simulate", on_click=R.simulate, id="simulate"),
            rx.cond(
                R.sim_why != "",
                rx.vstack(
                    rx.hstack(
                        rx.text("Decided by", **MUTED_SM),
                        rx.badge(rx.match(R.sim_step, *_STEP_NAMES, "—"), id="sim-step"),
                        align="center",
                    ),
                    rx.text(R.sim_why, size="2", weight="medium", id="sim-why", role="status"),
                    rx.cond(
                        R.sim_result != "",
                        rx.hstack(
                            rx.icon("arrow-right", size=14),
                            rx.code(R.sim_result, id="sim-result"),
                            align="center",
                        ),
                    ),
                    rx.foreach(
                        R.sim_trace,
                        lambda t: rx.hstack(
                            rx.cond(
                                t["matched"],
                                rx.icon("circle-check", size=14, color="green"),
                                rx.icon("circle-minus", size=14, color="gray"),
                            ),
                            rx.text(t["label"], ": ", t["why"], size="1"),
                            align="center",
                        ),
                    ),
                    spacing="1",
                    width="100%",
                    padding="10px",
                    border_radius=RADIUS_MD,
                    background=rx.color("accent", 2),
                ),
            ),
            spacing="3",
            width="100%",
        )
    )
