"""Pieces shared by the card and the table views: status badge, thumbnail."""

from __future__ import annotations

import reflex as rx

from qrapp.components.styles import RADIUS_SM
from qrapp.core import routes

STATUS_COLOURS = {"active": "green", "paused": "amber", "archived": "gray"}


def not_tracked() -> rx.Component:
    return rx.text(
        "not tracked", size="1", color_scheme="gray", title="Static codes are not tracked"
    )


def status_badge(r) -> rx.Component:
    return rx.match(
        r["status"],
        ("active", rx.badge("Active", color_scheme="green")),
        ("paused", rx.badge("Paused", color_scheme="amber")),
        rx.badge("Archived", color_scheme="gray"),
    )


def thumb(r, px: str) -> rx.Component:
    return rx.link(
        rx.image(
            src=r["thumb"],
            width=px,
            height=px,
            min_width=px,
            loading="lazy",
            alt="",
            border_radius=RADIUS_SM,
            background="white",
        ),
        href=routes.code_page(r["id"]),
        aria_label="Open " + r["name"],
    )
