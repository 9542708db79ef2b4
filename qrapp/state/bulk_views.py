"""The bulk page's view models: small typed dicts built from the services' results, so no
ORM row, actor or other workspace's id reaches the browser."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

# Statuses a job moves through while the worker may still change its row.
ACTIVE_STATUSES = frozenset({"queued", "running"})
STATUS_LABELS = {
    "queued": "Waiting for a worker",
    "running": "Running",
    "done": "Done",
    "failed": "Failed",
    "cancelled": "Cancelled",
}
STATUS_COLOURS = {
    "queued": "gray",
    "running": "indigo",  # the accent: every colour named needs its CSS (theme_css)
    "done": "green",
    "failed": "red",
    "cancelled": "gray",
}


JOB_PROBLEMS_SHOWN = 20  # of a job's failed rows, on its card


class ColumnChoice(TypedDict):
    value: str  # the column's index as text; "" = not used
    label: str


class FieldRow(TypedDict):
    key: str
    label: str
    required: bool
    column: str
    input_id: str


class ProblemRow(TypedDict):
    row: int
    field: str
    message: str


class JobRow(TypedDict):
    id: str
    name: str
    status: str
    status_label: str
    status_colour: str
    total: int
    processed: int
    failed: int
    percent: int
    counts: str
    rate: str
    eta: str
    created: str
    finished: str
    active: bool
    can_cancel: bool
    can_retry: bool
    zip_href: str
    links_href: str
    message: str
    problems: list[ProblemRow]


def column_choices(headers: list[str]) -> list[ColumnChoice]:
    return [ColumnChoice(value="", label="Not used")] + [
        ColumnChoice(value=str(i), label=f"{header or '(no header)'} (column {i + 1})")
        for i, header in enumerate(headers)
    ]


def number(value: int) -> str:
    return f"{value:,}"


def rate_text(rate_per_s: float | None) -> str:
    if not rate_per_s or rate_per_s <= 0:
        return ""
    shown = f"{rate_per_s:,.0f}" if rate_per_s >= 10 else f"{rate_per_s:.1f}"
    return f"{shown} codes/s"


def eta_text(eta_s: float | None) -> str:
    if eta_s is None or eta_s < 0:
        return ""
    seconds = round(eta_s)
    if seconds < 60:
        return "less than a minute left" if seconds >= 5 else "a few seconds left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60} min left"


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return ""


def job_row(view: Any, *, zip_href: str = "", links_href: str = "") -> JobRow:
    """One JobView (services.bulk.jobs) as the list shows it."""
    status = str(view.status)
    total, processed, failed = int(view.total), int(view.processed), int(view.failed)
    active = status in ACTIVE_STATUSES
    # `processed` counts the rows handled, made or failed: the bar's value.
    made = max(0, processed - failed)
    percent = round(100 * min(processed, total) / total) if total else (0 if active else 100)
    counts = f"{number(made)} of {number(total)} codes made"
    if failed:
        counts += f", {number(failed)} failed"
    return JobRow(
        id=str(view.id),
        name=str(view.name),
        status=status,
        status_label=STATUS_LABELS.get(status, status.capitalize()),
        status_colour=STATUS_COLOURS.get(status, "gray"),
        total=total,
        processed=processed,
        failed=failed,
        percent=percent,
        counts=counts,
        rate=rate_text(view.rate_per_s) if active else "",
        eta=eta_text(view.eta_s) if active else "",
        created=_when(view.created_at),
        finished=_when(view.finished_at),
        active=active,
        can_cancel=active,
        can_retry=not active and failed > 0,
        zip_href=zip_href,
        links_href=links_href,
        message=str(getattr(view, "message", "") or ""),
        problems=problem_rows(list(getattr(view, "problems", []) or []), JOB_PROBLEMS_SHOWN),
    )


def problem_rows(
    problems: list[Any], limit: int, labels: dict[str, str] | None = None
) -> list[ProblemRow]:
    """The first `limit` problems, each field shown by its label ("Destination URL")."""
    labels = labels or {}
    return [
        ProblemRow(row=int(p.row), field=labels.get(p.field, p.field), message=str(p.message))
        for p in problems[:limit]
    ]
