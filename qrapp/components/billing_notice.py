"""Notices about codes paused by billing (qrapp.services.billing.pause_notice): the
dashboard's banner and the code page's callout. Both say why in words, not colour only,
and link to /billing for those who can pay."""

from __future__ import annotations

import reflex as rx

from qrapp.core import routes


def _billing_link(can_pay: rx.Var[bool], label: str) -> rx.Component:
    return rx.cond(
        can_pay,
        rx.link(label, href=routes.BILLING, weight="bold", underline="always"),
    )


def pause_banner(
    text: rx.Var[str], tone: rx.Var[str], can_pay: rx.Var[bool], **props
) -> rx.Component:
    """A workspace's grace or paused codes; nothing when `text` is empty. High-contrast
    text on the soft tint passes 4.5:1 in light and dark mode."""
    return rx.cond(
        text,
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(text, " ", _billing_link(can_pay, "Go to billing")),
            color_scheme=rx.match(tone, ("paused", "red"), "amber"),
            high_contrast=True,
            role="status",
            width="100%",
            **props,
        ),
    )


def code_paused_callout(ended_on: rx.Var[str], can_pay: rx.Var[bool], **props) -> rx.Component:
    """On the page of a code paused by billing."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("circle-pause")),
        rx.callout.text(
            "This code is paused because the paid plan ended",
            rx.cond(ended_on, " on " + ended_on, ""),
            ": scans show your 'temporarily unavailable' page and are still counted. ",
            rx.cond(
                can_pay,
                rx.fragment(
                    "Pay again to bring it back at once. ",
                    _billing_link(can_pay, "Go to billing"),
                ),
                "An owner of the workspace can renew the plan to bring it back.",
            ),
        ),
        color_scheme="red",
        high_contrast=True,
        role="status",
        width="100%",
        **props,
    )
