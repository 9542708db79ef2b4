"""The filter bar: date range, codes, tags, folder, bots; the live badge and exports sit on it."""

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.styles import MUTED_MD
from qrapp.pages.analytics.exports import export_menu
from qrapp.pages.analytics.live_feed import live_badge
from qrapp.state.analytics import ALL
from qrapp.state.analytics import AnalyticsState as S

RANGES = [
    ("today", "Today"),
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("month", "This month"),
    ("custom", "Custom range"),
]


def _select(value, on_change, options, all_label: str, id_: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=all_label, id=id_, max_width="220px", aria_label=all_label),
        rx.select.content(
            rx.select.item(all_label, value=ALL),
            rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"])),
        ),
        value=value,
        on_change=on_change,
        size="2",
    )


def _multi_select(
    label,
    icon: str,
    options,
    chosen,
    on_toggle,
    on_clear,
    id_: str,
    search=None,
    on_search=None,
) -> rx.Component:
    """A menu of checkboxes: any number of codes (or tags) counted together."""

    def option(o) -> rx.Component:
        row = rx.checkbox(
            o["label"],
            checked=chosen.contains(o["value"]),
            on_change=lambda _checked: on_toggle(o["value"]),
            size="2",
        )
        if search is None:
            return row
        return rx.cond(o["label"].lower().contains(search.lower()), row)

    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon(icon, size=14),
                rx.text(label, max_width="170px", truncate=True),
                rx.icon("chevron-down", size=14),
                variant="surface",
                color_scheme="gray",
                size="2",
                id=id_,
            )
        ),
        rx.popover.content(
            rx.vstack(
                *(
                    [
                        rx.input(
                            placeholder="Search",
                            aria_label="Search codes",
                            value=search,
                            on_change=on_search,
                            size="2",
                            width="100%",
                        )
                    ]
                    if search is not None
                    else []
                ),
                rx.scroll_area(
                    rx.vstack(rx.foreach(options, option), spacing="2", padding_right="12px"),
                    type="auto",
                    scrollbars="vertical",
                    max_height="280px",
                ),
                rx.hstack(
                    rx.button("Show all", variant="ghost", size="1", on_click=on_clear),
                    rx.spacer(),
                    rx.popover.close(rx.button("Done", size="1")),
                    width="100%",
                ),
                spacing="3",
                width="260px",
            ),
            id=f"{id_}-menu",
        ),
    )


def filter_bar() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.select.root(
                rx.select.trigger(id="range", min_width="150px", aria_label="Date range"),
                rx.select.content(*[rx.select.item(label, value=v) for v, label in RANGES]),
                value=S.range_key,
                on_change=S.set_range,
                size="2",
            ),
            _multi_select(
                S.codes_label,
                "qr-code",
                S.code_options,
                S.selected_codes,
                S.toggle_code,
                S.clear_codes,
                "filter-code",
                search=S.code_search,
                on_search=S.set_code_search,
            ),
            rx.cond(
                S.tag_options.length() > 0,
                _multi_select(
                    S.tags_label,
                    "tag",
                    S.tag_options,
                    S.selected_tags,
                    S.toggle_tag,
                    S.clear_tags,
                    "filter-tag",
                ),
            ),
            rx.cond(
                S.folder_options.length() > 0,
                _select(
                    S.folder_id,
                    S.set_folder,
                    S.folder_options,
                    "All folders",
                    "filter-folder",
                ),
            ),
            rx.hstack(
                rx.switch(checked=S.include_bots, on_change=S.set_include_bots, id="include-bots"),
                field_label("Include bots", "include-bots"),
                align="center",
                spacing="2",
            ),
            rx.spacer(),
            live_badge(),
            export_menu(),
            gap="10px",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        rx.cond(
            S.range_key == "custom",
            rx.form(
                rx.hstack(
                    rx.input(
                        type="date",
                        name="from",
                        default_value=S.date_from,
                        required=True,
                        id="date-from",
                        aria_label="From",
                    ),
                    rx.text("to", **MUTED_MD),
                    rx.input(
                        type="date",
                        name="to",
                        default_value=S.date_to,
                        required=True,
                        id="date-to",
                        aria_label="To",
                    ),
                    rx.button("Apply", type="submit", size="2", variant="soft"),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                on_submit=S.apply_custom,
            ),
        ),
        spacing="3",
        width="100%",
    )
