"""Where a design can start: the presets and the workspace's saved templates."""

from __future__ import annotations

import reflex as rx

from qrapp.state.designer import DesignerState as S

# A picture button's focus ring, outside its border so it shows on the white tile.
FOCUS_RING = {
    "&:focus-visible": {
        "outline": f"2px solid {rx.color('accent', 9)}",
        "outline_offset": "2px",
    }
}


def picture_button(src, name, on_click, size: str, pressed=None, **props) -> rx.Component:
    """A thumbnail that is a real button: Tab reaches it, Enter and Space press it, its
    picture's alt text is its name and, for a choice, aria-pressed says which is in use."""
    unpressed = f"1px solid {rx.color('gray', 8)}"
    if pressed is not None:
        props["aria_pressed"] = rx.cond(pressed, "true", "false")
    return rx.el.button(
        rx.image(src=src, alt=name, width=size, height=size),
        type="button",
        on_click=on_click,
        cursor="pointer",
        border_radius="8px",
        padding="3px",
        background="white",
        display="flex",
        border=unpressed
        if pressed is None
        else rx.cond(pressed, f"2px solid {rx.color('accent', 9)}", unpressed),
        style=FOCUS_RING,
        **props,
    )


def presets() -> rx.Component:
    from qrapp.state.designer_presets import PRESET_CARDS

    return rx.flex(
        *[
            rx.tooltip(
                picture_button(
                    card["src"],
                    card["label"],
                    S.apply_preset(card["name"]),
                    "64px",
                    pressed=S.preset == card["name"],
                    id="preset-" + card["name"],
                ),
                content=card["label"],
            )
            for card in PRESET_CARDS
        ],
        role="group",
        aria_label="Design presets",
        wrap="wrap",
        gap="2",
    )


def templates() -> rx.Component:
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
                                aria_label="Template name",
                                value=S.template_name,
                                on_change=S.set_template_name,
                                id="template-name",
                            ),
                            # rx.checkbox with its text renders a <label> around both.
                            rx.checkbox(
                                "Default for new codes",
                                checked=S.template_default,
                                on_change=S.set_template_default,
                                id="template-default",
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
                        picture_button(
                            t["src"],
                            "Template " + t["name"],
                            S.apply_template(t["id"]),
                            "56px",
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
