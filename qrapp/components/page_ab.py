"""A landing page's A/B test: the start form (the goal and the split, labelled inputs),
then the results table with the verdict, new weights, stop and "make the winner the page"."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import empty_state
from qrapp.components.styles import MUTED_MD, MUTED_SM
from qrapp.state.page_ab import PageAbState as S


def _weight_input(label: str, key: str, value, on_change) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=f"weight-{key}", font_size="14px", font_weight="500"),
        rx.input(
            value=value,
            on_change=on_change,
            id=f"weight-{key}",
            type="number",
            min="0",
            max="100",
            width="120px",
        ),
        spacing="1",
    )


def _weights() -> rx.Component:
    return rx.hstack(
        _weight_input("Share of visitors for A (the page)", "a", S.weight_a, S.set_weight_a),
        _weight_input("Share of visitors for B (the copy)", "b", S.weight_b, S.set_weight_b),
        spacing="5",
        wrap="wrap",
    )


def _error() -> rx.Component:
    return rx.cond(
        S.error != "",
        rx.callout(S.error, icon="triangle-alert", color_scheme="red", role="alert", id="ab-error"),
    )


def _start_form() -> rx.Component:
    return rx.vstack(
        rx.heading("Start an A/B test", size="4", as_="h2"),
        rx.text(
            "B starts as a copy of the page. Change it in the builder and publish it "
            "(edit the goal's button or form rather than replacing it, so B's conversions "
            "count); visitors are split between A and B, and each keeps the one they saw.",
            **MUTED_MD,
        ),
        rx.vstack(
            rx.el.label("What counts as a conversion", html_for="ab-goal", font_weight="500"),
            rx.el.select(
                rx.foreach(S.goals, lambda g: rx.el.option(g["label"], value=g["value"])),
                value=S.goal,
                on_change=S.set_goal,
                id="ab-goal",
                style={"padding": "6px 8px", "border_radius": "6px", "min_width": "260px"},
            ),
            spacing="1",
        ),
        _weights(),
        _error(),
        rx.button("Start the test", on_click=S.start, id="ab-start", disabled=S.goal == ""),
        spacing="4",
        align="start",
        width="100%",
    )


def _row(row) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(row["key"] + " · " + row["name"]),
            rx.cond(row["note"] != "", rx.text(row["note"], color_scheme="red", size="1")),
        ),
        rx.table.cell(row["weight"]),
        rx.table.cell(row["views"]),
        rx.table.cell(row["conversions"]),
        rx.table.cell(row["rate"]),
        rx.table.cell(row["lift"]),
        rx.table.cell(row["p_value"]),
        rx.table.cell(row["best"]),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    S.running & (row["edit_href"] != "") & S.can_edit,
                    rx.link("Edit " + row["key"], href=row["edit_href"], size="2"),
                ),
                rx.cond(
                    S.can_edit & (S.winner == ""),
                    rx.button(
                        "Make " + row["key"] + " the page",
                        size="1",
                        variant="soft",
                        on_click=S.make_winner(row["key"]),
                        id="make-winner-" + row["key"],
                    ),
                ),
                spacing="3",
                align="center",
            )
        ),
        class_name="ab-row",
    )


def _results() -> rx.Component:
    header = [
        "Variant",
        "Weight",
        "Visitors",
        "Conversions",
        "Rate",
        "Change vs A",
        "p-value",
        "Chance to be best",
        "Actions",
    ]
    return rx.vstack(
        rx.hstack(
            rx.heading("A/B test", size="4", as_="h2"),
            rx.badge(
                rx.cond(S.running, "Running", "Stopped"),
                color_scheme=rx.cond(S.running, "green", "gray"),
                id="ab-status",
            ),
            align="center",
            spacing="3",
        ),
        rx.text("Conversion: " + S.goal_label + " · started " + S.started, **MUTED_SM),
        rx.callout(S.verdict, icon="chart-column", id="ab-verdict"),
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in header])),
                rx.table.body(rx.foreach(S.rows, _row)),
                width="100%",
                id="ab-results",
            ),
            overflow_x="auto",
            width="100%",
        ),
        rx.cond(
            S.winner != "",
            rx.text(S.winner + " was made the page.", id="ab-winner", weight="medium"),
        ),
        _error(),
        rx.cond(
            S.running & S.can_edit,
            rx.hstack(
                _weights(),
                rx.button("Save the split", on_click=S.save_weights, variant="soft", id="ab-save"),
                rx.button(
                    "Stop the test",
                    on_click=S.stop,
                    color_scheme="red",
                    variant="soft",
                    id="ab-stop",
                ),
                align="end",
                spacing="4",
                wrap="wrap",
            ),
        ),
        spacing="4",
        width="100%",
    )


def page_ab_test() -> rx.Component:
    return rx.cond(
        S.found,
        rx.vstack(
            rx.link(rx.icon("arrow-left", size=16), "Back to the builder", href=S.builder_href),
            rx.text("Test versions of “" + S.page_name + "” against each other.", **MUTED_MD),
            rx.cond(
                S.loaded,
                rx.cond(
                    S.has_test,
                    rx.vstack(
                        _results(),
                        rx.cond(S.can_edit & ~S.running & S.published, _start_form()),
                        spacing="6",
                        width="100%",
                    ),
                    rx.cond(
                        ~S.published,
                        empty_state(
                            "flask-conical",
                            "Publish the page first",
                            "A test splits the visitors of a live page.",
                        ),
                        rx.cond(
                            S.can_edit,
                            _start_form(),
                            rx.text("No test of this page yet.", **MUTED_MD),
                        ),
                    ),
                ),
            ),
            spacing="4",
            width="100%",
        ),
        empty_state(
            "flask-conical", "Page not found", "This page does not exist in this workspace."
        ),
    )
