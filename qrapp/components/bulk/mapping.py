"""The file's first rows and the column chosen for each field (guessed from the headers)."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import native_select
from qrapp.components.styles import MUTED_SM, RADIUS_LG
from qrapp.state.bulk import BulkState as S


def _preview() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(rx.foreach(S.headers, lambda h: rx.table.column_header_cell(h)))
            ),
            rx.table.body(
                rx.foreach(
                    S.preview,
                    lambda row: rx.table.row(rx.foreach(row, lambda c: rx.table.cell(c))),
                )
            ),
            size="1",
            variant="surface",
            width="100%",
            id="bulk-preview",
        ),
        overflow_x="auto",
        width="100%",
        # a scrollable region reaches the keyboard (axe scrollable-region-focusable) and
        # says what it holds
        tab_index=0,
        role="region",
        aria_label="First rows of the file",
        border_radius=RADIUS_LG,
    )


def _field(f) -> rx.Component:
    return rx.vstack(
        field_label(
            rx.fragment(f["label"], rx.cond(f["required"], " (required)", "")),
            html_for=f["input_id"],
        ),
        native_select(
            rx.foreach(S.columns, lambda c: rx.el.option(c["label"], value=c["value"])),
            value=f["column"],
            on_change=lambda v: S.set_column(f["key"], v),
            id_=f["input_id"],
        ),
        spacing="1",
        width="100%",
    )


def mapping_section() -> rx.Component:
    return rx.vstack(
        rx.heading("3. Columns", size="4", as_="h2"),
        rx.text("The first rows of your file:", **MUTED_SM),
        _preview(),
        rx.text(
            "Which column holds each field. We guessed from the headers; change any.",
            **MUTED_SM,
        ),
        rx.grid(
            rx.foreach(S.fields, _field),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="3",
            width="100%",
            id="bulk-mapping",
        ),
        spacing="3",
        width="100%",
    )
