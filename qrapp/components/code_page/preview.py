"""The left column: the big preview, its scannability verdict and the downloads."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import native_select, verdict_badge
from qrapp.components.styles import MUTED_SM
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


def preview_column() -> rx.Component:
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
