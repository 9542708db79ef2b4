"""Usage meters: each resource's use against the plan's limit, as a labelled progress bar
(role=progressbar with its value in words) and "n of m" text."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import card
from qrapp.components.styles import MUTED_MD, RADIUS_SM
from qrapp.state.billing import BillingState as B


def _meter(m) -> rx.Component:
    label_id = "meter-label-" + m["key"]
    return rx.vstack(
        rx.hstack(
            rx.text(m["label"], size="2", weight="medium", id=label_id),
            rx.spacer(),
            rx.text(m["text"], size="2", class_name="meter-text"),
            width="100%",
        ),
        rx.el.div(
            rx.el.div(
                style={
                    "width": m["percent"].to_string() + "%",
                    "height": "100%",
                    "background": rx.cond(m["over"], rx.color("red", 9), rx.color("accent", 9)),
                    "border_radius": RADIUS_SM,
                },
            ),
            role="progressbar",
            aria_labelledby=label_id,
            aria_valuemin=0,
            aria_valuemax=100,
            aria_valuenow=m["percent"],
            aria_valuetext=m["text"],
            style={
                "width": "100%",
                "height": "8px",
                "background": rx.color("gray", 4),
                "border_radius": RADIUS_SM,
                "overflow": "hidden",
            },
        ),
        rx.cond(
            m["over"],
            rx.text(
                "Over the plan's limit: what is there stays and keeps scanning, but it is "
                "read-only and nothing new can be added.",
                size="1",
                color_scheme="red",
            ),
        ),
        spacing="1",
        width="100%",
        class_name="usage-meter",
        data_key=m["key"],
    )


def usage_meters() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Usage", size="4", as_="h2"),
            rx.grid(
                rx.foreach(B.meters, _meter),
                columns=rx.breakpoints(initial="1", sm="2"),
                gap="4",
                width="100%",
            ),
            rx.text(
                "Scans this month: ",
                rx.text(B.scans_this_month, weight="bold", as_="span", id="scans-this-month"),
                " (scans are never limited).",
                **MUTED_MD,
            ),
            spacing="3",
            width="100%",
        ),
        id="billing-usage",
    )
