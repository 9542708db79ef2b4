"""The designer's pieces: type grid, content form, design panel and live preview."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import native_select, verdict_badge
from qrapp.state.designer import DesignerState as S
from qrapp.state.designer_checks import CAPTION_MAX
from qrapp.state.designer_shapes import EYE_BALLS, EYE_FRAMES, MODULE_SHAPES, ShapeChoice

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


def _wide(narrow: str, wide: str):
    """`narrow` below 62em (phones, tablets, narrow windows: one column), else `wide`."""
    return rx.breakpoints(initial=narrow, lg=wide)


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
        rx.text(
            S.errors[name],
            color_scheme="red",
            size="1",
            role="alert",
            class_name="error",
            custom_attrs={"data-field": name},
        ),
    )


def _field(f) -> rx.Component:
    name = f["name"]
    key = "f." + name  # content errors live apart from the code's own Name
    value = S.values[name]
    leave = S.leave_field(key)
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
                on_blur=leave,
                id_="f-" + name,
            ),
        ),
        (
            "multiline",
            rx.text_area(
                value=value,
                on_change=lambda v: S.set_value(name, v),
                on_blur=leave,
                debounce_timeout=300,
                id="f-" + name,
                width="100%",
                rows="3",
            ),
        ),
        rx.input(
            value=value,
            on_change=lambda v: S.set_value(name, v),
            on_blur=leave,
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
        _error(key),
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
                        on_blur=S.leave_field("destination"),
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
                rx.vstack(
                    rx.foreach(S.field_specs, _field), _error("content"), spacing="3", width="100%"
                ),
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
                on_blur=S.leave_field("c-" + key),
                debounce_timeout=400,
                placeholder="same as foreground" if allow_empty else "#000000",
                width="100%",
                id="c-" + key,
                aria_label=f"{label} (hex)",
            ),
            align="center",
            width="100%",
        ),
        _error("c-" + key),
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


def _picture_choices(key: str, value, choices: list[ShapeChoice], group: str) -> rx.Component:
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


def _slider(label: str, key: str, value, shown, **props) -> rx.Component:
    """A slider with its value written beside it; the number follows the thumb, the
    preview follows when it is let go."""
    return rx.vstack(
        rx.hstack(
            _label(label),
            rx.spacer(),
            rx.text(shown, size="2", weight="medium", id=f"{key}-value", aria_hidden="true"),
            width="100%",
        ),
        rx.slider(
            value=[value],
            on_change=lambda v: S.slide(key, v),
            on_value_commit=lambda v: S.set_design(key, v),
            aria_label=label,
            id=f"{key}-slider",
            **props,
        ),
        spacing="1",
        width="100%",
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
                _slider(
                    "Angle",
                    "gradient_angle",
                    S.gradient_angle,
                    S.gradient_angle.to_string() + "°",
                    min=0,
                    max=360,
                    step=15,
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
        _picture_choices("modules", S.modules, MODULE_SHAPES, "Module shape"),
        _label("Eye frames"),
        _picture_choices("eye_frame", S.eye_frame, EYE_FRAMES, "Eye frame shape"),
        _label("Eye centres"),
        _picture_choices("eye_ball", S.eye_ball, EYE_BALLS, "Eye centre shape"),
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
                _slider(
                    "Logo size",
                    "logo_size",
                    S.logo_size,
                    # a share of the code's width, as a whole percent
                    round(S.logo_size * 100).to_string() + "% of the width",
                    min=0.08,
                    max=0.3,
                    step=0.01,
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
                rx.hstack(
                    _label("Caption", "frame-text"),
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
                _error("frame_text"),
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
        _slider(
            "Quiet zone",
            "quiet_zone",
            S.quiet_zone,
            S.quiet_zone.to_string() + rx.cond(S.quiet_zone == 1, " module", " modules"),
            min=0,
            max=10,
            step=1,
        ),
        spacing="2",
        width="100%",
    )


def _preview_image() -> rx.Component:
    return rx.center(
        rx.cond(
            S.preview_src != "",
            rx.image(
                src=S.preview_src,
                width="100%",
                max_width=_wide("128px", "320px"),
                alt="QR code preview",
                id="preview",
                style={"image_rendering": "auto"},
            ),
            rx.cond(
                S.preview_error != "",
                # Nothing to show yet (or it could not be drawn): a placeholder, never
                # the previous code's picture.
                rx.center(
                    rx.icon("qr-code", size=48, color=rx.color("gray", 8)),
                    height=_wide("128px", "240px"),
                    width=_wide("128px", "100%"),
                    id="preview-empty",
                ),
                rx.center(rx.spinner(size="3"), height=_wide("128px", "240px")),
            ),
        ),
        padding=_wide("4px", "12px"),
        border_radius="12px",
        flex_shrink="0",
        background=rx.cond(
            S.transparent,
            "repeating-conic-gradient(#e5e7eb 0% 25%, #ffffff 0% 50%) 50% / 16px 16px",
            "transparent",
        ),
    )


def preview_card(save_label: str) -> rx.Component:
    return rx.card(
        # Beside the picture on phones (so the card stays short while it sticks to the
        # top of the screen), below it on wider screens.
        rx.box(
            _preview_image(),
            rx.vstack(
                rx.cond(
                    S.preview_error != "",
                    rx.callout.root(
                        rx.callout.text(S.preview_error),
                        color_scheme="gray",
                        size="1",
                        id="preview-error",
                    ),
                    verdict_badge(S.verdict_level, id_="verdict"),
                ),
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
                        display=_wide("none", "flex"),
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
                    aria_describedby="save-reason",
                ),
                rx.cond(
                    S.save_reason != "",
                    rx.text(
                        S.save_reason,
                        size="1",
                        color=rx.cond(S.verdict_level == "fail", "red", rx.color("gray", 11)),
                        id="save-reason",
                    ),
                ),
                spacing="2",
                width="100%",
                min_width="0",
            ),
            display="flex",
            flex_direction=_wide("row", "column"),
            gap="12px",
            align_items="center",
            width="100%",
        ),
        width="100%",
        id="preview-card",
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
    # A flex box, not a grid: a sticky grid item only sticks within its own row, so on
    # one-column phones the preview could not follow the controls down the page.
    return rx.box(
        rx.vstack(
            content_section(),
            design_section(),
            settings_section(),
            spacing="4",
            width="100%",
            flex=_wide("none", "3"),
            min_width="0",
            # A focused field scrolls into view below the sticky header and, on phones,
            # the sticky preview, instead of under them.
            style={"& input, & textarea, & select, & button": {"scroll_margin_top": "240px"}},
        ),
        rx.box(
            preview_card(save_label),
            position="sticky",
            # below the page's sticky header; first on phones, beside the form on wide screens
            top=_wide("64px", "80px"),
            order=_wide("-1", "0"),
            z_index="5",
            flex=_wide("none", "2"),
            width="100%",
            min_width="0",
            align_self="flex-start",
            id="preview-box",
        ),
        display="flex",
        flex_direction=_wide("column", "row"),
        gap="24px",
        width="100%",
    )
