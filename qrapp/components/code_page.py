"""A code's page: big preview, downloads, short link, stats, destination and limits."""

from __future__ import annotations

import reflex as rx

from qrapp.components.charts import stat_card
from qrapp.components.code_rules import password_card, rules_card, simulator_card
from qrapp.components.panels import card, empty_state, native_select, verdict_badge
from qrapp.components.styles import MUTED_MD, MUTED_SM
from qrapp.core import routes
from qrapp.state.code_detail import CodeDetailState as C


def _downloads() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.box(
                native_select(
                    [
                        rx.el.option(label, value=v)
                        for v, label in (
                            ("png", "PNG"),
                            ("svg", "SVG (vector)"),
                            ("pdf", "PDF (print)"),
                            ("eps", "EPS"),
                        )
                    ],
                    value=C.download_format,
                    on_change=C.set_download_format,
                    id_="download-format",
                    aria_label="Format",
                ),
                width="50%",
            ),
            rx.box(
                native_select(
                    [rx.el.option(f"{n} px", value=str(n)) for n in (256, 512, 1024, 2048, 4096)],
                    value=C.download_size,
                    on_change=C.set_download_size,
                    id_="download-size",
                    aria_label="Size",
                ),
                width="50%",
            ),
            width="100%",
        ),
        # rx.download clicks a detached anchor: in-page links would go through the router.
        rx.button(
            rx.icon("download"),
            "Download",
            width="100%",
            size="3",
            disabled=C.verdict_level == "fail",
            # No file name here: the route's Content-Disposition names the file.
            on_click=rx.download(url=C.download_href),
            id="download",
        ),
        width="100%",
    )


def _left() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.vstack(
                rx.center(
                    rx.image(
                        src=C.preview_src,
                        width="100%",
                        max_width="360px",
                        alt="QR code",
                        id="code-preview",
                    ),
                    width="100%",
                ),
                verdict_badge(C.verdict_level, pending=""),
                rx.foreach(C.verdict_reasons, lambda r: rx.text(r, **MUTED_SM)),
                _downloads(),
                spacing="3",
                align="center",
                width="100%",
            ),
            width="100%",
        ),
        width="100%",
    )


def _destination_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Destination", size="4"),
            rx.text(
                "Where a scan of this code goes. Changes apply to the next scan.",
                size="2",
                color_scheme="gray",
            ),
            rx.hstack(
                rx.input(
                    value=C.new_destination,
                    on_change=C.set_new_destination,
                    id="new-destination",
                    width="100%",
                    disabled=~C.can_edit,
                ),
                rx.cond(
                    C.can_edit,
                    rx.button("Save", on_click=C.save_destination, id="save-destination"),
                ),
                width="100%",
            ),
            rx.cond(
                C.destination_error != "",
                rx.text(C.destination_error, color_scheme="red", size="2", role="alert"),
            ),
            spacing="2",
            width="100%",
        )
    )


def _validity_card() -> rx.Component:
    def field(label: str, name: str, value, **props) -> rx.Component:
        """A labelled input of the form, with its error under it."""
        return rx.vstack(
            rx.text(label, size="2"),
            rx.input(name=name, default_value=value, key=value, **props),
            rx.cond(
                C.validity_errors.contains(name),
                rx.text(C.validity_errors[name], color_scheme="red", size="1"),
            ),
            spacing="1",
        )

    return card(
        rx.form(
            rx.vstack(
                rx.heading("Scan limits and schedule", size="4"),
                rx.grid(
                    field("Active from (UTC)", "starts_at", C.starts_at, type="datetime-local"),
                    field("Active until (UTC)", "ends_at", C.ends_at, type="datetime-local"),
                    field(
                        # The code's total, as the edge counts it (qrcodes.set_validity).
                        "Maximum scans in total, counting the scans it already has",
                        "max_scans",
                        C.max_scans,
                        placeholder="no limit",
                        input_mode="numeric",
                    ),
                    field(
                        "When it is not active, send people to",
                        "fallback_url",
                        C.fallback_url,
                        placeholder="our branded page",
                    ),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                _schedule_editor(),
                rx.hstack(
                    rx.checkbox(
                        name="one_scan_per_visitor",
                        default_checked=C.one_scan_per_visitor,
                        key=C.one_scan_per_visitor.to_string(),
                    ),
                    rx.text("Count only one scan per visitor", size="2"),
                    align="center",
                ),
                rx.cond(C.can_edit, rx.button("Save limits", type="submit")),
                spacing="3",
                width="100%",
            ),
            on_submit=C.save_validity,
        )
    )


def _schedule_editor() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.switch(
                checked=C.schedule_on, on_change=C.set_schedule_on, id="schedule-on", name=""
            ),
            rx.text("Only redirect during opening hours", size="2"),
            align="center",
        ),
        rx.cond(
            C.schedule_on,
            rx.vstack(
                rx.hstack(
                    rx.text("Time zone", size="2"),
                    rx.input(
                        value=C.schedule_tz,
                        on_change=C.set_schedule_tz,
                        size="1",
                        placeholder="Europe/Stockholm",
                        width="200px",
                    ),
                    align="center",
                ),
                rx.foreach(
                    C.schedule_days,
                    lambda d, i: rx.hstack(
                        rx.checkbox(checked=d["open"], on_change=lambda v: C.set_day(i, "open", v)),
                        rx.text(d["name"], size="2", width="90px"),
                        rx.input(
                            type="time",
                            value=d["start"],
                            size="1",
                            on_change=lambda v: C.set_day(i, "start", v),
                            disabled=~d["open"],
                        ),
                        rx.text("to", size="2"),
                        rx.input(
                            type="time",
                            value=d["end"],
                            size="1",
                            on_change=lambda v: C.set_day(i, "end", v),
                            disabled=~d["open"],
                        ),
                        align="center",
                    ),
                ),
                spacing="1",
                width="100%",
            ),
        ),
        rx.cond(
            C.validity_errors.contains("schedule"),
            rx.text(C.validity_errors["schedule"], color_scheme="red", size="1"),
        ),
        spacing="2",
        width="100%",
    )


def _actions() -> rx.Component:
    return rx.cond(
        C.can_edit,
        rx.flex(
            rx.link(
                rx.button(rx.icon("palette"), "Edit design", variant="soft"),
                href=routes.code_edit(C.code_id),
            ),
            rx.button(rx.icon("copy"), "Duplicate", variant="soft", on_click=C.duplicate),
            rx.cond(
                ~C.is_dynamic,
                rx.fragment(),  # a static code cannot be paused: its content is printed
                rx.cond(
                    C.status == "active",
                    rx.button(
                        rx.icon("pause"),
                        "Pause",
                        variant="soft",
                        color_scheme="amber",
                        on_click=C.set_status("paused"),
                        id="pause",
                    ),
                    rx.button(
                        rx.icon("play"),
                        "Activate",
                        variant="soft",
                        color_scheme="green",
                        on_click=C.set_status("active"),
                        id="activate",
                    ),
                ),
            ),
            rx.cond(
                C.status != "archived",
                rx.button(
                    rx.icon("archive"),
                    "Archive",
                    variant="soft",
                    color_scheme="gray",
                    on_click=C.set_status("archived"),
                ),
            ),
            rx.button(
                rx.icon("trash-2"),
                "Delete",
                variant="soft",
                color_scheme="red",
                on_click=C.ask_delete(True),
            ),
            gap="2",
            wrap="wrap",
        ),
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this code?"),
            rx.alert_dialog.description(
                "Printed copies of a dynamic code stop working and its analytics are deleted. "
                "This cannot be undone."
            ),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Cancel", variant="soft", color_scheme="gray", on_click=C.ask_delete(False)
                    )
                ),
                rx.alert_dialog.action(rx.button("Delete", color_scheme="red", on_click=C.delete)),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
        ),
        open=C.confirm_delete,
    )


def _header() -> rx.Component:
    return rx.vstack(
        rx.link(
            rx.hstack(rx.icon("arrow-left", size=14), "All codes"), href=routes.CODES, size="2"
        ),
        rx.hstack(
            rx.heading(C.name, size="7", id="code-name"),
            rx.match(
                C.status,
                ("archived", rx.badge("Archived", color_scheme="gray", size="2")),
                (
                    "paused",
                    rx.cond(C.is_dynamic, rx.badge("Paused", color_scheme="amber", size="2")),
                ),
                rx.cond(C.is_dynamic, rx.badge("Active", color_scheme="green", size="2")),
            ),
            rx.cond(
                ~C.is_dynamic,
                rx.badge("Static · not tracked", color_scheme="gray", variant="outline", size="2"),
            ),
            align="center",
            wrap="wrap",
        ),
        rx.hstack(
            rx.text(C.type_label, **MUTED_MD),
            rx.text("· created ", C.created, **MUTED_MD),
            rx.foreach(C.tags, lambda t: rx.badge(t, variant="outline")),
            wrap="wrap",
        ),
        rx.cond(
            C.is_dynamic,
            rx.hstack(
                rx.code(C.short_url, size="3", id="short-url"),
                rx.icon_button(
                    rx.icon("copy", size=14),
                    variant="ghost",
                    aria_label="Copy",
                    on_click=[rx.set_clipboard(C.short_url), rx.toast.success("Short link copied")],
                ),
                align="center",
            ),
        ),
        _actions(),
        spacing="2",
        width="100%",
    )


def code_page() -> rx.Component:
    return rx.cond(
        C.found,
        rx.vstack(
            _header(),
            rx.cond(
                C.is_dynamic,
                rx.grid(
                    stat_card("Scans today", C.today, "sun"),
                    stat_card("Last 7 days", C.week, "calendar-days"),
                    stat_card("All time", C.total, "sigma"),
                    columns=rx.breakpoints(initial="1", sm="3"),
                    spacing="3",
                    width="100%",
                ),
            ),
            rx.grid(
                _left(),
                rx.vstack(
                    rx.cond(C.is_dynamic, _destination_card()),
                    rx.cond(C.is_dynamic, _validity_card()),
                    rx.cond(C.is_dynamic, rules_card()),
                    rx.cond(C.is_dynamic, simulator_card()),
                    rx.cond(C.is_dynamic, password_card()),
                    rx.cond(C.is_dynamic, utm_card()),
                    rx.cond(~C.is_dynamic, static_content_card()),
                    spacing="4",
                    width="100%",
                ),
                columns=rx.breakpoints(initial="1", md="2fr 3fr"),
                spacing="5",
                width="100%",
            ),
            _delete_dialog(),
            spacing="5",
            width="100%",
        ),
        empty_state(
            "search-x",
            "Code not found",
            "It may have been deleted, or it belongs to another workspace.",
            rx.link(rx.button("Back to the library"), href=routes.CODES),
        ),
    )


# --- static content and UTM (issue 16 item 14) ----------------------------------------


def _content_rows() -> rx.Component:
    return rx.data_list.root(
        rx.foreach(
            C.content_rows,
            lambda row: rx.data_list.item(
                rx.data_list.label(row["label"]),
                rx.data_list.value(
                    rx.text(row["value"], white_space="pre-wrap", word_break="break-word")
                ),
            ),
        ),
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        size="2",
        width="100%",
        id="code-content",
    )


def static_content_card() -> rx.Component:
    """What a static code holds, and why it has no scans, pause or destination."""
    return card(
        rx.vstack(
            rx.heading("Content", size="4"),
            rx.callout.root(
                rx.callout.icon(rx.icon("info")),
                rx.callout.text(
                    "Static code: its content is in the picture; scans are not tracked and "
                    "it can't be paused or edited after printing.",
                    id="static-notice",
                ),
                color_scheme="gray",
                size="1",
                width="100%",
            ),
            _content_rows(),
            rx.cond(
                C.encoded_text != "",
                rx.vstack(
                    rx.text("Exactly what the code encodes", **MUTED_SM),
                    rx.code(
                        C.encoded_text,
                        white_space="pre-wrap",
                        word_break="break-all",
                        width="100%",
                        id="encoded-text",
                    ),
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.text(
                "To change it, edit the code and print the new version. A dynamic code "
                "can be re-pointed after printing and counts its scans.",
                size="2",
                color_scheme="gray",
            ),
            spacing="3",
            width="100%",
        )
    )


UTM_FIELDS = [
    ("utm_source", "Source", "e.g. poster"),
    ("utm_medium", "Medium", "e.g. qr"),
    ("utm_campaign", "Campaign", "e.g. summer-sale"),
    ("utm_term", "Term", "optional"),
    ("utm_content", "Content", "optional"),
]


def _utm_field(key: str, label: str, placeholder: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", size="2", html_for=key),
        rx.input(
            id=key,
            value=C.utm[key],
            on_change=lambda v: C.set_utm_field(key, v),
            placeholder=placeholder,
            disabled=~C.can_edit,
            max_length=250,
            width="100%",
        ),
        rx.cond(
            C.utm_errors.contains(key),
            rx.text(C.utm_errors[key], color_scheme="red", size="1", role="alert"),
        ),
        spacing="1",
        width="100%",
    )


def utm_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("UTM parameters", size="4"),
            rx.text(
                "Added to the destination on every scan, so your web analytics can tell "
                "which printed code brought a visitor. Parameters the destination already "
                "has are kept as they are.",
                size="2",
                color_scheme="gray",
            ),
            rx.grid(
                *[_utm_field(*f) for f in UTM_FIELDS],
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.vstack(
                rx.text("A scan goes to", **MUTED_SM),
                rx.code(C.utm_preview, word_break="break-all", width="100%", id="utm-preview"),
                spacing="1",
                width="100%",
            ),
            rx.cond(
                C.can_edit,
                rx.button("Save UTM parameters", on_click=C.save_utm, id="save-utm"),
            ),
            spacing="3",
            width="100%",
        )
    )
