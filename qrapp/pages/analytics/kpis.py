"""The four stat cards: scans, unique visitors, scans today, human share."""

import reflex as rx

from qrapp.components.charts import delta_badge, stat_card
from qrapp.components.wording import noun_for
from qrapp.state.analytics import AnalyticsState as S


def kpis() -> rx.Component:
    k = S.kpis
    return rx.grid(
        stat_card(
            "Scans",
            k["scans"],
            "scan-line",
            hint=rx.cond(k["change_known"], "vs the previous period", "no scans before"),
            badge=delta_badge(k["change"], k["change_up"], k["change_known"]),
            id="kpi-scans",
        ),
        stat_card(
            "Unique visitors",
            k["uniques"],
            "users",
            hint="first scan of a visitor per day",
            badge=delta_badge(k["uniques_change"], k["uniques_up"], k["uniques_known"]),
            id="kpi-uniques",
        ),
        stat_card("Scans today", k["today"], "calendar-clock", hint=S.timezone, id="kpi-today"),
        stat_card(
            "Human share",
            k["human_share"],
            "shield-check",
            hint=rx.fragment(k["bots"], noun_for(k["bots"], "bot or preview scan", one="1")),
            id="kpi-humans",
        ),
        columns=rx.breakpoints(initial="2", md="4"),
        spacing="4",
        width="100%",
    )
