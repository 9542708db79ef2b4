"""Where a design can start: the presets and the workspace's saved templates."""

from __future__ import annotations

import reflex as rx

from qrapp.state.designer import DesignerState as S


def presets() -> rx.Component:
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
