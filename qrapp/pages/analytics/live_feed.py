"""Live updates: the Live/Paused badge and the feed of the latest scans."""

import reflex as rx

from qrapp.components.charts import feed_item, section_card
from qrapp.components.styles import MUTED_SM, RADIUS_ROUND
from qrapp.state.analytics import AnalyticsState as S


def live_dot_style() -> rx.Component:
    """The pulse of the Live badge's dot (page-level CSS: Reflex has no keyframes prop)."""
    return rx.el.style(
        "@keyframes qrLive{0%{opacity:1}50%{opacity:.35}100%{opacity:1}}"
        ".live-dot{animation:qrLive 1.6s ease-in-out infinite}"
    )


def live_badge() -> rx.Component:
    return rx.cond(
        S.live,
        rx.badge(
            rx.box(
                width="8px",
                height="8px",
                border_radius=RADIUS_ROUND,
                background=rx.color("green", 9),
                class_name="live-dot",
            ),
            "Live",
            color_scheme="green",
            variant="soft",
            radius="full",
            size="2",
            id="live-badge",
            title=f"Updates as scans arrive. Last update {S.updated_at}",
        ),
        rx.badge("Paused", color_scheme="gray", variant="soft", radius="full", size="2"),
    )


def live_feed() -> rx.Component:
    return section_card(
        "Live feed",
        rx.cond(
            S.feed.length() > 0,
            rx.vstack(rx.foreach(S.feed, feed_item), spacing="0", width="100%", id="live-feed"),
            rx.center(
                rx.text(
                    "Scans will appear here the moment they happen.", size="2", color_scheme="gray"
                ),
                padding_y="24px",
                width="100%",
                id="live-feed-empty",
            ),
        ),
        right=rx.text("latest 20", **MUTED_SM),
        max_height="352px",
        overflow_y="auto",
        # A region that scrolls must be reachable by keyboard to scroll it (WCAG 2.1.1).
        tab_index=0,
        role="region",
        aria_label="Live feed of the latest scans",
    )
