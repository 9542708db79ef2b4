"""What a person sees when the plan stops them: the limit's message with a link to the
plans, and the small "Read-only" badge on codes and pages beyond the allowance.

The suspend lane's "Paused: plan expired" badge is separate; both read only the Vars
they are given, so they sit side by side in the library and on the code page.
"""

from __future__ import annotations

import reflex as rx

from qrapp.components.styles import VISUALLY_HIDDEN
from qrapp.core import routes


def plan_limit_callout(message: rx.Var, id_: str) -> rx.Component:
    """Shown while `message` is not empty (a PlanLimitReached the state kept)."""
    return rx.cond(
        message != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("sparkles")),
            rx.callout.text(
                message,
                " ",
                rx.link("See plans", href=routes.BILLING, weight="medium", id=f"{id_}-plans"),
            ),
            color_scheme="amber",
            size="1",
            role="alert",
            id=id_,
            width="100%",
        ),
    )


def read_only_badge(reason: rx.Var, id_: str | rx.Var = "") -> rx.Component:
    """'Read-only' with the reason as its tooltip and accessible description."""
    return rx.cond(
        reason != "",
        rx.tooltip(
            rx.badge(
                rx.icon("lock", size=12, aria_hidden="true"),
                "Read-only",
                # The reason for screen readers too (a tooltip is for pointers only).
                rx.el.span(": ", reason, style=VISUALLY_HIDDEN),
                color_scheme="amber",
                variant="soft",
                high_contrast=True,  # the soft amber text alone is below 4.5:1
                radius="full",
                class_name="read-only-badge",
                **({"id": id_} if id_ else {}),
            ),
            content=reason,
        ),
    )
