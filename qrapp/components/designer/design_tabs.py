"""The design panel: starting points, then tabs for colours, shapes, logo, frame and the
advanced settings. Option lists come from the design model (core/render/design_form.py)."""

from __future__ import annotations

import reflex as rx

from qrapp.components.designer.controls import (
    colour_field,
    field_error,
    field_label,
    picture_choices,
    segmented,
    slider,
)
from qrapp.components.designer.starting_points import presets, templates
from qrapp.components.fields import named_file_input
from qrapp.core.render.design_form import (
    CAPTION_MAX,
    ERROR_OPTIONS,
    FRAME_OPTIONS,
    GRADIENT_KIND_OPTIONS,
    LOGO_SHAPE_OPTIONS,
)
from qrapp.state.designer import DesignerState as S
from qrapp.state.designer_shapes import EYE_BALLS, EYE_FRAMES, MODULE_SHAPES


def design_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Design", size="4", as_="h3"),
            presets(),
            templates(),
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
            field_error("design"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _colours_tab() -> rx.Component:
    return rx.vstack(
        rx.grid(
            colour_field("Foreground", "foreground", S.foreground),
            colour_field("Background", "background", S.background),
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
            field_label("Transparent background", "transparent"),
            align="center",
        ),
        rx.hstack(
            rx.switch(
                checked=S.gradient_on,
                on_change=lambda v: S.set_design("gradient_on", v),
                id="gradient",
            ),
            field_label("Gradient", "gradient"),
            align="center",
        ),
        rx.cond(
            S.gradient_on,
            rx.grid(
                colour_field("Gradient to", "gradient_color", S.gradient_color),
                rx.vstack(
                    field_label("Kind"),
                    segmented(
                        "gradient_kind",
                        S.gradient_kind,
                        GRADIENT_KIND_OPTIONS,
                        "Gradient kind",
                    ),
                    spacing="1",
                ),
                slider(
                    "Angle",
                    "gradient_angle",
                    S.gradient_angle,
                    S.gradient_angle.to_string() + "°",
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
        field_label("Modules"),
        picture_choices("modules", S.modules, MODULE_SHAPES, "Module shape"),
        field_label("Eye frames"),
        picture_choices("eye_frame", S.eye_frame, EYE_FRAMES, "Eye frame shape"),
        field_label("Eye centres"),
        picture_choices("eye_ball", S.eye_ball, EYE_BALLS, "Eye centre shape"),
        rx.grid(
            colour_field(
                "Eye frame colour", "eye_frame_color", S.eye_frame_color, allow_empty=True
            ),
            colour_field("Eye centre colour", "eye_ball_color", S.eye_ball_color, allow_empty=True),
            columns="2",
            spacing="3",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def _logo_upload() -> rx.Component:
    return rx.upload(
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
    )


def _logo_tab() -> rx.Component:
    return rx.vstack(
        named_file_input(_logo_upload(), "Logo file (PNG, JPEG or SVG, up to 2 MB)"),
        field_error("logo"),
        rx.cond(
            S.has_logo,
            rx.vstack(
                rx.hstack(
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
                slider(
                    "Logo size",
                    "logo_size",
                    S.logo_size,
                    # a share of the code's width, as a whole percent
                    round(S.logo_size * 100).to_string() + "% of the width",
                ),
                segmented("logo_shape", S.logo_shape, LOGO_SHAPE_OPTIONS, "Logo shape"),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _frame_tab() -> rx.Component:
    return rx.vstack(
        segmented("frame_style", S.frame_style, FRAME_OPTIONS, "Frame style"),
        rx.cond(
            S.frame_style != "none",
            rx.vstack(
                rx.hstack(
                    field_label("Caption", "frame-text"),
                    rx.spacer(),
                    rx.text(
                        S.caption_length.to_string() + f" / {CAPTION_MAX}",
                        size="1",
                        color_scheme=rx.cond(S.caption_length > CAPTION_MAX, "red", "gray"),
                        id="caption-count",
                    ),
                    width="100%",
                ),
                rx.input(
                    value=S.frame_text,
                    on_change=lambda v: S.set_design("frame_text", v),
                    debounce_timeout=300,
                    id="frame-text",
                    width="100%",
                    aria_describedby="caption-hint",
                ),
                rx.text(
                    f"Up to {CAPTION_MAX} letters, digits and punctuation; emoji cannot be drawn.",
                    size="1",
                    color_scheme="gray",
                    id="caption-hint",
                ),
                field_error("frame_text"),
                rx.grid(
                    colour_field("Frame colour", "frame_color", S.frame_color),
                    colour_field("Caption colour", "frame_text_color", S.frame_text_color),
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
        field_label("Error correction"),
        segmented(
            "error_correction",
            S.error_correction,
            ERROR_OPTIONS,
            "Error correction",
        ),
        rx.text(
            "Higher levels survive damage and logos but make the pattern denser.",
            size="1",
            color_scheme="gray",
        ),
        slider(
            "Quiet zone",
            "quiet_zone",
            S.quiet_zone,
            S.quiet_zone.to_string() + rx.cond(S.quiet_zone == 1, " module", " modules"),
        ),
        spacing="2",
        width="100%",
    )
