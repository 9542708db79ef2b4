"""Invoices (Stripe's hosted pages) and receipts (our PDFs for Swish, PayPal, Klarna)."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import card
from qrapp.components.styles import MUTED_MD

_STATUS_COLOURS = {"Paid": "green", "Open": "amber", "Failed": "red", "Refunded": "gray"}


def _status(value) -> rx.Component:
    return rx.match(
        value,
        *[
            (k, rx.badge(k, color_scheme=c, high_contrast=True, variant="soft"))
            for k, c in _STATUS_COLOURS.items()
        ],
        rx.badge(value, variant="soft"),
    )


def _row(i) -> rx.Component:
    return rx.table.row(
        rx.table.cell(i["date"]),
        rx.table.cell(i["number"]),
        rx.table.cell(i["amount"]),
        rx.table.cell(_status(i["status"])),
        rx.table.cell(
            rx.link("Open", href=i["url"], is_external=True, aria_label="Open " + i["number"])
        ),
        class_name="invoice-row",
    )


def invoices_table(invoices) -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Invoices and receipts", size="4", as_="h2"),
            rx.cond(
                invoices.length() > 0,
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell("Date"),
                                rx.table.column_header_cell("Number"),
                                rx.table.column_header_cell("Amount"),
                                rx.table.column_header_cell("Status"),
                                rx.table.column_header_cell("Document"),
                            )
                        ),
                        rx.table.body(rx.foreach(invoices, _row)),
                        width="100%",
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
                rx.text(
                    "No invoices yet. Each payment's invoice or receipt appears here.",
                    **MUTED_MD,
                    id="no-invoices",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        id="billing-invoices",
    )
