"""The designer's small controls: labels, inline errors, colour boxes, segmented buttons,
picture choices and sliders, each wired to the designer's state by a field key."""

from __future__ import annotations

import reflex as rx

from qrapp.components import fields
from qrapp.core.render.design_form import SLIDERS
from qrapp.state.designer import DesignerState as S
from qrapp.state.designer_shapes import ShapeChoice

# Visually hidden but read by screen readers and reachable by keyboard.
_SR_ONLY = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0 0 0 0)",
    "white_space": "nowrap",
    "border": "0",
    "padding": "0",
}


def responsive(narrow: str, wide: str):
    """`narrow` below 62em (phones, tablets, narrow windows: one column), else `wide`."""
    return rx.breakpoints(initial=narrow, lg=wide)


def field_label(text, html_for=None) -> rx.Component:
    """A field's label: a real <label for=...> tied to its control (components.fields), or
    plain text over a group that names itself (radio groups, toggle groups)."""
    if html_for is None:
        return rx.text(text, size="2", weight="medium")
    return fields.field_label(text, html_for)


def field_error(name) -> rx.Component:
    return rx.cond(
        S.errors.contains(name),
        rx.text(
            S.errors[name],
            color_scheme="red",
            size="1",
            role="alert",
            class_name="error",
            custom_attrs={"data-field": name},
        ),
    )


def text_field(
    label: str, id_: str, value, on_change, placeholder: str, *, error: str = "", debounce=300
) -> tuple[rx.Component, rx.Component, rx.Component]:
    """A labelled, debounced text input and its error line (the error key defaults to the
    input's id), as three siblings so the caller keeps its own layout."""
    return (
        field_label(label, id_),
        rx.input(
            value=value,
            on_change=on_change,
            debounce_timeout=debounce,
            placeholder=placeholder,
            id=id_,
            width="100%",
        ),
        field_error(error or id_),
    )


def colour_field(label: str, key: str, value, allow_empty: bool = False) -> rx.Component:
    return rx.vstack(
        field_label(label, "c-" + key),
        rx.hstack(
            rx.el.input(
                type="color",
                value=rx.cond(value == "", "#000000", value),
                on_change=lambda v: S.set_design(key, v),
                aria_label=f"{label}: pick a colour",
                style={
                    "width": "36px",
                    "height": "32px",
                    "border": "none",
                    "padding": "0",
                    "background": "transparent",
                    "cursor": "pointer",
                },
            ),
            rx.input(
                value=value,
                on_change=lambda v: S.set_design(key, v),
                on_blur=S.leave_field("c-" + key),
                debounce_timeout=400,
                placeholder="same as foreground" if allow_empty else "#000000",
                width="100%",
                id="c-" + key,
            ),
            align="center",
            width="100%",
        ),
        field_error("c-" + key),
        spacing="1",
        width="100%",
    )


def segmented(key: str, value, options: list[tuple[str, str]], group: str) -> rx.Component:
    """Toggle buttons, one pressed: aria-pressed tells a screen reader which is chosen."""
    return rx.flex(
        *[
            rx.button(
                label,
                size="1",
                variant=rx.cond(value == option, "solid", "outline"),
                on_click=S.set_design(key, option),
                id=f"{key}-{option}",
                aria_pressed=rx.cond(value == option, "true", "false"),
            )
            for option, label in options
        ],
        role="group",
        aria_label=group,
        wrap="wrap",
        gap="2",
    )


def picture_choices(key: str, value, choices: list[ShapeChoice], group: str) -> rx.Component:
    """Pictures of the shapes on native radio buttons: arrow keys move the choice, and a
    screen reader reads the group and each shape's name."""
    return rx.flex(
        *[
            rx.el.label(
                rx.el.input(
                    type="radio",
                    name=key,
                    value=c["value"],
                    checked=value == c["value"],
                    on_change=lambda _v, option=c["value"]: S.set_design(key, option),
                    style=_SR_ONLY,
                ),
                rx.image(src=c["src"], alt="", width="40px", height="40px"),
                rx.text(c["label"], size="1"),
                id=f"{key}-{c['value']}",
                class_name="shape-choice",
                style={
                    "position": "relative",
                    "display": "flex",
                    "flex_direction": "column",
                    "align_items": "center",
                    "gap": "2px",
                    "padding": "4px 6px",
                    "min_width": "64px",
                    "border_radius": "8px",
                    "cursor": "pointer",
                    "background": "white",
                    "color": "#1f2937",
                    "&:has(input:focus-visible)": {
                        "outline": f"2px solid {rx.color('accent', 9)}",
                        "outline_offset": "2px",
                    },
                },
                border=rx.cond(
                    value == c["value"],
                    f"2px solid {rx.color('accent', 9)}",
                    f"2px solid {rx.color('gray', 5)}",
                ),
            )
            for c in choices
        ],
        role="radiogroup",
        aria_label=group,
        wrap="wrap",
        gap="2",
    )


def slider(label: str, key: str, value, shown) -> rx.Component:
    """A native range input with its value written beside it: the browser gives it the
    slider role, its label's name (Radix's slider thumb has none) and the arrow, Page and
    Home/End keys. The number follows at once, the preview when it is let go. Its range
    is the one the state accepts."""
    low, high, step = SLIDERS[key]
    return rx.vstack(
        rx.hstack(
            field_label(label, f"{key}-slider"),
            rx.spacer(),
            rx.text(shown, size="2", weight="medium", id=f"{key}-value", aria_hidden="true"),
            width="100%",
        ),
        rx.el.input(
            type="range",
            value=value,
            min=low,
            max=high,
            step=step,
            on_change=lambda v: S.slide(key, v),
            # let go: the mouse button, a key, or (touch) leaving the slider
            on_mouse_up=S.commit_slide(key),
            on_key_up=S.commit_slide(key),
            on_blur=S.commit_slide(key),
            # the words beside it ("4 modules", "45°") rather than the bare number
            aria_valuetext=shown,
            id=f"{key}-slider",
            style={"width": "100%", "accent_color": rx.color("accent", 9), "margin": "6px 0"},
        ),
        spacing="1",
        width="100%",
    )
