"""The rules card: the saved rules in order, and the editor to add one."""

from __future__ import annotations

import reflex as rx

from qrapp.components.code_rules.builder import rule_editor
from qrapp.components.panels import card
from qrapp.components.styles import MUTED_SM
from qrapp.state.code_rules import RulesState as R


def rules_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Redirect rules", size="4", as_="h3"),
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
                        rx.text(r["conditions"].join(" and "), **MUTED_SM),
                        rx.text(r["outcome"], size="1"),
                        spacing="0",
                        width="100%",
                    ),
                    rx.cond(
                        R.can_edit,
                        rx.hstack(
                            rx.icon_button(
                                rx.icon("arrow-up", size=12),
                                size="2",
                                variant="soft",
                                on_click=R.move_rule(r["id"], -1),
                                aria_label="Move rule up",
                            ),
                            rx.icon_button(
                                rx.icon("arrow-down", size=12),
                                size="2",
                                variant="soft",
                                on_click=R.move_rule(r["id"], 1),
                                aria_label="Move rule down",
                            ),
                            rx.icon_button(
                                rx.icon("trash-2", size=12),
                                size="2",
                                variant="soft",
                                color_scheme="red",
                                on_click=R.delete_rule(r["id"]),
                                aria_label="Delete rule",
                            ),
                            spacing="2",
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
            rx.cond(R.can_edit, rule_editor()),
            spacing="3",
            width="100%",
        )
    )
