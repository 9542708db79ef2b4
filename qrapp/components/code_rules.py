"""The code page's redirect rules editor, password card and scan simulator."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import card, native_select
from qrapp.state.code_rules import RulesState as R

FIELDS = [
    ("device", "Device"),
    ("os", "Operating system"),
    ("browser", "Browser"),
    ("language", "Language"),
    ("country", "Country"),
    ("region", "Region"),
    ("city", "City"),
    ("ip", "IP range"),
    ("query", "Query parameter"),
    ("time", "Time of day"),
    ("date", "Date range"),
]
HINTS = {
    "device": "mobile, tablet, desktop",
    "os": "iOS, Android, Windows",
    "browser": "Chrome, Safari",
    "language": "sv, en-GB",
    "country": "SE, NO, DK",
    "region": "Stockholm",
    "city": "Göteborg",
    "ip": "203.0.113.0/24",
    "query": "src=poster",
    "time": "09:00-17:00 mon,tue,wed,thu,fri (UTC)",
    "date": "2026-12-01T00:00Z to 2026-12-31T23:59Z",
}


def _row(row, index) -> rx.Component:
    return rx.hstack(
        rx.box(
            native_select(
                [rx.el.option(label, value=v) for v, label in FIELDS],
                value=row["field"],
                on_change=lambda v: R.set_row(index, "field", v),
                aria_label="Condition",
            ),
            width="170px",
        ),
        rx.box(
            native_select(
                [
                    rx.el.option("is one of", value="in"),
                    rx.el.option("is not", value="not_in"),
                    rx.el.option("equals", value="eq"),
                    rx.el.option("is present", value="present"),
                    rx.el.option("is absent", value="absent"),
                    rx.el.option("between", value="between"),
                ],
                value=row["op"],
                on_change=lambda v: R.set_row(index, "op", v),
                aria_label="Operator",
            ),
            width="120px",
        ),
        rx.input(
            value=row["value"],
            on_change=lambda v: R.set_row(index, "value", v),
            placeholder=rx.match(row["field"], *[(k, v) for k, v in HINTS.items()], ""),
            width="100%",
            class_name="rule-value",
        ),
        rx.icon_button(
            rx.icon("x", size=14),
            variant="ghost",
            color_scheme="gray",
            on_click=R.remove_row(index),
            aria_label="Remove condition",
        ),
        width="100%",
        align="center",
    )


def _variant(v, index) -> rx.Component:
    return rx.hstack(
        rx.input(
            value=v["label"],
            on_change=lambda x: R.set_variant(index, "label", x),
            width="60px",
            aria_label="Variant",
        ),
        rx.input(
            value=v["destination"],
            placeholder="https://…",
            on_change=lambda x: R.set_variant(index, "destination", x),
            width="100%",
        ),
        rx.input(
            value=v["weight"],
            on_change=lambda x: R.set_variant(index, "weight", x),
            width="70px",
            aria_label="Weight (%)",
        ),
        width="100%",
    )


def _builder() -> rx.Component:
    return rx.vstack(
        rx.text("New rule", weight="bold", size="2"),
        rx.input(
            placeholder="Name (optional), e.g. iPhones in Sweden",
            value=R.label,
            on_change=R.set_label,
            width="100%",
        ),
        rx.foreach(R.rows, _row),
        rx.button(
            rx.icon("plus", size=14), "Condition", size="1", variant="soft", on_click=R.add_row
        ),
        rx.hstack(
            rx.switch(checked=R.split, on_change=R.set_split, id="ab-split"),
            rx.text("Split traffic A/B", size="2"),
            align="center",
        ),
        rx.cond(
            R.split,
            rx.vstack(
                rx.foreach(R.variants, _variant),
                rx.button("Add variant", size="1", variant="soft", on_click=R.add_variant),
                width="100%",
            ),
            rx.input(
                placeholder="Send them to https://…",
                value=R.destination,
                on_change=R.set_destination,
                width="100%",
                id="rule-destination",
            ),
        ),
        rx.foreach(
            R.errors.values(),
            lambda e: rx.text(e, color_scheme="red", size="1", role="alert"),
        ),
        rx.button("Add rule", on_click=R.add_rule, id="add-rule"),
        spacing="2",
        width="100%",
        padding="12px",
        border_radius="10px",
        background=rx.color("gray", 2),
    )


def rules_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Redirect rules", size="4"),
            rx.text(
                "The first rule whose conditions all hold decides where a scan goes; "
                "otherwise the destination above.",
                size="2",
                color_scheme="gray",
            ),
            rx.foreach(
                R.rules,
                lambda r, i: rx.hstack(
                    rx.badge(i + 1, variant="soft"),
                    rx.vstack(
                        rx.text(r["label"], weight="medium", size="2"),
                        rx.text(r["conditions"].join(" and "), size="1", color_scheme="gray"),
                        rx.text(r["outcome"], size="1"),
                        spacing="0",
                        width="100%",
                    ),
                    rx.cond(
                        R.can_edit,
                        rx.hstack(
                            rx.icon_button(
                                rx.icon("arrow-up", size=12),
                                size="1",
                                variant="ghost",
                                on_click=R.move_rule(r["id"], -1),
                                aria_label="Up",
                            ),
                            rx.icon_button(
                                rx.icon("arrow-down", size=12),
                                size="1",
                                variant="ghost",
                                on_click=R.move_rule(r["id"], 1),
                                aria_label="Down",
                            ),
                            rx.icon_button(
                                rx.icon("trash-2", size=12),
                                size="1",
                                variant="ghost",
                                color_scheme="red",
                                on_click=R.delete_rule(r["id"]),
                                aria_label="Delete rule",
                            ),
                            spacing="1",
                        ),
                    ),
                    width="100%",
                    align="start",
                    class_name="rule-row",
                ),
            ),
            rx.cond(
                R.rules.length() == 0,
                rx.text(
                    "No rules yet: every scan goes to the destination.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            rx.cond(R.can_edit, _builder()),
            spacing="3",
            width="100%",
        )
    )


def password_card() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.hstack(
                    rx.heading("Password", size="4"),
                    rx.cond(
                        R.has_password,
                        rx.badge("On", color_scheme="green"),
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


def _sim_input(label: str, key: str, value, placeholder: str = "", kind: str = "text"):
    return rx.vstack(
        rx.text(label, size="1"),
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


def simulator_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Simulate a scan", size="4"),
            rx.grid(
                rx.vstack(
                    rx.text("Device", size="1"),
                    native_select(
                        [
                            rx.el.option(d, value=d)
                            for d in ("mobile", "tablet", "desktop", "bot", "other")
                        ],
                        value=R.sim_device,
                        on_change=lambda v: R.set_sim("device", v),
                        id_="sim-device",
                    ),
                    spacing="1",
                    width="100%",
                ),
                _sim_input("Operating system", "os", R.sim_os, "iOS"),
                _sim_input("Country", "country", R.sim_country, "SE"),
                _sim_input("Language", "language", R.sim_language, "sv-SE"),
                _sim_input("Time (UTC)", "time", R.sim_time, "", "datetime-local"),
                _sim_input("Query", "query", R.sim_query, "src=poster"),
                columns=rx.breakpoints(initial="2", sm="3"),
                spacing="2",
                width="100%",
            ),
            rx.button(rx.icon("play", size=14), "Simulate", on_click=R.simulate, id="simulate"),
            rx.cond(
                R.sim_result != "",
                rx.vstack(
                    rx.hstack(
                        rx.icon("arrow-right", size=14),
                        rx.code(R.sim_result, id="sim-result"),
                        align="center",
                    ),
                    rx.text(R.sim_why, size="2", id="sim-why"),
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
                    border_radius="8px",
                    background=rx.color("accent", 2),
                ),
            ),
            spacing="3",
            width="100%",
        )
    )
