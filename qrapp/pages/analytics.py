"""Analytics: the workspace overview, or one code's view (?code=...); filters in the URL."""

import reflex as rx

from qrapp.components.charts import (
    bar_list,
    delta_badge,
    feed_item,
    plot,
    section_card,
    stat_card,
    tabbed_lists,
)
from qrapp.components.panels import empty_state
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD, MUTED_SM, RADIUS_ROUND
from qrapp.components.wording import noun_for
from qrapp.core import routes
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


def _select(value, on_change, options, all_label: str, icon: str, id_: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=all_label, id=id_, max_width="220px"),
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
                rx.select.trigger(id="range", min_width="150px"),
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
                    "folder",
                    "filter-folder",
                ),
            ),
            rx.hstack(
                rx.switch(checked=S.include_bots, on_change=S.set_include_bots, id="include-bots"),
                rx.text("Include bots", size="2"),
                align="center",
                spacing="2",
            ),
            rx.spacer(),
            _live_badge(),
            _export_menu(),
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
                    ),
                    rx.text("to", **MUTED_MD),
                    rx.input(
                        type="date", name="to", default_value=S.date_to, required=True, id="date-to"
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


def _live_badge() -> rx.Component:
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


def _export_link(label: str, icon: str, path: str, item_id: str) -> rx.Component:
    # A real download (a detached <a download> the browser fetches), not a link: the
    # single-page router would look for an /analytics/export page and show its 404.
    return rx.dropdown_menu.item(
        rx.hstack(rx.icon(icon, size=14), rx.text(label), align="center", spacing="2"),
        on_select=rx.download(url=S.export_base + path + "?" + S.query),
        id=item_id,
    )


def _export_menu() -> rx.Component:
    return rx.cond(
        S.can_export,
        rx.dropdown_menu.root(
            rx.dropdown_menu.trigger(
                rx.button(
                    rx.icon("download", size=14), "Export", variant="soft", size="2", id="export"
                )
            ),
            rx.dropdown_menu.content(
                _export_link("Raw scans (CSV)", "file-text", "/scans.csv", "export-csv"),
                _export_link("Breakdowns (Excel)", "sheet", "/breakdowns.xlsx", "export-xlsx"),
                _export_link("PDF report", "file-chart-column", "/report.pdf", "export-pdf"),
            ),
        ),
    )


def kpis() -> rx.Component:
    k = S.kpis
    return rx.grid(
        stat_card(
            "Scans",
            k["scans"],
            "scan-line",
            hint=rx.cond(k["change_known"], "vs the previous period", "no scans before"),
            badge=delta_badge(k["change"], k["change_up"], k["change_known"]),
            id="kpi-scans",
        ),
        stat_card(
            "Unique visitors",
            k["uniques"],
            "users",
            hint="first scan of a visitor per day",
            badge=delta_badge(k["uniques_change"], k["uniques_up"], k["uniques_known"]),
            id="kpi-uniques",
        ),
        stat_card("Scans today", k["today"], "calendar-clock", hint=S.timezone, id="kpi-today"),
        stat_card(
            "Human share",
            k["human_share"],
            "shield-check",
            hint=rx.fragment(k["bots"], noun_for(k["bots"], "bot or preview scan", one="1")),
            id="kpi-humans",
        ),
        columns=rx.breakpoints(initial="2", md="4"),
        spacing="4",
        width="100%",
    )


def _feed() -> rx.Component:
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
    )


def _code_link(c) -> rx.Component:
    # Narrows the view to that code (the URL changes), rather than leaving analytics.
    return rx.link(
        c["name"], on_click=S.set_code(c["id"]), size="2", cursor="pointer", truncate=True
    )


def _top_codes() -> rx.Component:
    return section_card("Top codes", bar_list(S.top_codes, label=_code_link))


def charts() -> rx.Component:
    return rx.vstack(
        rx.grid(
            rx.box(
                section_card(
                    "Scans over time",
                    plot(S.series_fig),
                    right=rx.hstack(
                        rx.text(S.range_text, **MUTED_SM),
                        rx.badge("per " + S.granularity, variant="soft", size="1"),
                        spacing="2",
                        align="center",
                    ),
                ),
                grid_column=rx.breakpoints(initial="span 1", lg="span 2"),
            ),
            _feed(),
            columns=rx.breakpoints(initial="1", lg="3"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            section_card("Where", plot(S.map_fig)),
            section_card(
                "Locations",
                tabbed_lists(
                    [("countries", "Countries", S.countries), ("cities", "Cities", S.cities)]
                ),
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            section_card("Devices", plot(S.device_fig), bar_list(S.devices)),
            section_card(
                "Technology",
                tabbed_lists(
                    [
                        ("os", "OS", S.oses),
                        ("browsers", "Browsers", S.browsers),
                        ("languages", "Languages", S.languages),
                    ]
                ),
            ),
            section_card(
                "Sources",
                tabbed_lists(
                    [("sources", "QR vs link", S.sources), ("referrers", "Referrers", S.referrers)]
                ),
            ),
            columns=rx.breakpoints(initial="1", md="2", lg="3"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            section_card(
                "Busiest times",
                plot(S.heatmap_fig),
                right=rx.text("weekday x hour, " + S.timezone, **MUTED_SM),
            ),
            _top_codes(),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _no_codes() -> rx.Component:
    return empty_state(
        "qr-code",
        "Create a code to see who scans it",
        "Analytics count every scan of your dynamic codes: where, when and on what device. "
        "Create a dynamic QR code, print it or share its short link, and scans appear here "
        "live.",
        rx.link(rx.button(rx.icon("plus"), "Create a QR code", size="3"), href=routes.CODES),
    )


def _no_scans_yet() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("radio")),
        rx.callout.text(
            "No scans yet. Scan one of your codes with your phone: it shows up here within "
            "seconds, no reload needed."
        ),
        color_scheme="indigo",
        id="no-scans-yet",
    )


def _no_scans_in_range() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("calendar-search")),
        rx.callout.text(
            "No scans match these filters. Try a longer date range, ",
            rx.link("clear the filters", on_click=S.clear_filters, cursor="pointer"),
            " or include bots.",
        ),
        color_scheme="gray",
        id="no-scans-in-range",
    )


def _heading() -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.heading(
                rx.cond(S.code_name != "", S.code_name, S.codes_label), size="5", id="view-title"
            ),
            rx.text(
                S.range_label, " · ", S.range_text, " · ", S.timezone, size="2", color_scheme="gray"
            ),
            spacing="1",
        ),
        rx.spacer(),
        rx.cond(
            S.selected_codes.length() > 0,
            rx.button(
                rx.icon("arrow-left", size=14),
                "All codes",
                variant="ghost",
                size="2",
                on_click=S.clear_codes,
            ),
        ),
        width="100%",
        align="end",
    )


@signed_in_page(routes.ANALYTICS, "Analytics", on_load=S.load)
def analytics() -> rx.Component:
    return rx.vstack(
        rx.el.style(
            "@keyframes qrLive{0%{opacity:1}50%{opacity:.35}100%{opacity:1}}"
            ".live-dot{animation:qrLive 1.6s ease-in-out infinite}"
        ),
        rx.cond(
            S.has_codes,
            rx.vstack(
                _heading(),
                filter_bar(),
                rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", icon="info")),
                rx.cond(~S.has_any_scans, _no_scans_yet()),
                rx.cond(S.has_any_scans & ~S.has_scans_in_range, _no_scans_in_range()),
                kpis(),
                charts(),
                spacing="4",
                width="100%",
            ),
            _no_codes(),
        ),
        on_unmount=S.stop_live,
        spacing="4",
        width="100%",
    )
