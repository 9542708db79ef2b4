"""The workspace's bulk jobs, newest first: a progress bar with counts, rate and time left
while a job runs; cancel, retry of failed rows, and the downloads when it is done."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import empty_state
from qrapp.components.styles import MUTED_SM, RADIUS_SM
from qrapp.state.bulk import BulkState as S


def progress_bar(job) -> rx.Component:
    """A real progressbar for assistive technology: value, range and words."""
    return rx.box(
        rx.box(
            width=job["percent"].to_string() + "%",
            height="100%",
            background=rx.cond(job["failed"] > 0, rx.color("amber", 9), rx.color("accent", 9)),
            border_radius=RADIUS_SM,
            transition="width 0.4s ease",
        ),
        role="progressbar",
        aria_label="Progress of " + job["name"],
        aria_valuemin=0,
        aria_valuemax=job["total"],
        aria_valuenow=job["processed"],
        aria_valuetext=job["counts"],
        class_name="job-progress",
        height="10px",
        width="100%",
        background=rx.color("gray", 4),
        border_radius=RADIUS_SM,
        overflow="hidden",
    )


def _download_link(label: str, href, class_name: str) -> rx.Component:
    # rx.el.a is React Router's Link: reload_document leaves the click to the browser,
    # which downloads (the router would look for a page at /files/bulk/...).
    return rx.el.a(
        rx.icon("download", size=14),
        label,
        href=href,
        class_name=class_name,
        download="",
        reload_document=True,
        display="inline-flex",
        align_items="center",
        gap="6px",
        font_size="var(--font-size-2)",
        color=rx.color("accent", 11),
        text_decoration="underline",
    )


def _actions(job) -> rx.Component:
    return rx.hstack(
        rx.cond(
            job["can_cancel"] & S.can_run,
            rx.button(
                "Cancel",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=S.cancel(job["id"]),
                class_name="job-cancel",
            ),
        ),
        rx.cond(
            job["can_retry"] & S.can_run,
            rx.button(
                "Retry failed rows",
                size="1",
                variant="soft",
                on_click=S.retry(job["id"]),
                class_name="job-retry",
            ),
        ),
        rx.cond(
            job["zip_href"] != "",
            _download_link("ZIP of all files", job["zip_href"], "zip-link"),
        ),
        rx.cond(
            job["links_href"] != "",
            _download_link("Short links (CSV)", job["links_href"], "links-link"),
        ),
        spacing="4",
        align="center",
        wrap="wrap",
    )


def _failed_rows(job) -> rx.Component:
    # <details>: opens with Enter or Space, no state round trip.
    return rx.el.details(
        rx.el.summary("Why rows failed", font_size="var(--font-size-2)", cursor="pointer"),
        rx.el.ul(
            rx.foreach(
                job["problems"],
                lambda p: rx.el.li(
                    "Row ",
                    p["row"],
                    rx.cond(p["field"] != "", " (" + p["field"] + ")", ""),
                    ": ",
                    p["message"],
                ),
            ),
            font_size="var(--font-size-2)",
            padding_left="20px",
        ),
    )


def _job(job) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(job["name"], weight="bold"),
                rx.badge(
                    job["status_label"],
                    color_scheme=job["status_colour"],
                    high_contrast=True,
                    class_name="job-status",
                ),
                rx.spacer(),
                # the name already says when the job was made
                rx.cond(job["finished"] != "", rx.text("Ended ", job["finished"], **MUTED_SM)),
                align="center",
                width="100%",
                wrap="wrap",
            ),
            progress_bar(job),
            rx.hstack(
                rx.text(job["counts"], size="2", class_name="job-counts"),
                rx.text(job["rate"], size="2", color_scheme="gray", class_name="job-rate"),
                rx.text(job["eta"], size="2", color_scheme="gray", class_name="job-eta"),
                spacing="4",
                wrap="wrap",
            ),
            rx.cond(job["message"] != "", rx.text(job["message"], size="2", color_scheme="red")),
            rx.cond(job["problems"].length() > 0, _failed_rows(job)),
            _actions(job),
            spacing="2",
            width="100%",
        ),
        class_name="job-row",
        data_status=job["status"],
        width="100%",
    )


def jobs_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Jobs", size="4", as_="h2"),
        rx.cond(
            S.has_jobs,
            rx.vstack(rx.foreach(S.jobs, _job), spacing="3", width="100%", id="job-list"),
            rx.box(
                empty_state(
                    "layers",
                    "No bulk jobs yet",
                    "Upload a spreadsheet above, check it with the dry run and start: "
                    "the job's progress and its ZIP will appear here.",
                ),
                id="bulk-empty",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )
