"""The palette of block types and the page's block list, inside one drag-and-drop board:
drag a type into the list, drag a row by its handle, or use the buttons (Add, Move up,
Move down) with the keyboard."""

from __future__ import annotations

import reflex as rx

from qrapp.components.builder.dnd import block_list, block_row, dnd_board, palette_item
from qrapp.components.icons import icon_of
from qrapp.components.styles import MUTED_SM, RADIUS_MD
from qrapp.core.pages.blocks import REGISTRY
from qrapp.state.page_builder import BuilderState as S
from qrapp.state.page_builder_views import PALETTE, PaletteView

# A constant, written into the builder's script: as a state var it was in the initial
# state every page's JavaScript carries (issue 19).
_PALETTE = rx.Var.create(PALETTE).to(list[PaletteView])

# Every block type's fixed icon, so only those icons are bundled (components.icons).
BLOCK_ICONS = [t.icon for t in REGISTRY.values()]


def _palette_button(t) -> rx.Component:
    return palette_item(
        rx.button(
            icon_of(t["icon"], BLOCK_ICONS, size=16),
            rx.text(t["title"], size="2"),
            variant="outline",
            color_scheme="gray",
            width="100%",
            justify_content="start",
            on_click=S.add_block(t["key"]),
            title=t["description"],
            aria_label="Add " + t["title"],
            id="palette-" + t["key"],
        ),
        block_type=t["key"],
        label=t["title"],
    )


def palette() -> rx.Component:
    return rx.vstack(
        rx.heading("Blocks", size="3", as_="h2"),
        rx.text(
            "Drag a block into the page, or press it to add it below the selected one.", **MUTED_SM
        ),
        rx.grid(rx.foreach(_PALETTE, _palette_button), columns="1", spacing="2", width="100%"),
        spacing="2",
        width="100%",
        id="palette",
    )


def _icon_button(icon: str, label, on_click, id_, disabled=False) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=14),
        size="1",
        variant="ghost",
        color_scheme="gray",
        on_click=on_click,
        aria_label=label,
        title=label,
        id=id_,
        disabled=disabled,
    )


def _row(b) -> rx.Component:
    selected = S.selected_id == b["id"]
    edit_buttons = rx.hstack(
        _icon_button(
            "arrow-up",
            "Move " + b["title"] + " up",
            S.move_by(b["id"], -1),
            "up-" + b["id"],
            disabled=b["index"] == 0,
        ),
        _icon_button(
            "arrow-down",
            "Move " + b["title"] + " down",
            S.move_by(b["id"], 1),
            "down-" + b["id"],
            disabled=b["index"] == S.blocks.length() - 1,
        ),
        _icon_button(
            "copy", "Duplicate " + b["title"], S.duplicate_block(b["id"]), "dup-" + b["id"]
        ),
        _icon_button("trash-2", "Delete " + b["title"], S.remove_block(b["id"]), "del-" + b["id"]),
        spacing="1",
        align="center",
    )
    return block_row(
        rx.hstack(
            rx.el.button(
                rx.hstack(
                    icon_of(b["icon"], BLOCK_ICONS, size=16, color=rx.color("accent", 11)),
                    rx.vstack(
                        rx.text(b["title"], size="2", weight="medium"),
                        rx.text(b["summary"], **MUTED_SM, trim="both"),
                        spacing="0",
                        align="start",
                        min_width="0",
                    ),
                    align="center",
                    spacing="2",
                ),
                on_click=S.select_block(b["id"]),
                aria_pressed=rx.cond(selected, "true", "false"),
                aria_label="Edit " + b["title"] + ": " + b["summary"],
                class_name="block-select",
                style={
                    "flex": "1",
                    "min_width": "0",
                    "text_align": "left",
                    "background": "transparent",
                    "border": "none",
                    "padding": "4px",
                    "cursor": "pointer",
                    "color": "inherit",
                    "overflow": "hidden",
                },
            ),
            rx.cond(S.can_edit, edit_buttons),
            align="center",
            width="100%",
            padding="6px 8px",
            border_radius=RADIUS_MD,
            border=rx.cond(
                selected,
                f"2px solid {rx.color('accent', 9)}",
                f"1px solid {rx.color('gray', 6)}",
            ),
            background=rx.color("gray", 1),
        ),
        block_id=b["id"],
        label=b["title"],
        class_name="block-row",
        custom_attrs={"data-block-type": b["type"]},
    )


def page_blocks() -> rx.Component:
    return rx.vstack(
        rx.heading("Page", size="3", as_="h2"),
        block_list(
            rx.foreach(S.blocks, _row),
            rx.cond(
                S.blocks.length() == 0,
                rx.text(
                    "The page is empty. Drag a block here from the list on the left.",
                    **MUTED_SM,
                    padding="24px",
                    text_align="center",
                ),
            ),
            id="page-blocks",
            custom_attrs={"aria-label": "Blocks of the page", "role": "group"},
        ),
        spacing="2",
        width="100%",
    )


def board(*children: rx.Component) -> rx.Component:
    """The drag-and-drop board around the palette and the list (and whatever sits
    between them in the layout)."""
    return dnd_board(
        *children,
        block_ids=S.block_ids,
        read_only=~S.can_edit,
        on_insert=S.insert_block,
        on_move=S.move_block,
    )
