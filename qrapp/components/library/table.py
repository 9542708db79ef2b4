"""The table view: one row per code."""

from __future__ import annotations

import reflex as rx

from qrapp.components.library.parts import not_tracked, plan_badges, status_badge, thumb
from qrapp.components.styles import MUTED_MD, MUTED_SM
from qrapp.core import routes
from qrapp.state.library import LibraryState as L


def _row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=L.selected.contains(r["id"]),
                on_change=lambda _: L.toggle(r["id"]),
                aria_label="Select " + r["name"],
            ),
        ),
        rx.table.cell(thumb(r, "48px")),
        rx.table.cell(
            rx.vstack(
                rx.link(
                    r["name"],
                    href=routes.code_page(r["id"]),
                    weight="medium",
                    color=rx.color("gray", 12),
                ),
                rx.hstack(
                    rx.text(r["type_label"], **MUTED_SM),
                    rx.foreach(r["tags"], lambda t: rx.badge(t, size="1", variant="outline")),
                    spacing="1",
                    wrap="wrap",
                ),
                spacing="1",
            ),
        ),
        rx.table.cell(
            rx.cond(
                r["is_dynamic"],
                rx.hstack(
                    rx.text(r["short_url"], size="2", font_family="monospace"),
                    rx.icon_button(
                        rx.icon("copy", size=12),
                        size="1",
                        variant="ghost",
                        aria_label="Copy short link",
                        on_click=[
                            rx.set_clipboard(r["short_url"]),
                            rx.toast.success("Short link copied"),
                        ],
                    ),
                    align="center",
                    spacing="1",
                ),
                rx.text("static", **MUTED_MD),
            ),
        ),
        rx.table.cell(rx.hstack(status_badge(r), plan_badges(r), spacing="1", wrap="wrap")),
        rx.table.cell(
            rx.cond(
                r["is_dynamic"],
                rx.text(r["scans"], weight="medium"),
                not_tracked(),
            ),
            text_align="right",
        ),
        rx.table.cell(rx.cond(r["is_dynamic"], rx.text(r["last_scan"], **MUTED_MD))),
        align="center",
        class_name="code-row",
    )


def table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(
                    rx.checkbox(
                        checked=L.all_selected,
                        on_change=lambda _: L.toggle_all(),
                        aria_label="Select all",
                    ),
                    width="36px",
                ),
                rx.table.column_header_cell("", width="64px"),
                rx.table.column_header_cell("Name"),
                rx.table.column_header_cell("Short link"),
                rx.table.column_header_cell("Status"),
                rx.table.column_header_cell("Scans", text_align="right"),
                rx.table.column_header_cell("Last scan"),
            )
        ),
        rx.table.body(rx.foreach(L.rows, _row)),
        width="100%",
        variant="surface",
    )
