"""The live preview: the picture, its scannability verdict, and Save with its reason."""

from __future__ import annotations

import reflex as rx

from qrapp.components.designer.controls import responsive
from qrapp.components.panels import verdict_badge
from qrapp.components.plan_limit import plan_limit_callout
from qrapp.state.designer import DesignerState as S


def _preview_image() -> rx.Component:
    return rx.center(
        rx.cond(
            S.preview_src != "",
            rx.image(
                src=S.preview_src,
                width="100%",
                max_width=responsive("128px", "320px"),
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
                    height=responsive("128px", "240px"),
                    width=responsive("128px", "100%"),
                    id="preview-empty",
                ),
                rx.center(rx.spinner(size="3"), height=responsive("128px", "240px")),
            ),
        ),
        padding=responsive("4px", "12px"),
        border_radius="12px",
        flex_shrink="0",
        background=rx.cond(
            S.transparent,
            "repeating-conic-gradient(#e5e7eb 0% 25%, #ffffff 0% 50%) 50% / 16px 16px",
            "transparent",
        ),
    )


def preview_card(save_label: str | rx.Var[str]) -> rx.Component:
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
                        display=responsive("none", "flex"),
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
                plan_limit_callout(S.plan_limit, "save-plan-limit"),
                rx.cond(
                    S.save_reason != "",
                    rx.text(
                        S.save_reason,
                        size="1",
                        color=rx.cond(
                            S.verdict_level == "fail", rx.color("red", 11), rx.color("gray", 11)
                        ),
                        id="save-reason",
                    ),
                ),
                spacing="2",
                width="100%",
                min_width="0",
            ),
            display="flex",
            flex_direction=responsive("row", "column"),
            gap="12px",
            align_items="center",
            width="100%",
        ),
        width="100%",
        id="preview-card",
    )
