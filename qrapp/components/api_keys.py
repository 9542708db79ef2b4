"""Pieces of Settings -> API keys: the key table, the create form, the token shown once,
and the usage chart with its table."""

from __future__ import annotations

import reflex as rx

from qrapp.components.dialogs import dialog_actions, form_error
from qrapp.components.fields import field_label
from qrapp.components.settings_page import section_card
from qrapp.components.styles import MUTED_MD, MUTED_SM, VISUALLY_HIDDEN
from qrapp.state.api_keys import ApiKeysState

_STATUS_COLOURS = {"active": "green", "expired": "amber", "revoked": "gray"}


def _status(status) -> rx.Component:
    return rx.match(
        status,
        *[
            (s, rx.badge(s.capitalize(), color_scheme=c, variant="soft", high_contrast=True))
            for s, c in _STATUS_COLOURS.items()
        ],
        rx.badge(status),
    )


def _key_row(k) -> rx.Component:
    active = k["status"] == "active"
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(k["name"], weight="medium", size="2"),
                rx.code(k["prefix"], size="1", variant="ghost"),
                spacing="1",
            )
        ),
        rx.table.cell(rx.text(k["scopes"], size="2")),
        rx.table.cell(rx.text(k["created"], size="2")),
        rx.table.cell(rx.text(k["last_used"], size="2")),
        rx.table.cell(rx.text(k["expires"], size="2")),
        rx.table.cell(_status(k["status"])),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Usage",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=ApiKeysState.show_usage(k["id"]),
                    aria_label="Usage of " + k["name"],
                ),
                rx.cond(
                    active,
                    rx.button(
                        "Rotate",
                        size="1",
                        variant="soft",
                        on_click=ApiKeysState.rotate(k["id"]),
                        aria_label="Rotate " + k["name"],
                    ),
                ),
                rx.cond(
                    k["status"] != "revoked",
                    rx.button(
                        "Revoke",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=ApiKeysState.ask_revoke(k["id"]),
                        aria_label="Revoke " + k["name"],
                    ),
                ),
                spacing="2",
                justify="end",
            )
        ),
        class_name="api-key-row",
    )


def key_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(h)
                    for h in ("Name", "Scopes", "Created", "Last used", "Expires", "Status")
                ],
                rx.table.column_header_cell(rx.el.span("Actions", style=VISUALLY_HIDDEN)),
            )
        ),
        rx.table.body(rx.foreach(ApiKeysState.keys, _key_row)),
        width="100%",
        variant="surface",
        id="api-keys",
    )


def _scope_checkbox(option) -> rx.Component:
    box_id = "scope-" + option["value"].replace(":", "-")
    return rx.hstack(
        rx.el.input(
            type="checkbox",
            name="scope-" + option["value"],
            id=box_id,
            width="16px",
            height="16px",
        ),
        rx.el.label(
            rx.text(option["value"], weight="medium", size="2", as_="span"),
            rx.text(" · ", option["label"], size="2", as_="span", color_scheme="gray"),
            html_for=box_id,
        ),
        align="center",
        spacing="2",
    )


def create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Create an API key", custom_attrs={"as": "h2"}),
            rx.dialog.description(
                rx.text(
                    "The key acts for this workspace with the scopes you choose.",
                    as_="span",
                    **MUTED_MD,
                )
            ),
            rx.form(
                rx.vstack(
                    field_label("Name", "key-name"),
                    rx.input(
                        name="name",
                        id="key-name",
                        placeholder="e.g. Shop integration",
                        required=True,
                        max_length=80,
                        width="100%",
                    ),
                    rx.el.fieldset(
                        rx.el.legend(
                            "Scopes",
                            font_size="var(--font-size-2)",
                            font_weight="var(--font-weight-medium)",
                            margin_bottom="6px",
                        ),
                        rx.vstack(rx.foreach(ApiKeysState.scope_options, _scope_checkbox)),
                        border="none",
                        padding="0",
                        margin="0",
                    ),
                    field_label("Expires on (optional)", "key-expires"),
                    rx.input(name="expires", id="key-expires", type="date", width="200px"),
                    rx.text("Without a date the key works until you revoke it.", **MUTED_SM),
                    form_error(ApiKeysState.error, id="key-error"),
                    dialog_actions("Create key", submit_id="create-key-submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=ApiKeysState.create,
            ),
            max_width="520px",
        ),
        open=ApiKeysState.create_open,
        on_open_change=ApiKeysState.open_create,
    )


def token_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Copy your API key now", custom_attrs={"as": "h2"}),
            rx.dialog.description(ApiKeysState.new_token_note),
            rx.vstack(
                rx.callout.root(
                    rx.callout.icon(rx.icon("triangle-alert")),
                    rx.callout.text(
                        "You will not see this key again. Store it somewhere safe, such as "
                        "your integration's secret settings."
                    ),
                    color_scheme="amber",
                    high_contrast=True,
                    width="100%",
                ),
                field_label("Your new API key", "new-api-key"),
                rx.hstack(
                    rx.input(
                        value=ApiKeysState.new_token,
                        read_only=True,
                        id="new-api-key",
                        font_family="monospace",
                        width="100%",
                    ),
                    rx.button(
                        rx.icon("copy", size=14),
                        "Copy",
                        on_click=[
                            rx.set_clipboard(ApiKeysState.new_token),
                            rx.toast.success("Copied."),
                        ],
                        id="copy-api-key",
                        type="button",
                    ),
                    width="100%",
                ),
                rx.hstack(
                    rx.dialog.close(rx.button("I have stored it", id="token-done")),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="560px",
        ),
        open=ApiKeysState.token_open,
        on_open_change=ApiKeysState.dismiss_token,
    )


def _bar(d) -> rx.Component:
    return rx.vstack(
        rx.box(height=d["err_pct"], background=rx.color("red", 9), width="100%"),
        rx.box(height=d["ok_pct"], background=rx.color("accent", 9), width="100%"),
        justify="end",
        spacing="0",
        height="100%",
        flex="1",
        min_width="4px",
        title=d["day"]
        + ": "
        + d["requests"].to_string()
        + " requests, "
        + d["errors"].to_string()
        + " errors",
    )


def usage_panel() -> rx.Component:
    return rx.cond(
        ApiKeysState.usage_key != "",
        section_card(
            rx.heading("Usage of ", ApiKeysState.usage_name, size="4", as_="h2"),
            rx.text(ApiKeysState.usage_total, **MUTED_MD, id="usage-total"),
            # The bars are a picture of the table below, which screen readers read.
            rx.hstack(
                rx.foreach(ApiKeysState.usage_days, _bar),
                align="end",
                spacing="1",
                height="120px",
                width="100%",
                border_bottom=f"1px solid {rx.color('gray', 7)}",
                aria_hidden="true",
            ),
            rx.hstack(
                rx.hstack(
                    rx.box(width="12px", height="12px", background=rx.color("accent", 9)),
                    rx.text("Requests answered", size="1"),
                    align="center",
                    spacing="1",
                ),
                rx.hstack(
                    rx.box(width="12px", height="12px", background=rx.color("red", 9)),
                    rx.text("Errors (4xx and 5xx)", size="1"),
                    align="center",
                    spacing="1",
                ),
                spacing="4",
            ),
            rx.el.details(
                rx.el.summary("Show as a table", cursor="pointer"),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Day (UTC)"),
                            rx.table.column_header_cell("Requests"),
                            rx.table.column_header_cell("Errors"),
                        )
                    ),
                    rx.table.body(
                        rx.foreach(
                            ApiKeysState.usage_days,
                            lambda d: rx.table.row(
                                rx.table.row_header_cell(d["day"]),
                                rx.table.cell(d["requests"]),
                                rx.table.cell(d["errors"]),
                            ),
                        )
                    ),
                    size="1",
                    width="100%",
                ),
                width="100%",
            ),
            action=rx.button(
                "Close",
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=ApiKeysState.hide_usage,
            ),
            id="key-usage",
        ),
    )


def intro() -> rx.Component:
    return rx.text(
        "API keys let your own systems (a shop, a CRM, a print workflow) create codes and "
        "read scans through the REST API. ",
        rx.link("Read the API reference", href=ApiKeysState.docs_url, is_external=True),
        ".",
        **MUTED_MD,
    )
