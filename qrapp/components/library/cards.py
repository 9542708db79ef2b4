"""The grid view: one card per code."""

from __future__ import annotations

import reflex as rx

from qrapp.components.library.parts import not_tracked, plan_badges, status_badge, thumb
from qrapp.components.styles import MUTED_MD, MUTED_SM
from qrapp.core import routes
from qrapp.state.library import LibraryState as L


def _card(r) -> rx.Component:
    """One code on a phone: thumbnail, name, status, scans and last scan in view."""
    return rx.card(
        rx.hstack(
            rx.checkbox(
                checked=L.selected.contains(r["id"]),
                on_change=lambda _: L.toggle(r["id"]),
                aria_label="Select " + r["name"],
            ),
            thumb(r, "56px"),
            rx.vstack(
                rx.link(
                    r["name"],
                    href=routes.code_page(r["id"]),
                    weight="medium",
                    color=rx.color("gray", 12),
                    word_break="break-word",
                ),
                rx.text(r["type_label"], **MUTED_SM),
                rx.flex(
                    status_badge(r),
                    plan_badges(r),
                    rx.cond(
                        r["is_dynamic"],
                        rx.hstack(
                            rx.text(
                                r["scans"],
                                " scans",
                                size="2",
                                weight="medium",
                                class_name="card-scans",
                            ),
                            rx.text("last ", r["last_scan"], **MUTED_SM),
                            spacing="2",
                            align="baseline",
                        ),
                        not_tracked(),
                    ),
                    gap="2",
                    align="center",
                    wrap="wrap",
                ),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            rx.cond(
                r["is_dynamic"],
                rx.icon_button(
                    rx.icon("copy", size=14),
                    size="2",
                    variant="ghost",
                    aria_label="Copy short link",
                    on_click=[
                        rx.set_clipboard(r["short_url"]),
                        rx.toast.success("Short link copied"),
                    ],
                ),
            ),
            align="center",
            spacing="3",
            width="100%",
        ),
        class_name="code-card",
        width="100%",
    )


def cards() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.checkbox(
                checked=L.all_selected,
                on_change=lambda _: L.toggle_all(),
                aria_label="Select all",
            ),
            rx.text("Select all", **MUTED_MD),
            align="center",
            padding_x="4px",
        ),
        rx.foreach(L.rows, _card),
        spacing="2",
        width="100%",
    )
