"""The landing-page builder's components: the drag-and-drop board (palette and block
list), the property forms, the toolbar and the preview."""

from __future__ import annotations

import reflex as rx

from qrapp.components.builder.board import board, page_blocks, palette
from qrapp.components.builder.panels import preview, side_panel, template_dialog, toolbar
from qrapp.components.panels import empty_state
from qrapp.core import routes
from qrapp.state.page_builder import BuilderState as S

__all__ = ["builder"]


def _workspace() -> rx.Component:
    return rx.vstack(
        toolbar(),
        board(
            rx.grid(
                rx.box(rx.cond(S.can_edit, palette()), id="palette-column"),
                rx.box(page_blocks(), id="blocks-column"),
                rx.box(side_panel(), id="props-column"),
                columns=rx.breakpoints(initial="1", md="200px minmax(0, 1fr) minmax(0, 1fr)"),
                spacing="5",
                width="100%",
                align_items="start",
            ),
        ),
        preview(),
        template_dialog(),
        spacing="5",
        width="100%",
    )


def builder() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.cond(
            S.found,
            _workspace(),
            empty_state(
                "file-question",
                "This page does not exist",
                "It may have been deleted, or it belongs to another workspace.",
                rx.link("Back to landing pages", href=routes.LANDING_PAGES),
            ),
        ),
        rx.center(rx.spinner(size="3"), height="40vh"),
    )
