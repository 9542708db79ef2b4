"""The bulk page: many codes from one spreadsheet. Upload, options, mapping, dry run, start; then
the jobs with live progress and their downloads."""

import reflex as rx

from qrapp.components.bulk.form import file_section, options_section
from qrapp.components.bulk.jobs import jobs_section
from qrapp.components.bulk.mapping import mapping_section
from qrapp.components.bulk.report import dry_run_section
from qrapp.components.panels import card
from qrapp.components.shell import signed_in_page
from qrapp.core import routes
from qrapp.state.bulk import BulkState as S


def _new_job() -> rx.Component:
    return card(
        rx.vstack(
            file_section(),
            rx.cond(
                S.has_file,
                rx.vstack(
                    options_section(),
                    mapping_section(),
                    dry_run_section(),
                    spacing="6",
                    width="100%",
                ),
            ),
            spacing="5",
            width="100%",
        ),
        id="bulk-new-job",
    )


def _viewer_note() -> rx.Component:
    return rx.callout(
        "Your role in this workspace can see bulk jobs but not start them.",
        icon="info",
        color_scheme="gray",
        width="100%",
    )


@signed_in_page(routes.BULK, "Bulk", on_load=S.load)
def bulk() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Make hundreds or thousands of codes from a CSV or XLSX file, one per row.",
            color_scheme="gray",
        ),
        rx.cond(S.can_run, _new_job(), rx.cond(S.loaded, _viewer_note())),
        jobs_section(),
        on_unmount=S.stop_watching,
        spacing="5",
        width="100%",
        id="bulk-page",
    )
