"""Settings -> Webhooks: the add form, an endpoint's card and its delivery log."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, empty_state, field_error
from qrapp.components.settings_page import (
    CODE_TEXT,
    checked_input,
    copy_button,
    enabled_badge,
    form_card,
    item_actions,
    item_header,
    item_list,
    summary_line,
)
from qrapp.components.styles import INSET_PANEL, MUTED_MD, RADIUS_SM
from qrapp.state.webhooks import DeliveryRow, EndpointRow, WebhooksState

S = WebhooksState


def _event_checkbox(choice: rx.Var) -> rx.Component:
    box_id = "event-" + choice[0].to(str)
    return rx.hstack(
        rx.el.input(type="checkbox", name=box_id, id=box_id, class_name="event-choice"),
        rx.el.label(choice[1], " ", rx.text.span("(", choice[0], ")", **MUTED_MD), html_for=box_id),
        align="center",
        spacing="2",
    )


def add_form() -> rx.Component:
    return form_card(
        "Add an endpoint",
        "We POST each event as JSON, signed as the Standard Webhooks specification "
        "describes (webhook-id, webhook-timestamp, webhook-signature).",
        checked_input(
            "Endpoint URL",
            "webhook-url",
            S.url_error,
            name="url",
            type="url",
            placeholder="https://example.com/hooks/qrapp",
        ),
        field_label("Description (optional)", "webhook-description"),
        rx.input(name="description", id="webhook-description", width="100%"),
        field_error(S.description_error, S.description_error != ""),
        rx.el.fieldset(
            rx.el.legend(rx.text("Events to send", size="2", weight="medium")),
            rx.vstack(rx.foreach(S.event_choices, _event_checkbox), spacing="1"),
            style={"border": "none", "padding": "0", "margin": "0"},
        ),
        field_error(S.events_error, S.events_error != ""),
        rx.button("Add endpoint", type="submit", id="add-endpoint"),
        on_submit=S.add_endpoint,
    )


def _secret(ep: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text("Signing secret", size="2", weight="medium"),
        rx.hstack(
            rx.text(ep["secret"], class_name="endpoint-secret", **CODE_TEXT),
            copy_button(ep["secret"], "Copy signing secret", "Secret copied"),
            align="center",
            spacing="2",
        ),
        rx.cond(
            ep["rotating_until"] != "",
            rx.text("The previous secret also signs until ", ep["rotating_until"], ".", **MUTED_MD),
        ),
        spacing="1",
        width="100%",
    )


def endpoint_card(ep: EndpointRow) -> rx.Component:
    row: rx.Var = ep  # type: ignore[assignment]
    return card(
        rx.vstack(
            item_header(row["url"], enabled_badge(row["enabled"])),
            rx.cond(row["description"] != "", rx.text(row["description"], **MUTED_MD)),
            rx.text("Events: ", row["events"], size="2"),
            rx.cond(
                row["disabled_reason"] != "",
                rx.text(row["disabled_reason"], color_scheme="red", size="2"),
            ),
            _secret(row),
            item_actions(
                rx.button(
                    "Delivery log",
                    variant="soft",
                    on_click=S.show_log(row["id"]),
                    class_name="show-log",
                ),
                rx.button(
                    "Rotate secret",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.rotate(row["id"]),
                    class_name="rotate-secret",
                ),
                rx.cond(
                    row["enabled"],
                    rx.button(
                        "Disable",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.set_enabled(row["id"], False),
                        class_name="disable-endpoint",
                    ),
                    rx.button(
                        "Enable",
                        variant="soft",
                        on_click=S.set_enabled(row["id"], True),
                        class_name="enable-endpoint",
                    ),
                ),
                rx.button(
                    "Delete",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.delete(row["id"]),
                    class_name="delete-endpoint",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        class_name="endpoint-card",
    )


def _details(summary: str, text: rx.Var) -> rx.Component:
    return rx.el.details(
        summary_line(summary),
        rx.el.pre(
            text,
            # It scrolls: focusable so a keyboard can scroll it (axe scrollable-region).
            tab_index=0,
            aria_label=summary,
            style={
                **INSET_PANEL,
                "border_radius": RADIUS_SM,
                "white_space": "pre-wrap",
                "word_break": "break-all",
                "font_size": "12px",
                "max_height": "240px",
                "overflow": "auto",
            },
        ),
    )


def _delivery_row(d: DeliveryRow) -> rx.Component:
    row: rx.Var = d  # type: ignore[assignment]
    return rx.table.row(
        rx.table.cell(rx.text(row["time"], size="2")),
        rx.table.cell(rx.text(row["event"], size="2")),
        rx.table.cell(rx.text(row["status"], size="2", class_name="delivery-status")),
        rx.table.cell(rx.text(row["code"], size="2", class_name="delivery-code")),
        rx.table.cell(rx.text(row["duration"], size="2")),
        rx.table.cell(rx.text(row["attempts"], size="2", class_name="delivery-attempts")),
        rx.table.cell(
            rx.vstack(
                _details("Request body", row["body"]),
                _details("Response (first 1 KB)", row["response"]),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.button(
                "Resend",
                size="1",
                variant="soft",
                on_click=S.resend(row["id"]),
                class_name="resend-delivery",
                aria_label="Resend " + row["event"] + " message " + row["msg_id"],
            )
        ),
        class_name="delivery-row",
    )


def delivery_log() -> rx.Component:
    return rx.cond(
        S.log_endpoint_id != "",
        card(
            rx.vstack(
                rx.hstack(
                    rx.heading("Delivery log", size="4", as_="h2", id="delivery-log"),
                    rx.button(
                        "Refresh",
                        variant="soft",
                        size="1",
                        on_click=S.refresh_log,
                        id="refresh-log",
                    ),
                    justify="between",
                    width="100%",
                ),
                rx.text(S.log_endpoint_url, **MUTED_MD),
                rx.cond(
                    S.deliveries.length() > 0,
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                *[
                                    rx.table.column_header_cell(h)
                                    for h in (
                                        "Time",
                                        "Event",
                                        "Status",
                                        "Answer",
                                        "Duration",
                                        "Attempts",
                                        "Request and response",
                                        "Action",
                                    )
                                ]
                            )
                        ),
                        rx.table.body(rx.foreach(S.deliveries, _delivery_row)),
                        width="100%",
                    ),
                    rx.text(
                        "Nothing sent yet. Messages appear here when a subscribed event happens.",
                        **MUTED_MD,
                        id="no-deliveries",
                    ),
                ),
                spacing="3",
                width="100%",
            )
        ),
    )


def endpoint_list() -> rx.Component:
    return item_list(
        S.endpoints,
        endpoint_card,
        empty_state(
            "webhook",
            "No webhook endpoints yet",
            "Add your server's https URL below and choose the events to send, for example "
            "code.created. Every delivery is signed with the endpoint's secret.",
        ),
    )
