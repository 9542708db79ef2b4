"""The Export menu: raw scans, breakdowns and the PDF report as real downloads."""

import reflex as rx

from qrapp.core import routes
from qrapp.state.analytics import AnalyticsState as S


def _export_link(label: str, icon: str, path: str, item_id: str) -> rx.Component:
    # A real download (a detached <a download> the browser fetches), not a link: the
    # single-page router would look for an /analytics/export page and show its 404.
    return rx.dropdown_menu.item(
        rx.hstack(rx.icon(icon, size=14), rx.text(label), align="center", spacing="2"),
        on_select=rx.download(url=S.export_base + path + "?" + S.query),
        id=item_id,
    )


def export_menu() -> rx.Component:
    return rx.cond(
        S.can_export,
        rx.dropdown_menu.root(
            rx.dropdown_menu.trigger(
                rx.button(
                    rx.icon("download", size=14), "Export", variant="soft", size="2", id="export"
                )
            ),
            rx.dropdown_menu.content(
                _export_link("Raw scans (CSV)", "file-text", routes.EXPORT_SCANS_CSV, "export-csv"),
                _export_link(
                    "Breakdowns (Excel)", "sheet", routes.EXPORT_BREAKDOWNS_XLSX, "export-xlsx"
                ),
                _export_link(
                    "PDF report", "file-chart-column", routes.EXPORT_REPORT_PDF, "export-pdf"
                ),
            ),
        ),
    )
