"""Plan cards with the monthly/yearly and SEK/EUR toggles, and the panel that pays for or
changes to the chosen plan."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import card
from qrapp.components.pricing import comparison_table
from qrapp.components.styles import MUTED_MD, MUTED_SM, RADIUS_LG
from qrapp.state.billing import BillingState as B

SALES_MAIL = "mailto:sales@qrapp.example?subject=Enterprise"


def toggles() -> rx.Component:
    return rx.flex(
        rx.segmented_control.root(
            rx.segmented_control.item("Monthly", value="month"),
            rx.segmented_control.item("Yearly (2 months free)", value="year"),
            value=B.show_interval,
            on_change=B.set_show_interval,
            id="billing-interval",
            aria_label="Billing interval",
        ),
        rx.segmented_control.root(
            rx.segmented_control.item("SEK", value="SEK"),
            rx.segmented_control.item("EUR", value="EUR"),
            value=B.show_currency,
            on_change=B.set_show_currency,
            id="billing-currency",
            aria_label="Currency",
        ),
        gap="3",
        wrap="wrap",
    )


def _action(p) -> rx.Component:
    return rx.cond(
        p["current"],
        rx.badge("Current plan", variant="soft", size="2", class_name="current-plan"),
        rx.cond(
            B.can_manage,
            rx.cond(
                p["enterprise"],
                rx.link("Talk to us", href=SALES_MAIL, size="2"),
                rx.cond(
                    (p["id"] != "free") | B.stripe_subscription,
                    rx.button(
                        rx.cond(p["id"] == "free", "Switch to Free", "Choose " + p["name"]),
                        on_click=B.choose_plan(p["id"]),
                        variant=rx.cond(p["chosen"], "solid", "soft"),
                        aria_pressed=rx.cond(p["chosen"], "true", "false"),
                        id="choose-" + p["id"],
                        width="100%",
                    ),
                ),
            ),
        ),
    )


def _plan_card(p) -> rx.Component:
    return rx.vstack(
        rx.heading(p["name"], size="4", as_="h3"),
        rx.text(p["tagline"], **MUTED_SM),
        rx.hstack(
            rx.text(p["price"], size="6", weight="bold"),
            rx.text(p["per"], **MUTED_SM),
            align="baseline",
            spacing="2",
        ),
        rx.el.ul(
            rx.foreach(p["lines"], lambda line: rx.el.li(rx.text(line, size="2"))),
            style={"padding_left": "18px", "margin": "0"},
        ),
        rx.spacer(),
        _action(p),
        spacing="2",
        padding="16px",
        border=rx.cond(
            p["current"] | p["chosen"],
            f"2px solid {rx.color('accent', 9)}",
            f"1px solid {rx.color('gray', 6)}",
        ),
        border_radius=RADIUS_LG,
        height="100%",
        class_name="plan-card",
        data_plan=p["id"],
    )


def _method_choice() -> rx.Component:
    return rx.vstack(
        rx.text("Pay with", size="2", weight="medium", id="pay-with-label"),
        rx.segmented_control.root(
            rx.segmented_control.item("Card", value="card"),
            rx.segmented_control.item("Swish", value="swish"),
            rx.segmented_control.item("PayPal", value="paypal"),
            rx.segmented_control.item("Klarna", value="klarna"),
            value=B.method,
            on_change=B.set_method,
            id="billing-method",
            aria_label="Way to pay",
        ),
        rx.match(
            B.method,
            ("card", rx.text("You go to Stripe's secure checkout and come back here.", **MUTED_SM)),
            (
                "swish",
                rx.vstack(
                    rx.text(
                        "Swish pays one period at a time, in SEK. On a phone the Swish app "
                        "opens; on a computer, scan the code with Swish. Give your number to "
                        "get the request in the app instead (optional).",
                        **MUTED_SM,
                    ),
                    rx.input(
                        value=B.phone,
                        on_change=B.set_phone,
                        placeholder="46701234567",
                        type="tel",
                        aria_label="Swish phone number (optional)",
                        id="swish-phone",
                        max_length=20,
                    ),
                    spacing="1",
                ),
            ),
            ("paypal", rx.text("You approve the subscription at PayPal.", **MUTED_SM)),
            rx.text("You pay on Klarna's own page and come back here.", **MUTED_SM),
        ),
        spacing="2",
        width="100%",
    )


# A phone cannot scan its own screen and a computer has no Swish app to open: the QR code
# shows from tablet width up, the link that opens the app below it.
_WIDE_ONLY = rx.breakpoints(initial="none", sm="block")
_PHONE_ONLY = rx.breakpoints(initial="inline", sm="none")


def _swish_waiting() -> rx.Component:
    return rx.vstack(
        rx.cond(
            B.swish_qr != "",
            rx.image(
                src=B.swish_qr,
                alt="Swish QR code: scan it with the Swish app to pay",
                width="200px",
                height="200px",
                id="swish-qr",
                display=_WIDE_ONLY,
            ),
        ),
        rx.cond(
            B.swish_link != "",
            rx.link(
                "Open Swish on this phone",
                href=B.swish_link,
                id="swish-open",
                display=_PHONE_ONLY,
            ),
        ),
        rx.hstack(
            rx.spinner(size="2"),
            rx.text("Waiting for the payment in Swish…", size="2"),
            role="status",
            id="swish-waiting",
            align="center",
        ),
        spacing="3",
        align="start",
    )


def _new_payment() -> rx.Component:
    return rx.vstack(
        _method_choice(),
        rx.cond(
            B.swish_status == "waiting",
            _swish_waiting(),
            rx.hstack(
                rx.button(
                    rx.cond(B.busy, rx.spinner(size="1"), rx.icon("credit-card", size=16)),
                    "Pay ",
                    B.chosen_price,
                    on_click=B.pay,
                    disabled=B.busy,
                    id="pay",
                ),
                rx.button("Not now", variant="soft", color_scheme="gray", on_click=B.clear_choice),
                spacing="3",
                wrap="wrap",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _change_existing() -> rx.Component:
    return rx.vstack(
        rx.cond(
            B.chosen_plan == "free",
            rx.text(
                "Your subscription is cancelled at the end of the paid period; until then "
                "nothing changes. After that the Free plan's limits apply: what is over them "
                "stays and keeps scanning, read-only.",
                **MUTED_MD,
            ),
            rx.text(
                "The change applies now. Stripe prorates: you are credited for the unused "
                "time of the current plan and charged for the rest of the period on the new "
                "one, on your next invoice.",
                **MUTED_MD,
                id="proration-note",
            ),
        ),
        rx.hstack(
            rx.button("Change to ", B.chosen_name, on_click=B.change_plan, id="change-plan"),
            rx.button("Not now", variant="soft", color_scheme="gray", on_click=B.clear_choice),
            spacing="3",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


def chooser() -> rx.Component:
    return rx.cond(
        B.chosen_plan != "",
        card(
            rx.vstack(
                rx.heading(
                    rx.cond(B.stripe_subscription, "Change to ", "Subscribe to "),
                    B.chosen_name,
                    size="4",
                    as_="h2",
                ),
                rx.cond(B.stripe_subscription, _change_existing(), _new_payment()),
                spacing="3",
                width="100%",
            ),
            id="billing-chooser",
        ),
    )


def plan_cards() -> rx.Component:
    return card(
        rx.vstack(
            rx.flex(
                rx.heading("Plans", size="4", as_="h2"),
                rx.spacer(),
                toggles(),
                gap="3",
                wrap="wrap",
                width="100%",
                align="center",
            ),
            rx.grid(
                rx.foreach(B.plan_cards, _plan_card),
                columns=rx.breakpoints(initial="1", sm="2", lg="4"),
                gap="3",
                width="100%",
            ),
            rx.text("Prices include VAT where it applies.", **MUTED_SM),
            spacing="3",
            width="100%",
        ),
        id="billing-plans",
    )


def compare_plans() -> rx.Component:
    """The public /pricing page's table, with this page's interval and currency.

    Inside a card on a phone the table is wider than the screen: the table's own scroll
    area (Radix) would scroll without being focusable (axe scrollable-region-focusable), so
    it is let overflow into the wrapper the table comes in, a focusable region."""
    return card(
        rx.vstack(
            rx.heading("Compare plans", size="4", as_="h2"),
            rx.box(
                comparison_table(B.show_interval, B.show_currency),
                width="100%",
                style={
                    "& .rt-ScrollAreaRoot, & .rt-ScrollAreaViewport": {
                        "overflow": "visible !important"
                    }
                },
            ),
            spacing="3",
            width="100%",
        ),
        id="billing-compare",
    )
