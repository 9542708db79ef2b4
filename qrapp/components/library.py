"""The QR library's table, filters and bulk-action bar."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import empty_state, native_select
from qrapp.components.styles import MUTED_MD, MUTED_SM, RADIUS_LG, RADIUS_SM
from qrapp.components.wording import counted_text
from qrapp.core import routes
from qrapp.state.library import LibraryState as L

STATUS_COLOURS = {"active": "green", "paused": "amber", "archived": "gray"}


def _select(key: str, value, options: list[tuple[str, str]], label: str, extra=None):
    opts = [rx.el.option(text, value=val) for val, text in options]
    return native_select(
        [*opts, extra] if extra is not None else opts,
        value=value,
        on_change=lambda v: L.set_filter(key, v),
        id_="filter-" + key,
        aria_label=label,
    )


def _filter_width(desktop: str) -> list[str]:
    """Two filters a row on a phone (fixed widths cut their labels at 390 px)."""
    return ["calc(50% - 4px)", "calc(50% - 4px)", desktop]


def filters() -> rx.Component:
    return rx.flex(
        rx.box(
            native_select(
                [
                    rx.el.option("All types", value=""),
                    rx.foreach(
                        L.type_options, lambda o: rx.el.option(o["label"], value=o["value"])
                    ),
                ],
                value=L.content_type,
                on_change=lambda v: L.set_filter("content_type", v),
                id_="filter-content_type",
                aria_label="Type",
            ),
            width=_filter_width("150px"),
        ),
        rx.box(
            _select(
                "kind",
                L.kind,
                [("", "Dynamic and static"), ("dynamic", "Dynamic"), ("static", "Static")],
                "Kind",
            ),
            width=_filter_width("180px"),
        ),
        rx.box(
            _select(
                "status",
                L.status,
                [
                    ("", "Active and paused"),
                    ("active", "Active"),
                    ("paused", "Paused"),
                    ("archived", "Archived"),
                ],
                "Status",
            ),
            width=_filter_width("160px"),
        ),
        rx.box(
            native_select(
                [
                    rx.el.option("All tags", value=""),
                    rx.foreach(L.tags, lambda t: rx.el.option(t, value=t)),
                ],
                value=L.tag,
                on_change=lambda v: L.set_filter("tag", v),
                id_="filter-tag",
                aria_label="Tag",
            ),
            width=_filter_width("130px"),
        ),
        rx.box(
            native_select(
                [
                    rx.el.option("All folders", value=""),
                    rx.foreach(L.folders, lambda f: rx.el.option(f["label"], value=f["value"])),
                ],
                value=L.folder,
                on_change=lambda v: L.set_filter("folder", v),
                id_="filter-folder",
                aria_label="Folder",
            ),
            width=_filter_width("140px"),
        ),
        rx.box(
            _select(
                "sort",
                L.sort,
                [
                    ("newest", "Newest first"),
                    ("oldest", "Oldest first"),
                    ("name", "Name"),
                    ("scans", "Most scans"),
                    ("last_scan", "Latest scan"),
                ],
                "Sort",
            ),
            width=_filter_width("140px"),
        ),
        rx.cond(L.has_filters, rx.button("Clear", variant="ghost", on_click=L.clear_filters)),
        wrap="wrap",
        gap="2",
        align="center",
        width="100%",
    )


def _folders_popover() -> rx.Component:
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


def _not_tracked() -> rx.Component:
    return rx.text(
        "not tracked", size="1", color_scheme="gray", title="Static codes are not tracked"
    )


def _status_badge(r) -> rx.Component:
    return rx.match(
        r["status"],
        ("active", rx.badge("Active", color_scheme="green")),
        ("paused", rx.badge("Paused", color_scheme="amber")),
        rx.badge("Archived", color_scheme="gray"),
    )


def _thumb(r, px: str) -> rx.Component:
    return rx.link(
        rx.image(
            src=r["thumb"],
            width=px,
            height=px,
            min_width=px,
            loading="lazy",
            alt="",
            border_radius=RADIUS_SM,
            background="white",
        ),
        href=routes.code_page(r["id"]),
        aria_label="Open " + r["name"],
    )


def _card(r) -> rx.Component:
    """One code on a phone: thumbnail, name, status, scans and last scan in view."""
    return rx.card(
        rx.hstack(
            rx.checkbox(
                checked=L.selected.contains(r["id"]),
                on_change=lambda _: L.toggle(r["id"]),
                aria_label="Select " + r["name"],
            ),
            _thumb(r, "56px"),
            rx.vstack(
                rx.link(
                    r["name"],
                    href=routes.code_page(r["id"]),
                    weight="medium",
                    color=rx.color("gray", 12),
                    word_break="break-word",
                ),
                rx.text(r["type_label"], **MUTED_SM),
                rx.flex(
                    _status_badge(r),
                    rx.cond(
                        r["is_dynamic"],
                        rx.hstack(
                            rx.text(
                                r["scans"],
                                " scans",
                                size="2",
                                weight="medium",
                                class_name="card-scans",
                            ),
                            rx.text("last ", r["last_scan"], **MUTED_SM),
                            spacing="2",
                            align="baseline",
                        ),
                        _not_tracked(),
                    ),
                    gap="2",
                    align="center",
                    wrap="wrap",
                ),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            rx.cond(
                r["is_dynamic"],
                rx.icon_button(
                    rx.icon("copy", size=14),
                    size="2",
                    variant="ghost",
                    aria_label="Copy short link",
                    on_click=[
                        rx.set_clipboard(r["short_url"]),
                        rx.toast.success("Short link copied"),
                    ],
                ),
            ),
            align="center",
            spacing="3",
            width="100%",
        ),
        class_name="code-card",
        width="100%",
    )


def cards() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.checkbox(
                checked=L.all_selected,
                on_change=lambda _: L.toggle_all(),
                aria_label="Select all",
            ),
            rx.text("Select all", **MUTED_MD),
            align="center",
            padding_x="4px",
        ),
        rx.foreach(L.rows, _card),
        spacing="2",
        width="100%",
    )


def _row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=L.selected.contains(r["id"]),
                on_change=lambda _: L.toggle(r["id"]),
                aria_label="Select",
            ),
        ),
        rx.table.cell(_thumb(r, "48px")),
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
        rx.table.cell(_status_badge(r)),
        rx.table.cell(
            rx.cond(
                r["is_dynamic"],
                rx.text(r["scans"], weight="medium"),
                _not_tracked(),
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


def _search() -> rx.Component:
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        placeholder="Search name, link or destination",
        value=L.search,
        on_change=L.set_search,
        debounce_timeout=150,
        id="search",
        width=["100%", "100%", "340px"],
        size="3",
    )


def library() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            _search(),
            rx.spacer(),
            _folders_popover(),
            rx.cond(
                L.can_edit,
                rx.link(
                    rx.button(rx.icon("plus"), "New QR code", id="new-code"), href=routes.CODE_NEW
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
                            rx.button(rx.icon("plus"), "Create a QR code", size="3"),
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
