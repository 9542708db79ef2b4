"""A landing page's leads: the table (one column per form field), the export links (plain
downloads through the backend's file route) and the delete confirmation."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import confirm_delete_dialog, empty_state
from qrapp.state.page_leads import PageLeadsState as S


def _row(row) -> rx.Component:
    delete = rx.button(
        "Delete",
        size="1",
        variant="soft",
        color_scheme="red",
        on_click=S.ask_delete(row["id"]),
        aria_label="Delete the lead sent " + row["sent"],
    )
    return rx.table.row(
        rx.table.row_header_cell(row["sent"]),
        rx.foreach(row["cells"], lambda cell: rx.table.cell(cell, white_space="pre-line")),
        rx.table.cell(row["consent"]),
        rx.cond(S.can_delete, rx.table.cell(delete)),
        class_name="lead-row",
    )


def _table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Sent (UTC)"),
                    rx.foreach(S.columns, rx.table.column_header_cell),
                    rx.table.column_header_cell("Consent"),
                    rx.cond(S.can_delete, rx.table.column_header_cell("Actions")),
                )
            ),
            rx.table.body(rx.foreach(S.rows, _row)),
            width="100%",
            id="leads-table",
        ),
        overflow_x="auto",
        width="100%",
    )


def _exports() -> rx.Component:
    # rx.download clicks a detached <a download>: an in-page link would go through the
    # single-page router and show its 404 for /files/...
    return rx.hstack(
        rx.button(
            rx.icon("download", size=16),
            "CSV",
            variant="soft",
            on_click=rx.download(url=S.csv_href),
            id="leads-csv",
            aria_label="Download the leads as CSV",
        ),
        rx.button(
            rx.icon("download", size=16),
            "XLSX",
            variant="soft",
            on_click=rx.download(url=S.xlsx_href),
            id="leads-xlsx",
            aria_label="Download the leads as XLSX",
        ),
        spacing="2",
    )


def delete_dialog() -> rx.Component:
    return confirm_delete_dialog(
        "Delete this lead?",
        "The lead and everything the visitor sent are deleted for good. This cannot be undone.",
        "Delete lead",
        on_confirm=S.delete,
        open=S.delete_id != "",
        on_open_change=S.cancel_delete,
    )


def page_leads() -> rx.Component:
    return rx.cond(
        S.found,
        rx.vstack(
            rx.hstack(
                rx.link(rx.icon("arrow-left", size=16), "Back to the builder", href=S.builder_href),
                rx.spacer(),
                rx.cond(S.can_export & (S.rows.length() > 0), _exports()),
                width="100%",
                align="center",
            ),
            rx.text("What visitors sent through the forms on “" + S.page_name + "”."),
            rx.cond(
                S.loaded & (S.rows.length() == 0),
                empty_state(
                    "inbox",
                    "No leads yet",
                    "Add a Lead form block to the page and publish it; what visitors send "
                    "shows here.",
                ),
                rx.cond(S.rows.length() > 0, _table()),
            ),
            delete_dialog(),
            spacing="4",
            width="100%",
        ),
        empty_state("inbox", "Page not found", "This page does not exist in this workspace."),
    )
