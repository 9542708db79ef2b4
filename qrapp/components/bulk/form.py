"""The new job's file and options: upload, kind of codes, content type, template, formats,
PNG size and file names, and the sample file for the chosen content type."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label, named_file_input
from qrapp.components.panels import native_select
from qrapp.components.styles import MUTED_MD, MUTED_SM, RADIUS_LG
from qrapp.state.bulk import BulkState as S
from qrapp.state.bulk_form import FORMATS, MAX_FILE_BYTES, NO_TEMPLATE, PNG_SIZES

UPLOAD_ID = "bulk-upload"
FILE_LABEL = "Spreadsheet (CSV or XLSX, up to 20 MB)"


def _upload() -> rx.Component:
    return rx.upload(
        rx.vstack(
            rx.icon("file-spreadsheet", size=24, color=rx.color("gray", 11)),
            rx.text("Drop a CSV or XLSX file here or click to choose", size="2"),
            rx.text("One row per code, with a header row", **MUTED_SM),
            align="center",
            spacing="1",
        ),
        id=UPLOAD_ID,
        accept={
            "text/csv": [".csv"],
            "text/plain": [".txt", ".tsv"],
            "text/tab-separated-values": [".tsv"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
        },
        max_files=1,
        max_size=MAX_FILE_BYTES,
        multiple=False,
        on_drop=S.upload_file(rx.upload_files(upload_id=UPLOAD_ID)),
        border=f"1px dashed {rx.color('gray', 8)}",
        border_radius=RADIUS_LG,
        padding="20px",
        width="100%",
        cursor="pointer",
    )


def _file_summary() -> rx.Component:
    return rx.hstack(
        rx.icon("file-check", size=18, color=rx.color("green", 11)),
        rx.text(S.file_name, weight="medium", id="bulk-file-name"),
        rx.text(S.rows_text, **MUTED_MD, id="bulk-row-count"),
        rx.spacer(),
        rx.button(
            "Remove file", variant="soft", color_scheme="gray", size="1", on_click=S.remove_file
        ),
        align="center",
        width="100%",
    )


def file_section() -> rx.Component:
    return rx.vstack(
        rx.heading("1. Your file", size="4", as_="h2"),
        named_file_input(_upload(), FILE_LABEL),
        rx.cond(S.reading, rx.text("Reading the file…", **MUTED_MD, role="status")),
        rx.cond(
            S.file_error != "",
            rx.callout(
                S.file_error,
                icon="circle-alert",
                color_scheme="red",
                role="alert",
                id="bulk-file-error",
                width="100%",
            ),
        ),
        rx.cond(S.has_file, _file_summary()),
        spacing="3",
        width="100%",
    )


def _select_field(label: str, id_: str, control: rx.Component, hint: str = "") -> rx.Component:
    return rx.vstack(
        field_label(label, html_for=id_),
        control,
        rx.text(hint, **MUTED_SM) if hint else rx.fragment(),
        spacing="1",
        width="100%",
    )


def _kind() -> rx.Component:
    return _select_field(
        "Kind of codes",
        "bulk-kind",
        native_select(
            [
                rx.el.option("Dynamic: short links you can change later", value="dynamic"),
                rx.el.option("Static: the content is in the code", value="static"),
            ],
            value=rx.cond(S.dynamic, "dynamic", "static"),
            on_change=S.set_dynamic,
            id_="bulk-kind",
        ),
    )


def _content_type() -> rx.Component:
    return _select_field(
        "Content type",
        "bulk-type",
        native_select(
            rx.foreach(S.content_types, lambda t: rx.el.option(t[1], value=t[0])),
            value=S.content_type,
            on_change=S.set_content_type,
            id_="bulk-type",
        ),
    )


def _template() -> rx.Component:
    return _select_field(
        "Design template",
        "bulk-template",
        native_select(
            [
                rx.el.option("Standard look (black on white)", value=NO_TEMPLATE),
                rx.foreach(S.templates, lambda t: rx.el.option(t[1], value=t[0])),
            ],
            value=S.template_id,
            on_change=S.set_template,
            id_="bulk-template",
        ),
        "Rows can override colours and the frame caption.",
    )


def _formats() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(
            "File formats",
            font_size="var(--font-size-2)",
            font_weight="var(--font-weight-medium)",
            margin_bottom="4px",
        ),
        rx.hstack(
            *[
                rx.checkbox(
                    fmt.upper(),
                    checked=S.formats.contains(fmt),
                    on_change=lambda on, f=fmt: S.toggle_format(f, on),
                    id=f"bulk-format-{fmt}",
                )
                for fmt in FORMATS
            ],
            spacing="4",
            wrap="wrap",
        ),
        border="none",
        padding="0",
        margin="0",
    )


def _png_size() -> rx.Component:
    return _select_field(
        "PNG size",
        "bulk-png-size",
        native_select(
            [rx.el.option(f"{n} px", value=n) for n in PNG_SIZES],
            value=S.png_size,
            on_change=S.set_png_size,
            id_="bulk-png-size",
        ),
    )


def _name_pattern() -> rx.Component:
    return _select_field(
        "File names",
        "bulk-name-pattern",
        rx.input(
            value=S.name_pattern,
            on_change=S.set_name_pattern.debounce(300),
            id="bulk-name-pattern",
            width="100%",
        ),
        "{row} is the row number, {name} the code's name; unsafe characters are replaced.",
    )


def options_section() -> rx.Component:
    return rx.vstack(
        rx.heading("2. What to make", size="4", as_="h2"),
        rx.grid(
            _kind(),
            rx.cond(S.dynamic, rx.fragment(), _content_type()),
            _template(),
            _png_size(),
            _name_pattern(),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        _formats(),
        rx.hstack(
            rx.button(
                rx.icon("download", size=16),
                "Download sample",
                variant="soft",
                size="2",
                on_click=S.download_sample,
                id="download-sample",
            ),
            rx.text("A CSV with the columns for this content type, to fill in.", **MUTED_SM),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )
