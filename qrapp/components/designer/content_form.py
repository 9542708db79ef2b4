"""The code's content (a dynamic code's destination or a static type's fields) and its
name, short link and tags."""

from __future__ import annotations

import reflex as rx

from qrapp.components.designer.content_upload import content_file_field
from qrapp.components.designer.controls import field_error, field_label, text_field
from qrapp.components.page_destination import designer_page_picker
from qrapp.components.panels import native_select
from qrapp.components.styles import MUTED_SM
from qrapp.state.designer import DesignerState as S


def _field(f) -> rx.Component:
    name = f["name"]
    key = "f." + name  # content errors live apart from the code's own Name
    value = S.values[name]
    leave = S.leave_field(key)
    # The props of the typed controls (one line or several): debounced, checked on leave.
    typed = {
        "value": value,
        "on_change": lambda v: S.set_value(name, v),
        "on_blur": leave,
        "debounce_timeout": 300,
        "id": "f-" + name,
        "width": "100%",
    }
    control = rx.match(
        f["kind"],
        ("file", content_file_field(f)),
        (
            "bool",
            rx.hstack(
                rx.switch(
                    checked=value == "true",
                    on_change=lambda v: S.set_value(name, v),
                    id="f-" + name,
                ),
                field_label(f["label"], "f-" + name),
                align="center",
            ),
        ),
        (
            "choice",
            native_select(
                rx.foreach(
                    f["choices"],
                    lambda c: rx.el.option(rx.cond(c == "", "(none)", c), value=c),
                ),
                value=value,
                on_change=lambda v: S.set_value(name, v),
                on_blur=leave,
                id_="f-" + name,
            ),
        ),
        (
            "multiline",
            rx.text_area(**typed, rows="3"),
        ),
        rx.input(
            **typed,
            type=rx.match(
                f["kind"],
                ("password", "password"),
                ("datetime", "datetime-local"),
                ("date", "date"),
                ("email", "email"),
                ("url", "url"),
                ("phone", "tel"),
                "text",
            ),
        ),
    )
    return rx.vstack(
        rx.cond(
            (f["kind"] != "bool") & (f["kind"] != "file"), field_label(f["label"], "f-" + name)
        ),
        control,
        rx.cond((f["help"] != "") & (f["kind"] != "file"), rx.text(f["help"], **MUTED_SM)),
        field_error(key),
        spacing="1",
        width="100%",
    )


def content_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Content", size="4", as_="h3"),
                rx.badge(S.type_label, variant="soft"),
                rx.cond(
                    S.is_dynamic, rx.badge("Dynamic", color_scheme="green", high_contrast=True)
                ),
                align="center",
            ),
            rx.cond(
                S.is_content,
                rx.text(
                    "Saving makes the code and publishes its page. Add sections, pictures "
                    "and more in the page builder afterwards.",
                    **MUTED_SM,
                ),
            ),
            rx.cond(
                S.is_dynamic & ~S.is_content,
                rx.vstack(
                    field_label("Destination URL", "destination"),
                    rx.input(
                        value=S.destination,
                        on_change=S.set_destination,
                        on_blur=S.leave_field("destination"),
                        debounce_timeout=300,
                        placeholder="https://example.com/menu",
                        id="destination",
                        width="100%",
                        disabled=S.mode == "edit",
                    ),
                    rx.cond(
                        S.mode == "edit",
                        rx.text("Change the destination on the code's page.", **MUTED_SM),
                        rx.text(
                            "People who scan are sent here. You can change it any time.",
                            **MUTED_SM,
                        ),
                    ),
                    field_error("destination"),
                    rx.cond(
                        S.mode == "new",
                        designer_page_picker(
                            S.landing_page_id, S.set_landing_page, field_error("landing_page")
                        ),
                    ),
                    spacing="1",
                    width="100%",
                ),
                rx.vstack(
                    rx.foreach(S.field_specs, _field),
                    field_error("content"),
                    spacing="3",
                    width="100%",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _domain_select() -> rx.Component:
    """The short link's domain: ours or one of the workspace's verified domains (shown
    only when there is one)."""
    return rx.cond(
        S.domain_choices.length() > 0,
        rx.vstack(
            field_label("Short link domain", "code-domain"),
            native_select(
                [
                    rx.el.option("Our domain", value=""),
                    rx.foreach(S.domain_choices, lambda d: rx.el.option(d, value=d)),
                ],
                value=S.domain,
                on_change=S.set_domain,
                id_="code-domain",
            ),
            spacing="1",
            width="100%",
        ),
    )


def settings_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Name and labels", size="4", as_="h3"),
            *text_field(
                "Name",
                "code-name",
                S.name,
                S.set_name,
                "e.g. Table menu, spring poster",
                error="name",
                debounce=200,
            ),
            rx.cond(
                S.is_dynamic & ~S.is_content & (S.mode == "new"),
                rx.vstack(
                    _domain_select(),
                    *text_field(
                        "Custom short link (optional)", "alias", S.alias, S.set_alias, "spring-sale"
                    ),
                    spacing="1",
                    width="100%",
                ),
            ),
            *text_field(
                "Tags, separated by commas", "tags", S.tags_text, S.set_tags_text, "menu, summer"
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )
