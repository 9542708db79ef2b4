"""Settings -> Webhooks: the add form, an endpoint's card and its delivery log."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, empty_state, field_error
from qrapp.components.styles import INSET_PANEL, MUTED_MD, RADIUS_SM
from qrapp.state.webhooks import DeliveryRow, EndpointRow, WebhooksState

S = WebhooksState
_CODE = {"font_family": "monospace", "size": "2", "word_break": "break-all"}


def _event_checkbox(choice: rx.Var) -> rx.Component:
    box_id = "event-" + choice[0].to(str)
    return rx.hstack(
        rx.el.input(type="checkbox", name=box_id, id=box_id, class_name="event-choice"),
        rx.el.label(choice[1], " ", rx.text.span("(", choice[0], ")", **MUTED_MD), html_for=box_id),
        align="center",
        spacing="2",
    )


def add_form() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.heading("Add an endpoint", size="4", as_="h2"),
                rx.text(
                    "We POST each event as JSON, signed as the Standard Webhooks "
                    "specification describes (webhook-id, webhook-timestamp, "
                    "webhook-signature).",
                    **MUTED_MD,
                ),
                field_label("Endpoint URL", "webhook-url"),
                rx.input(
                    name="url",
                    id="webhook-url",
                    type="url",
                    placeholder="https://example.com/hooks/qrapp",
                    width="100%",
                    aria_invalid=rx.cond(S.url_error, "true", "false"),
                    aria_describedby="webhook-url-error",
                ),
                rx.box(field_error(S.url_error, S.url_error != ""), id="webhook-url-error"),
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
                spacing="3",
                width="100%",
                max_width="560px",
            ),
            on_submit=S.add_endpoint,
            reset_on_submit=False,
        )
    )


def _secret(ep: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text("Signing secret", size="2", weight="medium"),
        rx.hstack(
            rx.text(ep["secret"], class_name="endpoint-secret", **_CODE),
            rx.icon_button(
                rx.icon("copy", size=14),
                size="1",
                variant="soft",
                aria_label="Copy signing secret",
                on_click=[rx.set_clipboard(ep["secret"]), rx.toast.success("Secret copied")],
            ),
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
            rx.hstack(
                rx.heading(row["url"], size="3", as_="h3", **{"word_break": "break-all"}),
                rx.cond(
                    row["enabled"],
                    rx.badge("Enabled", color_scheme="green", high_contrast=True),
                    rx.badge("Disabled", color_scheme="red", high_contrast=True),
                ),
                justify="between",
                width="100%",
                align="center",
            ),
            rx.cond(row["description"] != "", rx.text(row["description"], **MUTED_MD)),
            rx.text("Events: ", row["events"], size="2"),
            rx.cond(
                row["disabled_reason"] != "",
                rx.text(row["disabled_reason"], color_scheme="red", size="2"),
            ),
            _secret(row),
            rx.hstack(
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
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        class_name="endpoint-card",
    )


def _details(summary: str, text: rx.Var) -> rx.Component:
    return rx.el.details(
        rx.el.summary(summary, style={"cursor": "pointer", "font_size": "14px"}),
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
    return rx.cond(
        S.endpoints.length() > 0,
        rx.vstack(rx.foreach(S.endpoints, endpoint_card), spacing="3", width="100%"),
        empty_state(
            "webhook",
            "No webhook endpoints yet",
            "Add your server's https URL below and choose the events to send, for example "
            "code.created. Every delivery is signed with the endpoint's secret.",
        ),
    )
