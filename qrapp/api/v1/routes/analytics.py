"""Analytics: the dashboard's figures (totals, time series, breakdowns, top codes) for the
workspace or one code, with the dashboard's own filters (services/analytics/filters.py),
and the raw scans a page at a time (the CSV export's rows)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from qrapp.api.v1.cursors import decode_cursor, encode_cursor
from qrapp.api.v1.deps import caller
from qrapp.core.api_scopes import Scope
from qrapp.models import ScanEvent
from qrapp.services.analytics import dashboard
from qrapp.services.analytics.filters import AnalyticsFilter
from qrapp.services.analytics.views import Dashboard
from qrapp.services.authz import Actor
from qrapp.services.codes import records
from qrapp.services.errors import FieldErrors

router = APIRouter(tags=["analytics"])

Reader = Annotated[Actor, Depends(caller(Scope.ANALYTICS_READ))]
RangeKey = Literal["today", "7d", "30d", "90d", "month", "custom"]


def analytics_filter(
    range: Annotated[
        RangeKey, Query(description="`custom` takes `from` and `to` (local days, inclusive).")
    ] = "30d",
    from_: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
    code: Annotated[list[uuid.UUID], Query(description="Only these codes.")] = [],  # noqa: B006
    tag: Annotated[list[str], Query(description="Only codes with one of these tags.")] = [],  # noqa: B006
    folder: Annotated[list[uuid.UUID], Query(description="Only codes in these folders.")] = [],  # noqa: B006
    page: Annotated[
        list[uuid.UUID], Query(description="Only codes answering with these landing pages.")
    ] = [],  # noqa: B006
    bots: Annotated[bool, Query(description="Count bot scans too.")] = False,
) -> AnalyticsFilter:
    """The dashboard's filter from the same parameters its shareable URL has."""
    if range == "custom" and (from_ is None or to is None):
        missing = "from" if from_ is None else "to"
        raise FieldErrors({missing: "A custom range needs both `from` and `to` dates."})
    params: dict[str, object] = {
        "range": range,
        "code": [str(c) for c in code],
        "tag": tag,
        "folder": [str(f) for f in folder],
        "page": [str(p) for p in page],
        "bots": "1" if bots else "",
    }
    if from_ and to:
        params |= {"from": from_.isoformat(), "to": to.isoformat()}
    return AnalyticsFilter.from_query(params)


Filters = Annotated[AnalyticsFilter, Depends(analytics_filter)]


class Window(BaseModel):
    range: str
    first_day: dt.date
    last_day: dt.date
    timezone: str
    granularity: Literal["hour", "day", "week"]
    start: dt.datetime
    end: dt.datetime


class Totals(BaseModel):
    scans: int
    uniques: int
    bots: int
    humans: int
    human_share: float
    scans_today: int
    previous_scans: int
    previous_uniques: int
    change: float | None = Field(description="Scans against the previous period, e.g. 0.25.")
    uniques_change: float | None


class Point(BaseModel):
    label: str = Field(description="The bucket's local start (ISO date or date-time).")
    scans: int
    uniques: int


class BreakdownRow(BaseModel):
    value: str
    label: str
    country: str
    scans: int
    uniques: int
    share: float


class TopCode(BaseModel):
    id: uuid.UUID
    name: str
    short_code: str
    scans: int
    uniques: int
    share: float


class Analytics(BaseModel):
    window: Window
    totals: Totals
    series: list[Point]
    previous_series: list[Point]
    breakdowns: dict[str, list[BreakdownRow]] = Field(
        description="Per dimension (country, device, os, browser, language, referrer, ...)."
    )
    top_codes: list[TopCode]
    heatmap: list[list[int]] = Field(description="[weekday, 0 = Monday][local hour]")

    @classmethod
    def of(cls, d: Dashboard) -> Analytics:
        k = d.kpis
        return cls(
            window=Window(
                range=d.filter.range,
                first_day=d.window.first_day,
                last_day=d.window.last_day,
                timezone=d.timezone,
                granularity=d.window.granularity,
                start=d.window.start,
                end=d.window.end,
            ),
            totals=Totals(
                **dataclasses.asdict(k), change=k.change, uniques_change=k.uniques_change
            ),
            series=[Point(**dataclasses.asdict(p)) for p in d.series],
            previous_series=[Point(**dataclasses.asdict(p)) for p in d.previous_series],
            breakdowns={
                dim: [BreakdownRow(**dataclasses.asdict(r)) for r in rows]
                for dim, rows in d.breakdowns.items()
            },
            top_codes=[TopCode(**dataclasses.asdict(c)) for c in d.top_codes],
            heatmap=d.heatmap,
        )


class Scan(BaseModel):
    event_id: uuid.UUID
    code_id: uuid.UUID
    occurred_at: dt.datetime
    country: str
    region: str
    city: str
    device_type: str
    os: str
    browser: str
    language: str
    referrer_host: str
    source: str = Field(description="qr (scanned) or link (clicked)")
    is_bot: bool
    is_unique: bool
    variant: str

    @classmethod
    def of(cls, e: ScanEvent) -> Scan:
        return cls(
            event_id=e.event_id,
            code_id=e.qrcode_id,
            occurred_at=e.occurred_at,
            country=e.country,
            region=e.region,
            city=e.city,
            device_type=e.device_type,
            os=e.os,
            browser=e.browser,
            language=e.language,
            referrer_host=e.referrer_host,
            source=e.source,
            is_bot=e.is_bot,
            is_unique=e.is_unique,
            variant=e.variant,
        )


class ScanPage(BaseModel):
    items: list[Scan]
    next_cursor: str | None


@router.get("/analytics", operation_id="getAnalytics", summary="The workspace's analytics")
def get_analytics(actor: Reader, filters: Filters) -> Analytics:
    return Analytics.of(dashboard.dashboard(actor=actor, filters=filters))


@router.get(
    "/codes/{code_id}/analytics",
    operation_id="getCodeAnalytics",
    summary="One code's analytics",
)
def get_code_analytics(code_id: uuid.UUID, actor: Reader, filters: Filters) -> Analytics:
    records.get_code_or_raise(actor=actor, code_id=code_id)  # 404 like a missing id
    one = filters.model_copy(update={"codes": (code_id,)})
    return Analytics.of(dashboard.dashboard(actor=actor, filters=one))


@router.get(
    "/scans",
    operation_id="listScans",
    summary="Raw scans, oldest first, a page at a time",
)
def list_scans(
    actor: Reader,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, le=dashboard.MAX_SCAN_PAGE)] = 100,
    cursor: str | None = None,
) -> ScanPage:
    after = decode_cursor(cursor) if cursor else None
    rows, next_after = dashboard.raw_scans(actor=actor, filters=filters, after=after, limit=limit)
    return ScanPage(
        items=[Scan.of(e) for e in rows],
        next_cursor=encode_cursor(*next_after) if next_after else None,
    )
