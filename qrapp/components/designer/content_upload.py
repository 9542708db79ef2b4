"""The file field of a PDF, images, video or MP3 code: a labelled file input (a drop zone
that Tab reaches and Enter opens) that uploads at once, and the names of the files held."""

from __future__ import annotations

import reflex as rx

from qrapp.components.designer.controls import field_error, field_label
from qrapp.components.styles import MUTED_SM
from qrapp.state.designer import DesignerState as S

UPLOAD_ID = "content-upload"


def _name_file_input(upload: rx.Component, label_id: str) -> rx.Component:
    """rx.upload takes no props for its <input type=file>: name it by the field's label,
    and fail at build time if a Reflex upgrade moves the input (see design_tabs)."""
    stack = [upload]
    while stack:
        node = stack.pop()
        if type(node).__name__ == "Input" and str(getattr(node, "type", "")) == '"file"':
            node.custom_attrs["aria-labelledby"] = label_id
            node.custom_attrs["id"] = "f-file"
            return upload
        stack.extend(node.children)
    raise RuntimeError("rx.upload has no <input type=file> to name")


def content_file_field(f) -> rx.Component:
    upload = rx.upload(
        rx.vstack(
            rx.icon("file-up", size=24, color=rx.color("gray", 10)),
            rx.text("Drop the file here or click to choose", size="2"),
            rx.text("Up to 3 MB here; larger files from the media library.", **MUTED_SM),
            align="center",
            spacing="1",
        ),
        id=UPLOAD_ID,
        multiple=True,
        max_files=24,
        on_drop=S.upload_content_file(rx.upload_files(upload_id=UPLOAD_ID)),
        border=f"1px dashed {rx.color('gray', 7)}",
        border_radius="10px",
        padding="16px",
        width="100%",
        cursor="pointer",
    )
    return rx.vstack(
        rx.el.label(rx.text(f["label"], size="2", weight="medium", as_="span"), id="f-file-label"),
        _name_file_input(upload, "f-file-label"),
        rx.cond(S.uploading, rx.hstack(rx.spinner(size="1"), rx.text("Uploading…", size="2"))),
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
        spacing="1",
        width="100%",
    )


__all__ = ["content_file_field", "field_error", "field_label"]
