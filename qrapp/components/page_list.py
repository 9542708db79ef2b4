"""The landing-page list: a table of pages, the "New page" dialog (blank, a starter or a
workspace template) and the delete confirmation."""

from __future__ import annotations

import reflex as rx

from qrapp.components.dialogs import dialog_actions, form_error
from qrapp.components.panels import confirm_delete_dialog, empty_state
from qrapp.components.plan_limit import plan_limit_callout
from qrapp.components.styles import MUTED_SM, RADIUS_MD
from qrapp.core import routes
from qrapp.state.page_list import PageListState as S

_STATUS_COLOURS = {"published": "green", "unpublished": "gray", "draft": "amber"}


def _status(row) -> rx.Component:
    return rx.match(
        row["status"],
        *[
            (key, rx.badge(row["status_label"], color_scheme=colour, variant="soft"))
            for key, colour in _STATUS_COLOURS.items()
        ],
        rx.badge(row["status_label"], variant="soft"),
    )


def _row(row) -> rx.Component:
    actions = rx.hstack(
        rx.button(
            "Duplicate",
            size="1",
            variant="soft",
            color_scheme="gray",
            on_click=S.duplicate(row["id"]),
            aria_label="Duplicate " + row["name"],
        ),
        rx.button(
            "Delete",
            size="1",
            variant="soft",
            color_scheme="red",
            on_click=S.ask_delete(row["id"]),
            aria_label="Delete " + row["name"],
        ),
        spacing="2",
    )
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(row["name"], href=row["href"], weight="medium"),
                rx.text(routes.PUBLIC_PAGE_PREFIX + row["slug"], **MUTED_SM),
                spacing="0",
            )
        ),
        rx.table.cell(_status(row)),
        rx.table.cell(row["views"]),
        rx.table.cell(rx.cond(row["published"] != "", row["published"], "Never")),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Open",
                    size="1",
                    variant="soft",
                    on_click=rx.redirect(row["href"]),
                    aria_label="Open " + row["name"],
                ),
                rx.cond(S.can_edit, actions),
                spacing="2",
            )
        ),
        class_name="page-row",
    )


def _table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Page"),
                rx.table.column_header_cell("Status"),
                rx.table.column_header_cell("Views"),
                rx.table.column_header_cell("Last published"),
                rx.table.column_header_cell("Actions"),
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        width="100%",
        id="page-table",
    )


def _choice(c) -> rx.Component:
    chosen = S.new_choice == c["value"]
    return rx.el.label(
        rx.el.input(
            type="radio",
            name="start",
            value=c["value"],
            checked=chosen,
            on_change=lambda _v: S.choose(c["value"]),
            style={"margin_top": "3px"},
        ),
        rx.vstack(
            rx.text(c["name"], size="2", weight="bold"),
            rx.text(c["description"], **MUTED_SM),
            spacing="0",
        ),
        class_name="start-choice",
        custom_attrs={"data-choice": c["value"]},
        style={
            "display": "flex",
            "gap": "8px",
            "align_items": "start",
            "padding": "10px",
            "border_radius": RADIUS_MD,
            "cursor": "pointer",
        },
        border=rx.cond(
            chosen, f"2px solid {rx.color('accent', 9)}", f"1px solid {rx.color('gray', 6)}"
        ),
    )


def new_page_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("New landing page"),
            rx.dialog.description(
                "Start blank or from a template; you can change everything.", size="2"
            ),
            rx.form(
                rx.vstack(
                    rx.el.label(
                        rx.text("Name", size="2", weight="medium"), html_for="new-page-name"
                    ),
                    rx.input(
                        name="name",
                        id="new-page-name",
                        required=True,
                        width="100%",
                        placeholder="e.g. Spring menu",
                        max_length=120,
                    ),
                    rx.el.fieldset(
                        rx.el.legend(rx.text("Start from", size="2", weight="medium")),
                        rx.grid(
                            rx.foreach(S.choices, _choice), columns="2", spacing="2", width="100%"
                        ),
                        style={"border": "none", "padding": "0", "margin": "0"},
                    ),
                    form_error(S.new_error, id="new-page-error"),
                    dialog_actions("Create page", submit_id="create-page"),
                    spacing="3",
                    margin_top="12px",
                ),
                on_submit=S.create,
            ),
            max_width="640px",
        ),
        open=S.new_open,
        on_open_change=S.set_new_open,
    )


def delete_dialog() -> rx.Component:
    return confirm_delete_dialog(
        "Delete this page?",
        "“" + S.delete_name + "” and all its versions are deleted, and its public "
        "address stops working. This cannot be undone.",
        "Delete page",
        on_confirm=S.delete,
        open=S.delete_id != "",
        on_open_change=S.cancel_delete,
    )


def page_list() -> rx.Component:
    new_button = rx.button(
        rx.icon("plus", size=16), "New page", on_click=S.set_new_open(True), id="new-page"
    )
    return rx.vstack(
        rx.hstack(
            rx.text(
                "Mobile pages for your codes: build, preview and publish them here.",
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.cond(S.can_edit, new_button),
            width="100%",
            align="center",
        ),
        plan_limit_callout(S.plan_limit, "pages-plan-limit"),
        rx.cond(
            S.loaded & (S.rows.length() == 0),
            empty_state(
                "layout-template",
                "No landing pages yet",
                rx.cond(
                    S.can_edit,
                    "Press New page and start from a template (link in bio, menu, business "
                    "card, event…) or a blank page. Publish it, then point a code at it.",
                    "Nobody in this workspace has built a page yet.",
                ),
            ),
            rx.cond(S.rows.length() > 0, _table()),
        ),
        new_page_dialog(),
        delete_dialog(),
        spacing="4",
        width="100%",
    )
