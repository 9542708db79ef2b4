"""The designer's pieces: type grid, content form, design panel and live preview."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import native_select, verdict_badge
from qrapp.state.designer import DesignerState as S

MODULE_SHAPES = [
    ("square", "Square"),
    ("rounded", "Rounded"),
    ("extra-rounded", "Extra round"),
    ("dots", "Dots"),
    ("classy", "Classy"),
    ("vertical", "Vertical"),
    ("horizontal", "Horizontal"),
]
EYE_FRAMES = [
    ("square", "Square"),
    ("rounded", "Rounded"),
    ("extra-rounded", "Extra round"),
    ("circle", "Circle"),
    ("leaf", "Leaf"),
]
EYE_BALLS = [
    ("square", "Square"),
    ("rounded", "Rounded"),
    ("circle", "Circle"),
    ("leaf", "Leaf"),
    ("diamond", "Diamond"),
]
FRAMES = [
    ("none", "None"),
    ("banner-bottom", "Banner below"),
    ("banner-top", "Banner above"),
    ("box", "Box"),
    ("pill", "Pill"),
]


def type_grid() -> rx.Component:
    return rx.vstack(
        rx.heading("What should your code do?", size="5"),
        rx.text(
            "Dynamic codes can be changed after printing and count their scans. "
            "Static codes hold their content in the pattern itself.",
            color_scheme="gray",
        ),
        rx.grid(
            rx.foreach(
                S.type_cards,
                lambda card: rx.card(
                    rx.vstack(
                        rx.box(
                            rx.icon(card["icon"], size=22, color=rx.color("accent", 11)),
                            background=rx.color("accent", 3),
                            padding="10px",
                            border_radius="10px",
                            display="flex",
                        ),
                        rx.text(card["label"], weight="bold"),
                        rx.text(card["blurb"], size="2", color_scheme="gray"),
                        spacing="2",
                    ),
                    on_click=S.choose_type(card["key"]),
                    cursor="pointer",
                    _hover={"border_color": rx.color("accent", 8), "box_shadow": "0 2px 8px #0001"},
                    id="type-" + card["key"],
                ),
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _label(text, html_for=None) -> rx.Component:
    return rx.text(text, as_="label", size="2", weight="medium", html_for=html_for)


def _error(name) -> rx.Component:
    return rx.cond(
        S.errors.contains(name),
        rx.text(S.errors[name], color_scheme="red", size="1", role="alert"),
    )


def _field(f) -> rx.Component:
    name = f["name"]
    value = S.values[name]
    control = rx.match(
        f["kind"],
        (
            "bool",
            rx.hstack(
                rx.switch(
                    checked=value == "true",
                    on_change=lambda v: S.set_value(name, v),
                    id="f-" + name,
                ),
                _label(f["label"], "f-" + name),
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
                id_="f-" + name,
            ),
        ),
        (
            "multiline",
            rx.text_area(
                value=value,
                on_change=lambda v: S.set_value(name, v),
                debounce_timeout=300,
                id="f-" + name,
                width="100%",
                rows="3",
            ),
        ),
        rx.input(
            value=value,
            on_change=lambda v: S.set_value(name, v),
            debounce_timeout=300,
            id="f-" + name,
            width="100%",
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
        rx.cond(f["kind"] != "bool", _label(f["label"], "f-" + name)),
        control,
        rx.cond(f["help"] != "", rx.text(f["help"], size="1", color_scheme="gray")),
        _error(name),
        spacing="1",
        width="100%",
    )


def content_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Content", size="4"),
                rx.badge(S.type_label, variant="soft"),
                rx.cond(S.is_dynamic, rx.badge("Dynamic", color_scheme="green")),
                align="center",
            ),
            rx.cond(
                S.is_dynamic,
                rx.vstack(
                    _label("Destination URL", "destination"),
                    rx.input(
                        value=S.destination,
                        on_change=S.set_destination,
                        debounce_timeout=300,
                        placeholder="https://example.com/menu",
                        id="destination",
                        width="100%",
                        disabled=S.mode == "edit",
                    ),
                    rx.cond(
                        S.mode == "edit",
                        rx.text(
                            "Change the destination on the code's page.",
                            size="1",
                            color_scheme="gray",
                        ),
                        rx.text(
                            "People who scan are sent here. You can change it any time.",
                            size="1",
                            color_scheme="gray",
                        ),
                    ),
                    _error("destination"),
                    spacing="1",
                    width="100%",
                ),
                rx.vstack(rx.foreach(S.field_specs, _field), spacing="3", width="100%"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _colour(label: str, key: str, value, allow_empty: bool = False) -> rx.Component:
    return rx.vstack(
        _label(label),
        rx.hstack(
            rx.el.input(
                type="color",
                value=rx.cond(value == "", "#000000", value),
                on_change=lambda v: S.set_design(key, v),
                aria_label=label,
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
                debounce_timeout=400,
                placeholder="same as foreground" if allow_empty else "#000000",
                width="100%",
                id="c-" + key,
            ),
            align="center",
            width="100%",
        ),
        spacing="1",
        width="100%",
    )


def _segmented(key: str, value, options: list[tuple[str, str]]) -> rx.Component:
    return rx.flex(
        *[
            rx.button(
                label,
                size="1",
                variant=rx.cond(value == option, "solid", "outline"),
                on_click=S.set_design(key, option),
                id=f"{key}-{option}",
            )
            for option, label in options
        ],
        wrap="wrap",
        gap="2",
    )


def _presets() -> rx.Component:
    from qrapp.state.designer_presets import PRESET_CARDS

    return rx.flex(
        *[
            rx.tooltip(
                rx.box(
                    rx.image(src=card["src"], width="64px", height="64px"),
                    on_click=S.apply_preset(card["name"]),
                    cursor="pointer",
                    border_radius="8px",
                    padding="4px",
                    border=rx.cond(
                        S.preset == card["name"],
                        f"2px solid {rx.color('accent', 9)}",
                        f"1px solid {rx.color('gray', 5)}",
                    ),
                    background="white",
                    id="preset-" + card["name"],
                ),
                content=card["label"],
            )
            for card in PRESET_CARDS
        ],
        wrap="wrap",
        gap="2",
    )


def _templates() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Workspace templates", size="2", weight="medium"),
            rx.spacer(),
            rx.cond(
                S.can_edit,
                rx.popover.root(
                    rx.popover.trigger(
                        rx.button(
                            rx.icon("bookmark-plus", size=14),
                            "Save as template",
                            size="1",
                            variant="soft",
                            id="save-template-open",
                        )
                    ),
                    rx.popover.content(
                        rx.vstack(
                            rx.input(
                                placeholder="Template name",
                                value=S.template_name,
                                on_change=S.set_template_name,
                                id="template-name",
                            ),
                            rx.hstack(
                                rx.checkbox(
                                    checked=S.template_default,
                                    on_change=S.set_template_default,
                                    id="template-default",
                                ),
                                rx.text("Default for new codes", size="2"),
                            ),
                            rx.popover.close(
                                rx.button(
                                    "Save template",
                                    on_click=S.save_template,
                                    id="save-template",
                                    width="100%",
                                )
                            ),
                            spacing="2",
                            width="240px",
                        )
                    ),
                ),
            ),
            width="100%",
            align="center",
        ),
        rx.cond(
            S.templates.length() > 0,
            rx.flex(
                rx.foreach(
                    S.templates,
                    lambda t: rx.vstack(
                        rx.box(
                            rx.image(src=t["src"], width="56px", height="56px"),
                            on_click=S.apply_template(t["id"]),
                            cursor="pointer",
                            border_radius="8px",
                            padding="3px",
                            background="white",
                            border=f"1px solid {rx.color('gray', 5)}",
                        ),
                        rx.hstack(
                            rx.text(
                                t["name"],
                                size="1",
                                max_width="64px",
                                trim="both",
                                overflow="hidden",
                                white_space="nowrap",
                                text_overflow="ellipsis",
                            ),
                            rx.cond(t["is_default"], rx.icon("star", size=10)),
                            spacing="1",
                            align="center",
                        ),
                        spacing="1",
                        align="center",
                        class_name="template-card",
                    ),
                ),
                wrap="wrap",
                gap="2",
            ),
            rx.text(
                "Save a design to reuse it on every code of your workspace.",
                size="1",
                color_scheme="gray",
            ),
        ),
        spacing="2",
        width="100%",
    )


def design_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Design", size="4"),
            _presets(),
            _templates(),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger("Colours", value="colours"),
                    rx.tabs.trigger("Shapes", value="shapes"),
                    rx.tabs.trigger("Logo", value="logo"),
                    rx.tabs.trigger("Frame", value="frame"),
                    rx.tabs.trigger("Advanced", value="advanced"),
                ),
                rx.tabs.content(_colours_tab(), value="colours", padding_top="12px"),
                rx.tabs.content(_shapes_tab(), value="shapes", padding_top="12px"),
                rx.tabs.content(_logo_tab(), value="logo", padding_top="12px"),
                rx.tabs.content(_frame_tab(), value="frame", padding_top="12px"),
                rx.tabs.content(_advanced_tab(), value="advanced", padding_top="12px"),
                default_value="colours",
                width="100%",
            ),
            _error("design"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _colours_tab() -> rx.Component:
    return rx.vstack(
        rx.grid(
            _colour("Foreground", "foreground", S.foreground),
            _colour("Background", "background", S.background),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.hstack(
            rx.switch(
                checked=S.transparent,
                on_change=lambda v: S.set_design("transparent", v),
                id="transparent",
            ),
            _label("Transparent background", "transparent"),
            align="center",
        ),
        rx.hstack(
            rx.switch(
                checked=S.gradient_on,
                on_change=lambda v: S.set_design("gradient_on", v),
                id="gradient",
            ),
            _label("Gradient", "gradient"),
            align="center",
        ),
        rx.cond(
            S.gradient_on,
            rx.grid(
                _colour("Gradient to", "gradient_color", S.gradient_color),
                rx.vstack(
                    _label("Kind"),
                    _segmented(
                        "gradient_kind",
                        S.gradient_kind,
                        [("linear", "Linear"), ("radial", "Radial")],
                    ),
                    spacing="1",
                ),
                rx.vstack(
                    _label("Angle"),
                    rx.slider(
                        value=[S.gradient_angle],
                        min=0,
                        max=360,
                        step=15,
                        on_value_commit=lambda v: S.set_design("gradient_angle", v),
                    ),
                    spacing="1",
                    width="100%",
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _shapes_tab() -> rx.Component:
    return rx.vstack(
        _label("Modules"),
        _segmented("modules", S.modules, MODULE_SHAPES),
        _label("Eye frames"),
        _segmented("eye_frame", S.eye_frame, EYE_FRAMES),
        _label("Eye centres"),
        _segmented("eye_ball", S.eye_ball, EYE_BALLS),
        rx.grid(
            _colour("Eye frame colour", "eye_frame_color", S.eye_frame_color, allow_empty=True),
            _colour("Eye centre colour", "eye_ball_color", S.eye_ball_color, allow_empty=True),
            columns="2",
            spacing="3",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def _logo_tab() -> rx.Component:
    return rx.vstack(
        rx.upload(
            rx.vstack(
                rx.icon("image-up", size=24, color=rx.color("gray", 10)),
                rx.text("Drop a logo here or click to choose", size="2"),
                rx.text("PNG, JPEG or SVG, up to 2 MB", size="1", color_scheme="gray"),
                align="center",
                spacing="1",
            ),
            id="logo-upload",
            accept={
                "image/png": [".png"],
                "image/jpeg": [".jpg", ".jpeg"],
                "image/svg+xml": [".svg"],
            },
            max_files=1,
            max_size=2 * 1024 * 1024,
            multiple=False,
            on_drop=S.upload_logo(rx.upload_files(upload_id="logo-upload")),
            border=f"1px dashed {rx.color('gray', 7)}",
            border_radius="10px",
            padding="16px",
            width="100%",
            cursor="pointer",
        ),
        _error("logo"),
        rx.cond(
            S.has_logo,
            rx.vstack(
                rx.hstack(
                    _label("Logo size"),
                    rx.spacer(),
                    rx.button(
                        "Remove logo",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=S.remove_logo,
                    ),
                    width="100%",
                ),
                rx.slider(
                    value=[S.logo_size],
                    min=0.08,
                    max=0.3,
                    step=0.01,
                    on_value_commit=lambda v: S.set_design("logo_size", v),
                    id="logo-size",
                ),
                _segmented(
                    "logo_shape", S.logo_shape, [("square", "Square"), ("circle", "Circle")]
                ),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _frame_tab() -> rx.Component:
    return rx.vstack(
        _segmented("frame_style", S.frame_style, FRAMES),
        rx.cond(
            S.frame_style != "none",
            rx.vstack(
                _label("Caption", "frame-text"),
                rx.input(
                    value=S.frame_text,
                    on_change=lambda v: S.set_design("frame_text", v),
                    debounce_timeout=300,
                    max_length=32,
                    id="frame-text",
                    width="100%",
                ),
                rx.grid(
                    _colour("Frame colour", "frame_color", S.frame_color),
                    _colour("Caption colour", "frame_text_color", S.frame_text_color),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _advanced_tab() -> rx.Component:
    return rx.vstack(
        _label("Error correction"),
        _segmented(
            "error_correction",
            S.error_correction,
            [("L", "L 7%"), ("M", "M 15%"), ("Q", "Q 25%"), ("H", "H 30%")],
        ),
        rx.text(
            "Higher levels survive damage and logos but make the pattern denser.",
            size="1",
            color_scheme="gray",
        ),
        _label("Quiet zone (modules)"),
        rx.slider(
            value=[S.quiet_zone],
            min=0,
            max=10,
            step=1,
            on_value_commit=lambda v: S.set_design("quiet_zone", v),
        ),
        spacing="2",
        width="100%",
    )


def preview_card(save_label: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.center(
                rx.cond(
                    S.preview_src != "",
                    rx.image(
                        src=S.preview_src,
                        width="100%",
                        max_width="320px",
                        alt="QR code preview",
                        id="preview",
                        style={"image_rendering": "auto"},
                    ),
                    rx.center(rx.spinner(size="3"), height="240px"),
                ),
                width="100%",
                padding="12px",
                border_radius="12px",
                background=rx.cond(
                    S.transparent,
                    "repeating-conic-gradient(#e5e7eb 0% 25%, #ffffff 0% 50%) 50% / 16px 16px",
                    "transparent",
                ),
            ),
            rx.cond(
                S.preview_error != "",
                rx.callout.root(rx.callout.text(S.preview_error), color_scheme="gray", size="1"),
            ),
            verdict_badge(S.verdict_level, id_="verdict"),
            rx.cond(
                S.verdict_reasons.length() > 0,
                rx.vstack(
                    rx.foreach(
                        S.verdict_reasons,
                        lambda r: rx.hstack(
                            rx.icon("info", size=14, flex_shrink="0", margin_top="3px"),
                            rx.text(r, size="2"),
                            align="start",
                        ),
                    ),
                    spacing="1",
                    id="verdict-reasons",
                ),
            ),
            rx.button(
                rx.icon("save"),
                save_label,
                size="3",
                width="100%",
                on_click=S.save,
                loading=S.saving,
                disabled=S.save_blocked,
                id="save",
            ),
            rx.cond(
                S.verdict_level == "fail",
                rx.text("Fix the design so it scans before saving.", size="1", color="red"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def settings_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Name and labels", size="4"),
            _label("Name", "code-name"),
            rx.input(
                value=S.name,
                on_change=S.set_name,
                debounce_timeout=200,
                placeholder="e.g. Table menu, spring poster",
                id="code-name",
                width="100%",
            ),
            _error("name"),
            rx.cond(
                S.is_dynamic & (S.mode == "new"),
                rx.vstack(
                    _label("Custom short link (optional)", "alias"),
                    rx.input(
                        value=S.alias,
                        on_change=S.set_alias,
                        debounce_timeout=300,
                        placeholder="spring-sale",
                        id="alias",
                        width="100%",
                    ),
                    _error("alias"),
                    spacing="1",
                    width="100%",
                ),
            ),
            _label("Tags, separated by commas", "tags"),
            rx.input(
                value=S.tags_text,
                on_change=S.set_tags_text,
                debounce_timeout=300,
                placeholder="menu, summer",
                id="tags",
                width="100%",
            ),
            _error("tags"),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def editor(save_label: str) -> rx.Component:
    return rx.grid(
        rx.vstack(
            content_section(), design_section(), settings_section(), spacing="4", width="100%"
        ),
        rx.box(preview_card(save_label), position=["static", "static", "sticky"], top="80px"),
        columns=rx.breakpoints(initial="1", md="3fr 2fr"),
        spacing="5",
        width="100%",
        align_items="start",
    )
