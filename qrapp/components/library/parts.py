"""Pieces shared by the card and the table views: status badge, thumbnail."""

from __future__ import annotations

import reflex as rx

from qrapp.components.plan_limit import read_only_badge
from qrapp.components.styles import RADIUS_SM
from qrapp.core import routes

STATUS_COLOURS = {"active": "green", "paused": "amber", "archived": "gray"}


def not_tracked() -> rx.Component:
    return rx.text(
        "not tracked", size="1", color_scheme="gray", title="Static codes are not tracked"
    )


def status_badge(r) -> rx.Component:
    # The soft badges' coloured text is 4.28:1 (green) and about 4.2:1 (amber) on their
    # tint; high-contrast text passes 4.5:1 in light and dark mode.
    own = rx.match(
        r["status"],
        ("active", rx.badge("Active", color_scheme="green", high_contrast=True)),
        ("paused", rx.badge("Paused", color_scheme="amber", high_contrast=True)),
        rx.badge("Archived", color_scheme="gray", high_contrast=True),
    )
    # A billing pause is not the owner's doing: its own badge, red, with the reason in
    # words. The owner's own pause or archive decides a scan first (as at the edge), so
    # such a code keeps its own badge.
    return rx.cond(
        r["billing_paused"] & (r["status"] == "active"),
        rx.badge(
            "Paused: plan expired",
            color_scheme="red",
            high_contrast=True,
            title="The paid plan ended: scans show your 'temporarily unavailable' page",
        ),
        own,
    )


def plan_badges(r) -> rx.Component:
    """What the plan does to this code (read-only beyond the allowance)."""
    return read_only_badge(r["read_only"])


def thumb(r, px: str) -> rx.Component:
    return rx.link(
        rx.image(
            src=r["thumb"],
            width=px,
            height=px,
            min_width=px,
            loading="lazy",
            # the link's name says where it goes; the picture adds nothing to it
            alt="",
            border_radius=RADIUS_SM,
            background="white",
        ),
        href=routes.code_page(r["id"]),
        aria_label="Open " + r["name"],
    )
