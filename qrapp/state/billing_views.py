"""The billing page's view models: what the overview service returns, as the plain dicts a
Reflex state holds (meters, dates, invoices, plan cards)."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from qrapp.services.billing import overview as billing_overview


class MeterView(TypedDict):
    key: str
    label: str
    text: str  # "3 of 10", "12 (unlimited)"
    percent: int
    unlimited: bool
    over: bool


class DateView(TypedDict):
    label: str
    value: str


class InvoiceView(TypedDict):
    number: str
    date: str
    amount: str
    status: str
    url: str


class PlanCardView(TypedDict):
    id: str
    name: str
    tagline: str
    price: str
    per: str
    current: bool
    chosen: bool
    enterprise: bool
    lines: list[str]


def day_label(value: dt.datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def meter_view(m: billing_overview.Meter) -> MeterView:
    unlimited = m.limit is None
    return MeterView(
        key=m.key,
        label=m.label,
        text=f"{m.used_label} (unlimited)" if unlimited else f"{m.used_label} of {m.limit_label}",
        percent=m.percent,
        unlimited=unlimited,
        over=m.over,
    )


def plan_lines(p) -> list[str]:
    def n(value, word):
        return f"Unlimited {word}" if value is None else f"{value:,} {word}".replace(",", " ")

    lines = [
        n(p.dynamic_codes, "dynamic codes"),
        n(p.landing_pages, "landing pages"),
        n(p.seats, "team seats"),
    ]
    if p.custom_domains:
        lines.append("Custom domains")
    if p.white_label:
        lines.append("White label")
    return lines
