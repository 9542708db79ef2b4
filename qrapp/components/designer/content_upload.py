"""The file field of a PDF, images, video or MP3 code: a labelled native file input (Tab
reaches it, Enter or Space opens the file chooser) that uploads as soon as a file is
chosen, and the names of the files the form holds."""

from __future__ import annotations

import reflex as rx

from qrapp.components.designer.controls import field_label
from qrapp.components.styles import MUTED_SM
from qrapp.state.designer import DesignerState as S
from qrapp.state.designer_content import FILE_INPUT_ID


def content_file_field(f) -> rx.Component:
    return rx.vstack(
        field_label(f["label"], FILE_INPUT_ID),
        rx.el.input(
            type="file",
            id=FILE_INPUT_ID,
            accept=S.file_accept,
            multiple=S.file_multiple,
            on_change=lambda _value: S.start_content_upload(),
            disabled=S.uploading,
            aria_describedby=FILE_INPUT_ID + "-help",
            font_size="var(--font-size-2)",
        ),
        rx.cond(
            S.uploading,
            rx.hstack(rx.spinner(size="1"), rx.text("Uploading…", size="2"), role="status"),
        ),
        rx.cond(
            S.uploaded_files.length() > 0,
            rx.vstack(
                rx.foreach(
                    S.uploaded_files,
                    lambda n: rx.hstack(
                        rx.icon("circle-check", size=16, color=rx.color("green", 11)),
                        rx.text(n, size="2"),
                        align="center",
                    ),
                ),
                role="status",
                id="uploaded-files",
                spacing="1",
            ),
        ),
        rx.text(f["help"], id=FILE_INPUT_ID + "-help", **MUTED_SM),
        spacing="1",
        width="100%",
    )
