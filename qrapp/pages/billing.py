"""The billing page: plan, usage, plan cards, payment and invoices (owners manage; admins read)."""

import reflex as rx

from qrapp.components.billing.current import current_plan, notices
from qrapp.components.billing.invoices import invoices_table
from qrapp.components.billing.manage import subscription_actions
from qrapp.components.billing.plans import chooser, compare_plans, plan_cards
from qrapp.components.billing.usage import usage_meters
from qrapp.components.panels import empty_state
from qrapp.components.shell import page_skeleton, signed_in_page
from qrapp.core import routes
from qrapp.state.billing import BillingState


def _read_only_note() -> rx.Component:
    return rx.cond(
        ~BillingState.can_manage,
        rx.callout.root(
            rx.callout.icon(rx.icon("eye")),
            rx.callout.text(
                "You can see billing as an admin; only the workspace's owners change the "
                "plan or the payment."
            ),
            id="billing-read-only",
            width="100%",
        ),
    )


def _error() -> rx.Component:
    return rx.cond(
        BillingState.error != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert")),
            rx.callout.text(BillingState.error),
            color_scheme="red",
            role="alert",
            id="billing-error",
            width="100%",
        ),
    )


def _confirming() -> rx.Component:
    return rx.cond(
        BillingState.confirming,
        rx.callout.root(
            rx.callout.icon(rx.spinner(size="1")),
            rx.callout.text(
                "Thank you. Confirming your payment: this page updates as soon as it is in."
            ),
            role="status",
            id="billing-confirming",
            width="100%",
        ),
    )


def _paid_notice(shown: rx.Var, text: rx.Var | str, id_: str) -> rx.Component:
    return rx.cond(
        shown,
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-check")),
            rx.callout.text(text),
            color_scheme="green",
            role="status",
            id=id_,
            width="100%",
        ),
    )


def _klarna_notice() -> rx.Component:
    return _paid_notice(
        BillingState.klarna_notice != "", BillingState.klarna_notice, "billing-klarna-notice"
    )


def _swish_paid() -> rx.Component:
    """Said once Swish has confirmed the payment the page was waiting for (the chooser with
    the QR code closes at that moment, so without this the payer sees nothing happen)."""
    return _paid_notice(
        BillingState.swish_status == "paid",
        "Thank you: your Swish payment is confirmed.",
        "swish-paid",
    )


def _overview() -> rx.Component:
    return rx.vstack(
        _read_only_note(),
        _confirming(),
        _klarna_notice(),
        _swish_paid(),
        notices(),
        current_plan(),
        usage_meters(),
        _error(),
        chooser(),
        plan_cards(),
        subscription_actions(),
        invoices_table(BillingState.invoices),
        compare_plans(),
        spacing="4",
        width="100%",
    )


@signed_in_page(routes.BILLING, "Billing", on_load=BillingState.load)
def billing() -> rx.Component:
    return rx.cond(
        BillingState.loaded,
        rx.cond(
            BillingState.allowed,
            _overview(),
            empty_state(
                "lock",
                "Billing is for owners and admins",
                "Only the workspace's owners and admins see billing. Ask an owner if the "
                "plan needs to change.",
            ),
        ),
        page_skeleton(),
    )
