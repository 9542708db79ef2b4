"""Search and the filter selects of the library; the choice lives in the URL."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import native_select
from qrapp.state.library import LibraryState as L


def _select(key: str, value, options: list[tuple[str, str]], label: str, extra=None):
    opts = [rx.el.option(text, value=val) for val, text in options]
    return native_select(
        [*opts, extra] if extra is not None else opts,
        value=value,
        on_change=lambda v: L.set_filter(key, v),
        id_="filter-" + key,
        aria_label=label,
    )


def _filter_width(desktop: str) -> list[str]:
    """Two filters a row on a phone (fixed widths cut their labels at 390 px)."""
    return ["calc(50% - 4px)", "calc(50% - 4px)", desktop]


def filters() -> rx.Component:
    return rx.flex(
        rx.box(
            native_select(
                [
                    rx.el.option("All types", value=""),
                    rx.foreach(
                        L.type_options, lambda o: rx.el.option(o["label"], value=o["value"])
                    ),
                ],
                value=L.content_type,
                on_change=lambda v: L.set_filter("content_type", v),
                id_="filter-content_type",
                aria_label="Type",
            ),
            width=_filter_width("150px"),
        ),
        rx.box(
            _select(
                "kind",
                L.kind,
                [("", "Dynamic and static"), ("dynamic", "Dynamic"), ("static", "Static")],
                "Kind",
            ),
            width=_filter_width("180px"),
        ),
        rx.box(
            _select(
                "status",
                L.status,
                [
                    ("", "Active and paused"),
                    ("active", "Active"),
                    ("paused", "Paused"),
                    ("archived", "Archived"),
                ],
                "Status",
            ),
            width=_filter_width("160px"),
        ),
        rx.box(
            native_select(
                [
                    rx.el.option("All tags", value=""),
                    rx.foreach(L.tags, lambda t: rx.el.option(t, value=t)),
                ],
                value=L.tag,
                on_change=lambda v: L.set_filter("tag", v),
                id_="filter-tag",
                aria_label="Tag",
            ),
            width=_filter_width("130px"),
        ),
        rx.box(
            native_select(
                [
                    rx.el.option("All folders", value=""),
                    rx.foreach(L.folders, lambda f: rx.el.option(f["label"], value=f["value"])),
                ],
                value=L.folder,
                on_change=lambda v: L.set_filter("folder", v),
                id_="filter-folder",
                aria_label="Folder",
            ),
            width=_filter_width("140px"),
        ),
        rx.box(
            _select(
                "sort",
                L.sort,
                [
                    ("newest", "Newest first"),
                    ("oldest", "Oldest first"),
                    ("name", "Name"),
                    ("scans", "Most scans"),
                    ("last_scan", "Latest scan"),
                ],
                "Sort",
            ),
            width=_filter_width("140px"),
        ),
        rx.cond(L.has_filters, rx.button("Clear", variant="ghost", on_click=L.clear_filters)),
        wrap="wrap",
        gap="2",
        align="center",
        width="100%",
    )


def search() -> rx.Component:
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        placeholder="Search name, link or destination",
        aria_label="Search codes",
        value=L.search,
        on_change=L.set_search,
        debounce_timeout=150,
        id="search",
        width=["100%", "100%", "340px"],
        size="3",
    )
