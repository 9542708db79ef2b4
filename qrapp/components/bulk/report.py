"""The dry run: a button, then the report (row numbers and messages), its CSV, the
template's scannability verdict and the start with the valid rows."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import verdict_badge
from qrapp.components.plan_limit import plan_limit_callout
from qrapp.components.styles import MUTED_MD, MUTED_SM
from qrapp.state.bulk import BulkState as S


def _problem_table(rows, id_: str, caption: str) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Row"),
                    rx.table.column_header_cell("Field"),
                    rx.table.column_header_cell("Message"),
                )
            ),
            rx.table.body(
                rx.foreach(
                    rows,
                    lambda p: rx.table.row(
                        rx.table.cell(p["row"]),
                        rx.table.cell(p["field"]),
                        rx.table.cell(p["message"]),
                        class_name="problem-row",
                    ),
                )
            ),
            size="1",
            variant="surface",
            width="100%",
        ),
        id=id_,
        role="region",
        aria_label=caption,
        max_height="320px",
        overflow_y="auto",
        tab_index=0,
        width="100%",
    )


def _summary() -> rx.Component:
    return rx.hstack(
        rx.text(
            rx.text(S.valid_count, weight="bold", as_="span", id="valid-count"),
            " of ",
            rx.text(S.report_total, as_="span"),
            " rows are valid.",
            size="3",
        ),
        rx.cond(
            S.problem_count > 0,
            rx.badge(
                S.problem_count, " problem(s)", color_scheme="red", high_contrast=True, size="2"
            ),
        ),
        align="center",
        spacing="3",
        wrap="wrap",
    )


def _verdict() -> rx.Component:
    return rx.hstack(
        rx.text("The template:", size="2", weight="medium"),
        verdict_badge(S.template_verdict, id_="template-verdict", pending=""),
        rx.text(S.template_verdict_text, **MUTED_MD),
        align="center",
        spacing="2",
        wrap="wrap",
    )


def _report() -> rx.Component:
    return rx.vstack(
        _summary(),
        _verdict(),
        rx.cond(
            S.problem_count > 0,
            rx.vstack(
                rx.heading("Rows that will be skipped", size="3", as_="h3"),
                _problem_table(S.problems, "bulk-problems", "Rows with problems"),
                rx.cond(
                    S.hidden_problems > 0,
                    rx.text(
                        "and ",
                        S.hidden_problems,
                        " more: they are all in the report CSV.",
                        **MUTED_SM,
                    ),
                ),
                spacing="2",
                width="100%",
            ),
        ),
        rx.cond(
            S.dense.length() > 0,
            rx.vstack(
                rx.heading("Rows whose codes may scan badly", size="3", as_="h3"),
                _problem_table(S.dense, "bulk-dense", "Rows whose codes may scan badly"),
                spacing="2",
                width="100%",
            ),
        ),
        rx.hstack(
            rx.button(
                rx.icon("file-down", size=16),
                "Download report (CSV)",
                variant="soft",
                on_click=S.download_report,
                id="download-report",
            ),
            rx.button(
                rx.icon("play", size=16),
                S.start_label,
                on_click=S.start,
                loading=S.starting,
                disabled=(S.valid_count == 0) | (S.template_verdict == "fail"),
                id="start-job",
            ),
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(
            S.start_error != "",
            rx.callout(
                S.start_error, icon="circle-alert", color_scheme="red", role="alert", width="100%"
            ),
        ),
        plan_limit_callout(S.plan_limit, "bulk-plan-limit"),
        spacing="3",
        width="100%",
        id="bulk-report",
    )


def dry_run_section() -> rx.Component:
    return rx.vstack(
        rx.heading("4. Check, then start", size="4", as_="h2"),
        rx.text(
            "The dry run checks every row with the same rules as the designer. Nothing is "
            "made until you start.",
            **MUTED_SM,
        ),
        rx.button(
            rx.icon("list-checks", size=16),
            "Run the dry run",
            on_click=S.run_dry_run,
            loading=S.checking,
            id="dry-run",
        ),
        rx.cond(
            S.options_error != "",
            rx.callout(
                S.options_error,
                icon="circle-alert",
                color_scheme="red",
                role="alert",
                width="100%",
                id="bulk-options-error",
            ),
        ),
        rx.cond(S.has_report, _report()),
        spacing="3",
        width="100%",
    )
