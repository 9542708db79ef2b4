"""Bulk actions on selected codes: the bar, the folders popover and the confirmation."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import native_select
from qrapp.components.styles import MUTED_MD, RADIUS_LG
from qrapp.state.library import LibraryState as L


def folders_popover() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(rx.icon("folder"), "Folders", variant="soft", color_scheme="gray")
        ),
        rx.popover.content(
            rx.vstack(
                rx.text("Folders", weight="bold"),
                rx.foreach(
                    L.folders,
                    lambda f: rx.hstack(
                        rx.icon("folder", size=14),
                        rx.text(f["label"], size="2"),
                        rx.spacer(),
                        rx.cond(
                            L.can_edit,
                            rx.icon_button(
                                rx.icon("trash-2", size=12),
                                size="1",
                                variant="ghost",
                                color_scheme="red",
                                aria_label="Delete folder",
                                on_click=L.delete_folder(f["value"]),
                            ),
                        ),
                        width="100%",
                        align="center",
                    ),
                ),
                rx.cond(
                    L.folders.length() == 0,
                    rx.text("No folders yet.", **MUTED_MD),
                ),
                rx.cond(
                    L.can_edit,
                    rx.hstack(
                        rx.input(
                            placeholder="New folder",
                            aria_label="New folder name",
                            value=L.new_folder,
                            on_change=L.set_new_folder,
                            size="1",
                            id="new-folder",
                        ),
                        rx.button("Add", size="1", on_click=L.create_folder, id="add-folder"),
                    ),
                ),
                spacing="2",
                width="240px",
            ),
        ),
    )


def bulk_bar() -> rx.Component:
    return rx.cond(
        (L.selected.length() > 0) & L.can_edit,
        rx.hstack(
            rx.text(L.selected.length(), " selected", weight="bold", size="2"),
            rx.button("Pause", size="1", variant="soft", on_click=L.run_bulk("pause")),
            rx.button("Activate", size="1", variant="soft", on_click=L.run_bulk("activate")),
            rx.button("Archive", size="1", variant="soft", on_click=L.ask("archive")),
            rx.button(
                "Delete",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=L.ask("delete"),
                id="bulk-delete",
            ),
            rx.input(
                placeholder="tag",
                aria_label="Tag to add or remove",
                value=L.bulk_tag,
                on_change=L.set_bulk_tag,
                size="1",
                width="100px",
            ),
            rx.button("Add tag", size="1", variant="soft", on_click=L.run_bulk("tag")),
            rx.button("Remove tag", size="1", variant="soft", on_click=L.run_bulk("untag")),
            rx.box(
                native_select(
                    [
                        rx.el.option("No folder", value=""),
                        rx.foreach(L.folders, lambda f: rx.el.option(f["label"], value=f["value"])),
                    ],
                    value=L.move_to,
                    on_change=L.set_move_to,
                    aria_label="Move to folder",
                ),
                width="130px",
            ),
            rx.button("Move", size="1", variant="soft", on_click=L.run_bulk("move")),
            wrap="wrap",
            align="center",
            padding="8px 12px",
            border_radius=RADIUS_LG,
            background=rx.color("accent", 3),
            width="100%",
        ),
    )


def confirm_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Are you sure?"),
            rx.alert_dialog.description(L.confirm_text),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Cancel", variant="soft", color_scheme="gray", on_click=L.cancel_confirm
                    )
                ),
                rx.alert_dialog.action(
                    rx.button(
                        "Yes, go ahead",
                        color_scheme="red",
                        on_click=L.run_bulk(L.confirm_action),
                        id="confirm-yes",
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
        ),
        open=L.confirm_action != "",
    )
