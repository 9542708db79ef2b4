"""Building blocks of dashboards: stat (KPI) cards, chart cards, bar lists, the live feed."""

from __future__ import annotations

import reflex as rx

from qrapp.components.styles import MUTED_MD, MUTED_SM, SHARE_BAR
from qrapp.state.analytics_figures import PLOTLY_CONFIG


def section_card(title: str, *children: rx.Component, right=None, **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(title, size="2", weight="bold", color=rx.color("gray", 12), as_="h3"),
                rx.spacer(),
                right or rx.fragment(),
                width="100%",
                align="center",
            ),
            *children,
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        **props,
    )


def delta_badge(text, up, known) -> rx.Component:
    return rx.cond(
        known,
        rx.badge(
            rx.icon(rx.cond(up, "trending-up", "trending-down"), size=12),
            text,
            color_scheme=rx.cond(up, "green", "red"),
            variant="soft",
            radius="full",
        ),
        rx.fragment(),
    )


def stat_card(
    label: str, value, icon: str, hint=None, badge: rx.Component | None = None, **props
) -> rx.Component:
    """The one stat card (dashboard, analytics, a code's page); props go to the value."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=16, color=rx.color("accent", 10)),
                rx.text(label, **MUTED_MD, weight="medium"),
                align="center",
                spacing="2",
            ),
            rx.hstack(
                # A number, not a heading (nine "headings" on the dashboard were stats).
                rx.text(value, size="7", weight="bold", **props),
                badge or rx.fragment(),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            rx.text(hint, **MUTED_SM) if hint is not None else rx.fragment(),
            spacing="2",
        ),
        size="2",
        width="100%",
    )


def _country_chip(code) -> rx.Component:
    """The ISO code in a chip: emoji flags need a font many desktops lack."""
    return rx.code(code, size="1", variant="soft", color_scheme="gray")


def plot(figure, label: str = "") -> rx.Component:
    """A chart; `label` names it for screen readers and says where its numbers are in
    text (a figure with aria-label, so the chart stays readable inside)."""
    return rx.box(
        rx.plotly(data=figure, config=PLOTLY_CONFIG, use_resize_handler=True, width="100%"),
        width="100%",
        min_width="0",
        **({"role": "figure", "aria_label": label} if label else {}),
    )


def _row_label(r) -> rx.Component:
    return rx.fragment(
        rx.cond(r["flag"] != "", _country_chip(r["flag"]), rx.fragment()),
        rx.text(r["label"], size="2", trim="both", truncate=True),
    )


def bar_list(rows, empty_text: str = "No scans in this period", label=_row_label) -> rx.Component:
    """Rows with scans, share and width: a Dub-style list with share bars.

    label(row) draws the left side: {label, flag} rows by default; top-code lists pass a
    link to the code.
    """
    return rx.cond(
        rows.length() > 0,
        rx.vstack(
            rx.foreach(
                rows,
                lambda r: rx.box(
                    rx.box(width=r["width"], **SHARE_BAR),
                    rx.hstack(
                        label(r),
                        rx.spacer(),
                        rx.text(r["scans"], size="2", weight="medium"),
                        rx.text(r["share"], **MUTED_SM, min_width="36px", align="right"),
                        position="relative",
                        align="center",
                        padding_x="8px",
                        padding_y="5px",
                        spacing="2",
                        width="100%",
                    ),
                    position="relative",
                    width="100%",
                ),
            ),
            spacing="1",
            width="100%",
        ),
        rx.center(
            rx.text(empty_text, **MUTED_MD),
            padding_y="24px",
            width="100%",
        ),
    )


def tabbed_lists(tabs: list[tuple[str, str, object]]) -> rx.Component:
    """[(value, label, rows)] as tabs over bar lists."""
    return rx.tabs.root(
        rx.tabs.list(*[rx.tabs.trigger(label, value=value) for value, label, _ in tabs], size="1"),
        *[
            rx.tabs.content(bar_list(rows), value=value, padding_top="10px")
            for value, _, rows in tabs
        ],
        default_value=tabs[0][0],
        width="100%",
    )


def feed_item(item) -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.cond(item["flag"] != "", _country_chip(item["flag"]), rx.icon("globe", size=18)),
            width="28px",
            display="flex",
            justify_content="center",
        ),
        rx.vstack(
            rx.hstack(
                rx.text(item["code"], size="2", weight="medium", truncate=True),
                rx.badge(item["source"], size="1", variant="soft", color_scheme="gray"),
                rx.cond(item["bot"], rx.badge("bot", size="1", color_scheme="amber")),
                spacing="2",
                align="center",
            ),
            rx.text(item["place"], " · ", item["device"], **MUTED_SM),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        rx.text(item["time"], **MUTED_SM, white_space="nowrap"),
        width="100%",
        align="center",
        spacing="3",
        padding_y="6px",
        border_bottom=f"1px solid {rx.color('gray', 3)}",
        class_name="feed-item",
    )
