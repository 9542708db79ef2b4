"""Where a scan goes (dynamic codes), what a static code holds, and UTM tags."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.page_destination import code_page_picker
from qrapp.components.panels import card
from qrapp.components.styles import MUTED_SM
from qrapp.state.code_detail import CodeDetailState as C


def destination_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Destination", size="4", as_="h3", id="destination-heading"),
            rx.text(
                "Where a scan of this code goes. Changes apply to the next scan.",
                size="2",
                color_scheme="gray",
            ),
            rx.hstack(
                rx.input(
                    value=C.new_destination,
                    on_change=C.set_new_destination,
                    id="new-destination",
                    width="100%",
                    disabled=~C.can_edit,
                    # the card's visible heading names the field
                    aria_labelledby="destination-heading",
                    aria_invalid=rx.cond(C.destination_error != "", "true", "false"),
                    aria_describedby="destination-error",
                ),
                rx.cond(
                    C.can_edit,
                    rx.button(
                        "Save",
                        on_click=C.save_destination,
                        id="save-destination",
                        aria_label="Save destination",
                    ),
                ),
                width="100%",
            ),
            rx.cond(
                C.destination_error != "",
                rx.text(
                    C.destination_error,
                    color_scheme="red",
                    size="2",
                    role="alert",
                    id="destination-error",
                ),
            ),
            rx.cond(
                C.destination_notice != "",
                rx.hstack(
                    rx.icon("circle-check", size=16, color=rx.color("green", 11)),
                    rx.text(C.destination_notice, size="2"),
                    align="center",
                    role="status",
                    id="destination-saved",
                    tab_index=-1,
                    border_radius="4px",
                ),
            ),
            code_page_picker(C.can_edit),
            spacing="2",
            width="100%",
        )
    )


# --- static content and UTM (issue 16 item 14) ----------------------------------------


def _content_rows() -> rx.Component:
    return rx.data_list.root(
        rx.foreach(
            C.content_rows,
            lambda row: rx.data_list.item(
                rx.data_list.label(row["label"]),
                rx.data_list.value(
                    rx.text(row["value"], white_space="pre-wrap", word_break="break-word")
                ),
            ),
        ),
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        size="2",
        width="100%",
        id="code-content",
    )


def static_content_card() -> rx.Component:
    """What a static code holds, and why it has no scans, pause or destination."""
    return card(
        rx.vstack(
            rx.heading("Content", size="4", as_="h3"),
            rx.callout.root(
                rx.callout.icon(rx.icon("info")),
                rx.callout.text(
                    "Static code: its content is in the picture; scans are not tracked and "
                    "it can't be paused or edited after printing.",
                    id="static-notice",
                ),
                color_scheme="gray",
                size="1",
                width="100%",
            ),
            _content_rows(),
            rx.cond(
                C.encoded_text != "",
                rx.vstack(
                    rx.text("Exactly what the code encodes", **MUTED_SM),
                    rx.code(
                        C.encoded_text,
                        white_space="pre-wrap",
                        word_break="break-all",
                        width="100%",
                        id="encoded-text",
                    ),
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.text(
                "To change it, edit the code and print the new version. A dynamic code "
                "can be re-pointed after printing and counts its scans.",
                size="2",
                color_scheme="gray",
            ),
            spacing="3",
            width="100%",
        )
    )


UTM_FIELDS = [
    ("utm_source", "Source", "e.g. poster"),
    ("utm_medium", "Medium", "e.g. qr"),
    ("utm_campaign", "Campaign", "e.g. summer-sale"),
    ("utm_term", "Term", "optional"),
    ("utm_content", "Content", "optional"),
]


def _utm_field(key: str, label: str, placeholder: str) -> rx.Component:
    return rx.vstack(
        field_label(label, key),
        rx.input(
            id=key,
            value=C.utm[key],
            on_change=lambda v: C.set_utm_field(key, v),
            placeholder=placeholder,
            disabled=~C.can_edit,
            max_length=250,
            width="100%",
        ),
        rx.cond(
            C.utm_errors.contains(key),
            rx.text(C.utm_errors[key], color_scheme="red", size="1", role="alert"),
        ),
        spacing="1",
        width="100%",
    )


def utm_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("UTM parameters", size="4", as_="h3"),
            rx.text(
                "Added to the destination on every scan, so your web analytics can tell "
                "which printed code brought a visitor. Parameters the destination already "
                "has are kept as they are.",
                size="2",
                color_scheme="gray",
            ),
            rx.grid(
                *[_utm_field(*f) for f in UTM_FIELDS],
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.vstack(
                rx.text("A scan goes to", **MUTED_SM),
                rx.code(C.utm_preview, word_break="break-all", width="100%", id="utm-preview"),
                spacing="1",
                width="100%",
            ),
            rx.cond(
                C.can_edit,
                rx.button("Save UTM parameters", on_click=C.save_utm, id="save-utm"),
            ),
            spacing="3",
            width="100%",
        )
    )
