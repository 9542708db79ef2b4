"""Form controls of the builder, drawn from the FieldView list the state generates from a
block type's props model (or the page settings). Each input has a <label for> with its id.

`on_set(key, value)` and `on_item(key, index, sub, value)` are the state's handlers; the
same controls serve a block's props ("prop-" ids) and the page settings ("setting-" ids).
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import native_select
from qrapp.components.styles import MUTED_SM, RADIUS_MD
from qrapp.state.page_builder import BuilderState as S

TEXT_DEBOUNCE_MS = 300


def _label(text, html_for) -> rx.Component:
    return rx.el.label(
        rx.text(text, size="2", weight="medium", as_="span"),
        html_for=html_for,
    )


def _options(options) -> rx.Component:
    return rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"]))


def _control(kind, id_, value, options, on_value: Callable, read_only) -> rx.Component:
    """One input for a field kind; `on_value(v)` builds the event for a new value."""
    text = rx.input(
        value=value,
        on_change=on_value,
        debounce_timeout=TEXT_DEBOUNCE_MS,
        id=id_,
        width="100%",
        read_only=read_only,
    )
    return rx.match(
        kind,
        (
            "textarea",
            rx.text_area(
                value=value,
                on_change=on_value,
                debounce_timeout=TEXT_DEBOUNCE_MS,
                id=id_,
                width="100%",
                rows="4",
                read_only=read_only,
            ),
        ),
        (
            "url",
            rx.input(
                value=value,
                on_change=on_value,
                debounce_timeout=TEXT_DEBOUNCE_MS,
                id=id_,
                type="url",
                placeholder="https://",
                width="100%",
                read_only=read_only,
            ),
        ),
        (
            "select",
            native_select(
                _options(options), value=value, on_change=on_value, id_=id_, disabled=read_only
            ),
        ),
        (
            "bool",
            rx.checkbox(checked=value == "true", on_change=on_value, id=id_, disabled=read_only),
        ),
        (
            "colour",
            rx.hstack(
                rx.el.input(
                    type="color",
                    value=rx.cond(value == "", "#000000", value),
                    on_change=on_value,
                    id=id_,
                    disabled=read_only,
                    style={"width": "40px", "height": "32px", "border": "none", "padding": "0"},
                ),
                rx.text(value, **MUTED_SM, font_family="monospace"),
                align="center",
            ),
        ),
        (
            "number",
            rx.input(
                value=value,
                on_change=on_value,
                debounce_timeout=TEXT_DEBOUNCE_MS,
                id=id_,
                type="number",
                step="any",
                width="100%",
                read_only=read_only,
            ),
        ),
        (
            "asset",
            native_select(
                _options(options), value=value, on_change=on_value, id_=id_, disabled=read_only
            ),
        ),
        (
            "money",
            rx.input(
                value=value,
                on_change=on_value,
                debounce_timeout=TEXT_DEBOUNCE_MS,
                id=id_,
                input_mode="decimal",
                placeholder="0.00",
                width="100%",
                read_only=read_only,
            ),
        ),
        (
            "date",
            rx.input(
                value=value,
                on_change=on_value,
                id=id_,
                type="date",
                width="100%",
                read_only=read_only,
            ),
        ),
        (
            "datetime",
            rx.input(
                value=value,
                on_change=on_value,
                id=id_,
                type="datetime-local",
                width="100%",
                read_only=read_only,
            ),
        ),
        text,
    )


def _asset_upload(target, asset_kind, read_only) -> rx.Component:
    """A file input beside an asset picker: the chosen file goes to the media upload route
    and, once stored, becomes the field's value (state.start_upload)."""
    id_ = "upload-" + target.replace("|", "-")
    return rx.cond(
        read_only,
        rx.fragment(),
        rx.vstack(
            field_label(
                rx.match(
                    asset_kind,
                    ("image", "Or upload an image (JPEG, PNG, WebP)"),
                    ("video", "Or upload a video (MP4)"),
                    ("audio", "Or upload an audio file (MP3)"),
                    "Or upload a file (PDF and others)",
                ),
                html_for=id_,
                size="1",
            ),
            rx.el.input(
                type="file",
                id=id_,
                accept=rx.match(
                    asset_kind,
                    ("image", "image/jpeg,image/png,image/webp,image/gif"),
                    ("video", "video/mp4"),
                    ("audio", "audio/mpeg,.mp3"),
                    "",
                ),
                on_change=lambda _value: S.start_upload(target),
                disabled=S.uploading != "",
                font_size="var(--font-size-1)",
            ),
            rx.cond(
                S.uploading == target,
                rx.text("Uploading…", **MUTED_SM, role="status"),
            ),
            spacing="1",
            width="100%",
        ),
    )


def _items(field, on_item, on_add, on_remove, read_only) -> rx.Component:
    key = field["key"]

    def item_box(item) -> rx.Component:
        index = item["index"]
        prefix = "item-" + key + "-" + index.to_string() + "-"
        return rx.box(
            rx.vstack(
                rx.foreach(
                    item["fields"],
                    lambda sub: rx.vstack(
                        _label(sub["label"], prefix + sub["key"]),
                        _control(
                            sub["kind"],
                            prefix + sub["key"],
                            sub["value"],
                            sub["options"],
                            lambda v, sub=sub: on_item(key, index, sub["key"], v),
                            read_only,
                        ),
                        rx.cond(sub["hint"] != "", rx.text(sub["hint"], **MUTED_SM)),
                        rx.cond(
                            sub["kind"] == "asset",
                            _asset_upload(
                                key + "|" + index.to_string() + "|" + sub["key"],
                                sub["asset"],
                                read_only,
                            ),
                        ),
                        spacing="1",
                        width="100%",
                    ),
                ),
                rx.cond(
                    read_only,
                    rx.fragment(),
                    rx.button(
                        rx.icon("trash-2", size=14),
                        "Remove",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=on_remove(key, index),
                        aria_label="Remove item "
                        + (index + 1).to_string()
                        + " from "
                        + field["label"],
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            role="group",
            aria_label=field["label"] + ", item " + (index + 1).to_string(),
            padding="10px",
            border=f"1px solid {rx.color('gray', 5)}",
            border_radius=RADIUS_MD,
            width="100%",
        )

    return rx.vstack(
        rx.text(field["label"], size="2", weight="medium"),
        rx.foreach(field["items"], item_box),
        rx.cond(
            read_only,
            rx.fragment(),
            rx.button(
                rx.icon("plus", size=14),
                "Add",
                size="1",
                variant="soft",
                on_click=on_add(key),
                id="add-item-" + key,
                aria_label="Add to " + field["label"],
            ),
        ),
        spacing="2",
        width="100%",
    )


def field_form(fields, prefix: str, on_set, on_item=None, on_add=None, on_remove=None):
    """The labelled controls of `fields` (a FieldView list var)."""
    read_only = ~S.can_edit

    def one(field) -> rx.Component:
        id_ = prefix + field["key"]
        single = rx.vstack(
            _label(field["label"], id_),
            _control(
                field["kind"],
                id_,
                field["value"],
                field["options"],
                lambda v: on_set(field["key"], v),
                read_only,
            ),
            rx.cond(field["hint"] != "", rx.text(field["hint"], **MUTED_SM)),
            rx.cond(
                field["kind"] == "asset",
                _asset_upload(field["key"], field["asset"], read_only),
            ),
            spacing="1",
            width="100%",
        )
        if on_item is None:
            return single
        return rx.cond(
            field["kind"] == "items",
            _items(field, on_item, on_add, on_remove, read_only),
            single,
        )

    return rx.vstack(rx.foreach(fields, one), spacing="3", width="100%")
