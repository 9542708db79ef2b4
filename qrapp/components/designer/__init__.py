"""The designer's pieces: type grid, content form, design tabs and live preview, laid out
by `editor` (the form beside a sticky preview)."""

from __future__ import annotations

import reflex as rx

from qrapp.components.designer.content_form import content_section, settings_section
from qrapp.components.designer.controls import responsive
from qrapp.components.designer.design_tabs import design_section
from qrapp.components.designer.preview import preview_card
from qrapp.components.designer.type_grid import type_grid

__all__ = [
    "content_section",
    "design_section",
    "editor",
    "preview_card",
    "settings_section",
    "type_grid",
]


def editor(save_label: str | rx.Var[str]) -> rx.Component:
    # A flex box, not a grid: a sticky grid item only sticks within its own row, so on
    # one-column phones the preview could not follow the controls down the page.
    return rx.box(
        rx.vstack(
            content_section(),
            design_section(),
            settings_section(),
            spacing="4",
            width="100%",
            flex=responsive("none", "3"),
            min_width="0",
            # A focused field scrolls into view below the sticky header and, on phones,
            # the sticky preview, instead of under them.
            style={"& input, & textarea, & select, & button": {"scroll_margin_top": "240px"}},
        ),
        rx.box(
            preview_card(save_label),
            position="sticky",
            # below the page's sticky header; first on phones, beside the form on wide screens
            top=responsive("64px", "80px"),
            order=responsive("-1", "0"),
            z_index="5",
            flex=responsive("none", "2"),
            width="100%",
            min_width="0",
            align_self="flex-start",
            id="preview-box",
        ),
        display="flex",
        flex_direction=responsive("column", "row"),
        gap="24px",
        width="100%",
    )
