"""An existing Stripe subscription: the Customer Portal, cancel at period end (after a
confirmation) and resume."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import card
from qrapp.components.styles import MUTED_MD
from qrapp.state.billing import BillingState as B


def _cancel_dialog() -> rx.Component:
    # The list pages' confirm_delete_dialog pattern: a question, Cancel, the red action.
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Cancel your subscription?"),
            rx.alert_dialog.description(
                "It ends at the end of the paid period; until then nothing changes. You can "
                "resume it before then."
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Cancel at period end",
                        color_scheme="red",
                        on_click=B.confirm_cancel,
                        id="confirm-cancel",
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="12px",
            ),
        ),
        open=B.cancel_open,
        on_open_change=B.set_cancel_open,
    )


def subscription_actions() -> rx.Component:
    return rx.cond(
        B.can_manage & B.stripe_subscription,
        card(
            rx.vstack(
                rx.heading("Payment and subscription", size="4", as_="h2"),
                rx.text(
                    "Change the card, download invoices or update the billing address in "
                    "Stripe's customer portal.",
                    **MUTED_MD,
                ),
                rx.flex(
                    rx.button(
                        rx.icon("external-link", size=16),
                        "Manage payment method and invoices",
                        on_click=B.open_portal,
                        variant="soft",
                        id="open-portal",
                    ),
                    rx.cond(
                        B.cancel_at_period_end,
                        rx.button("Resume subscription", on_click=B.resume, id="resume"),
                        rx.button(
                            "Cancel subscription",
                            variant="soft",
                            color_scheme="red",
                            on_click=B.set_cancel_open(True),
                            id="cancel-subscription",
                        ),
                    ),
                    gap="3",
                    wrap="wrap",
                ),
                _cancel_dialog(),
                spacing="3",
                width="100%",
            ),
            id="billing-manage",
        ),
    )
