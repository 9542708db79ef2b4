"""The current plan card: plan, standing badge, the dates that matter, the way it is paid,
and the notices of a grace period or of paused codes."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import card
from qrapp.components.styles import MUTED_MD, MUTED_SM
from qrapp.core import routes
from qrapp.state.billing import BillingState as B


def _date(d) -> rx.Component:
    return rx.vstack(
        rx.text(d["label"], **MUTED_SM),
        rx.text(d["value"], size="2", weight="medium"),
        spacing="0",
    )


def current_plan() -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                rx.heading("Your plan", size="4", as_="h2"),
                rx.spacer(),
                rx.badge(
                    B.standing_label,
                    color_scheme=B.standing_colour,
                    high_contrast=True,
                    size="2",
                    id="billing-standing",
                ),
                width="100%",
                align="center",
            ),
            rx.text(B.plan_name, size="7", weight="bold", id="billing-plan"),
            rx.cond(
                B.provider_label != "",
                rx.text(
                    "Paid with ",
                    B.provider_label,
                    ", ",
                    rx.cond(B.interval == "year", "yearly", "monthly"),
                    " in ",
                    B.currency,
                    **MUTED_MD,
                ),
                rx.text(
                    "You are on the Free plan. Choose a plan below to get more codes, pages "
                    "and seats.",
                    **MUTED_MD,
                    id="billing-fresh",
                ),
            ),
            rx.flex(rx.foreach(B.dates, _date), gap="6", wrap="wrap", id="billing-dates"),
            rx.cond(
                B.cancel_at_period_end,
                rx.text(
                    "Cancelled: the plan ends at the end of the paid period.",
                    size="2",
                    id="billing-cancelled",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        id="billing-current",
    )


def notices() -> rx.Component:
    """Grace and expiry, in words: what still works and what to do."""
    return rx.fragment(
        rx.cond(
            B.standing == "grace",
            rx.callout.root(
                rx.callout.icon(rx.icon("triangle-alert")),
                rx.callout.text(
                    "The last payment did not go through or the paid period has ended. Every "
                    "code still scans and your limits stay until the date above; pay to keep "
                    "them after that."
                ),
                color_scheme="amber",
                id="billing-grace",
                width="100%",
            ),
        ),
        rx.cond(
            B.paused_codes > 0,
            rx.callout.root(
                rx.callout.icon(rx.icon("circle-pause")),
                rx.callout.text(
                    B.paused_codes,
                    rx.cond(B.paused_codes == 1, " dynamic code is", " dynamic codes are"),
                    " paused because the ",
                    B.subscribed_plan,
                    " plan expired: they show a “temporarily unavailable” page instead of "
                    "redirecting (scans are still counted). The oldest codes, up to the Free "
                    "plan's allowance, keep working. Pay again and every code works at once. ",
                    rx.link("See your codes", href=routes.CODES),
                ),
                color_scheme="red",
                id="billing-paused",
                width="100%",
            ),
            rx.cond(
                B.standing == "expired",
                rx.callout.root(
                    rx.callout.icon(rx.icon("info")),
                    rx.callout.text(
                        "Your paid plan has expired; the Free plan's limits apply. Pay again "
                        "to get your plan back."
                    ),
                    id="billing-expired",
                    width="100%",
                ),
            ),
        ),
    )
