"""The media library: search and kind filter, an upload zone, the files as a table with
thumbnails and where each is used, and the delete confirmation."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.icons import icon_of
from qrapp.components.panels import confirm_delete_dialog, empty_state, native_select
from qrapp.components.plan_limit import plan_limit_callout
from qrapp.components.styles import MUTED_SM, RADIUS_SM
from qrapp.state.media_library import FILE_INPUT_ID, KIND_ICONS, KINDS
from qrapp.state.media_library import MediaLibraryState as S


def _upload_zone() -> rx.Component:
    return rx.vstack(
        field_label("Upload files", FILE_INPUT_ID),
        rx.el.input(
            type="file",
            id=FILE_INPUT_ID,
            multiple=True,
            accept="image/jpeg,image/png,image/webp,application/pdf,video/mp4,audio/mpeg,.mp3",
            on_change=lambda _value: S.start_upload(),
            disabled=S.uploading,
            aria_describedby="media-file-help",
            font_size="var(--font-size-2)",
        ),
        rx.text(
            "Images (JPEG, PNG, WebP), PDFs, MP4 videos and MP3 audio. Each file is checked "
            "when it arrives.",
            id="media-file-help",
            **MUTED_SM,
        ),
        rx.cond(
            S.uploading,
            rx.hstack(rx.spinner(size="1"), rx.text("Uploading…", size="2"), role="status"),
        ),
        width="100%",
        spacing="1",
    )


def _filters() -> rx.Component:
    return rx.hstack(
        rx.vstack(
            field_label("Search by name", "media-search"),
            rx.input(
                value=S.query,
                on_change=S.set_query,
                debounce_timeout=300,
                id="media-search",
                type="search",
                placeholder="e.g. menu",
                width="100%",
            ),
            spacing="1",
            flex="1",
        ),
        rx.vstack(
            field_label("Kind", "media-kind"),
            native_select(
                [
                    rx.el.option("All kinds", value=""),
                    *[rx.el.option(label, value=key) for key, label in KINDS.items()],
                ],
                value=S.kind,
                on_change=S.set_kind,
                id_="media-kind",
            ),
            spacing="1",
        ),
        width="100%",
        align="end",
        spacing="3",
    )


def _thumb(row) -> rx.Component:
    return rx.cond(
        row["thumb"] != "",
        # Decorative: the file's name is in the next cell.
        rx.image(
            src=row["thumb"],
            alt="",
            width="56px",
            height="56px",
            object_fit="cover",
            border_radius=RADIUS_SM,
            loading="lazy",
        ),
        rx.center(
            icon_of(row["icon"], [*KIND_ICONS.values(), "file"], size=24),
            width="56px",
            height="56px",
            border_radius=RADIUS_SM,
            background=rx.color("gray", 3),
            aria_hidden="true",
        ),
    )


def _used_in(row) -> rx.Component:
    return rx.cond(
        row["used_in"].length() > 0,
        rx.vstack(
            rx.foreach(row["used_in"], lambda u: rx.link(u["name"], href=u["href"], size="2")),
            spacing="0",
        ),
        rx.text("Not used", **MUTED_SM),
    )


def _row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(_thumb(row)),
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(row["name"], href=row["url"], is_external=True, weight="medium"),
                rx.text(
                    row["kind_label"], " · ", row["size"], " · added ", row["added"], **MUTED_SM
                ),
                spacing="0",
            )
        ),
        rx.table.cell(_used_in(row)),
        rx.table.cell(
            rx.cond(
                S.can_edit,
                rx.button(
                    "Delete",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.ask_delete(row["id"]),
                    aria_label="Delete " + row["name"],
                ),
            )
        ),
        align="center",
    )


def _table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(rx.el.span("Preview"), width="72px"),
                rx.table.column_header_cell("File"),
                rx.table.column_header_cell("Used in"),
                rx.table.column_header_cell(rx.el.span("Actions")),
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        width="100%",
        id="media-table",
    )


def _delete_dialog() -> rx.Component:
    return confirm_delete_dialog(
        "Delete this file?",
        "“" + S.delete_name + "” is removed from the library and its address stops "
        "working. This cannot be undone.",
        "Delete file",
        on_confirm=S.delete,
        open=S.delete_id != "",
        on_open_change=S.cancel_delete,
    )


def _messages() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.problem != "",
            rx.callout(
                S.problem,
                icon="triangle-alert",
                color_scheme="red",
                role="alert",
                id="media-problem",
                width="100%",
            ),
        ),
        plan_limit_callout(S.plan_limit, "media-plan-limit"),
        rx.cond(
            S.notice != "",
            rx.callout(
                S.notice,
                icon="circle-check",
                color_scheme="green",
                role="status",
                id="media-notice",
                width="100%",
            ),
        ),
        width="100%",
    )


def media_library() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Pictures, PDFs, videos and audio for your landing pages. Upload once and use a "
            "file on as many pages as you like.",
            color_scheme="gray",
        ),
        rx.cond(S.can_edit, _upload_zone()),
        _messages(),
        _filters(),
        rx.cond(
            S.loaded & (S.rows.length() == 0),
            rx.cond(
                S.filtered,
                rx.text("No files match. Clear the search or choose All kinds.", id="media-none"),
                empty_state(
                    "images",
                    "No media yet",
                    rx.cond(
                        S.can_edit,
                        "Upload a picture, a PDF, a video or an MP3 above, or make a PDF, "
                        "image, video or MP3 code under QR codes → New code. Then add the "
                        "files to your landing pages in the builder.",
                        "Nobody in this workspace has uploaded a file yet.",
                    ),
                ),
            ),
            rx.cond(S.rows.length() > 0, _table()),
        ),
        _delete_dialog(),
        spacing="4",
        width="100%",
    )
