"""The library's layout: title, filters, bulk bar, the grid or the table, the pager."""

from __future__ import annotations

import reflex as rx

from qrapp.components.library.bulk import bulk_bar, confirm_dialog, folders_popover
from qrapp.components.library.cards import cards
from qrapp.components.library.filters import filters, search
from qrapp.components.library.table import table
from qrapp.components.panels import empty_state
from qrapp.components.styles import MUTED_MD
from qrapp.components.wording import counted_text
from qrapp.core import routes
from qrapp.state.library import LibraryState as L


def pager() -> rx.Component:
    return rx.hstack(
        counted_text(L.total, "code", **MUTED_MD, id="total"),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left"),
            variant="soft",
            size="1",
            disabled=L.page <= 1,
            on_click=L.go_page(L.page - 1),
            aria_label="Previous page",
        ),
        rx.text("Page ", L.page, " of ", L.pages, size="2"),
        rx.button(
            rx.icon("chevron-right"),
            variant="soft",
            size="1",
            disabled=L.page >= L.pages,
            on_click=L.go_page(L.page + 1),
            aria_label="Next page",
        ),
        width="100%",
        align="center",
    )


def library() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            search(),
            rx.spacer(),
            folders_popover(),
            rx.cond(
                L.can_edit,
                # The link is the one tab stop; the button inside is only its look.
                rx.link(
                    rx.button(rx.icon("plus"), "New QR code", id="new-code", tab_index=-1),
                    href=routes.CODE_NEW,
                ),
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        filters(),
        bulk_bar(),
        rx.cond(
            L.rows.length() > 0,
            rx.vstack(
                # A table from tablet width up, cards on phones (390 px cut the table off).
                rx.box(table(), width="100%", overflow_x="auto", display=["none", "none", "block"]),
                rx.box(cards(), width="100%", display=["block", "block", "none"]),
                pager(),
                width="100%",
            ),
            rx.cond(
                L.has_filters,
                empty_state(
                    "search-x",
                    "No codes match",
                    "Try other filters or clear them.",
                    rx.button("Clear filters", on_click=L.clear_filters),
                ),
                empty_state(
                    "qr-code",
                    "No QR codes yet",
                    "Create a dynamic code to change its destination after printing and see "
                    "who scans it, or a static code for Wi-Fi, contacts and payments.",
                    rx.cond(
                        L.can_edit,
                        rx.link(
                            rx.button(rx.icon("plus"), "Create a QR code", size="3", tab_index=-1),
                            href=routes.CODE_NEW,
                        ),
                    ),
                ),
            ),
        ),
        confirm_dialog(),
        spacing="4",
        width="100%",
    )
