"""The plans compared, drawn from core/plans: plan cards and a comparison table.

`comparison_table(interval, currency)` and `plan_cards(...)` take the chosen interval and
currency as Vars so the public /pricing page and the in-app billing page show the same
thing from their own state. Every price for every choice is in the page; the Vars only
pick which one shows (so nothing is fetched when a toggle changes).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode

import reflex as rx

from qrapp.components.panels import card, link_button
from qrapp.components.styles import MUTED_MD, MUTED_SM
from qrapp.core import routes
from qrapp.core.plans import (
    PLANS,
    Currency,
    Interval,
    Plan,
    PlanId,
    Resource,
    limit_label,
    price_label,
)

RETENTION_LABELS = {30: "30 days", 365: "1 year", 1095: "3 years"}
_PER = {Interval.MONTH: "/ month", Interval.YEAR: "/ year"}


def price_text(p: Plan, interval: rx.Var, currency: rx.Var) -> rx.Component:
    """The plan's price for the chosen interval and currency."""
    return rx.match(
        currency + "-" + interval,
        *[
            (f"{c.value}-{i.value}", price_label(p.price(c, i), c))
            for c in Currency
            for i in Interval
        ],
        price_label(p.price(Currency.SEK, Interval.MONTH), Currency.SEK),
    )


def per_text(interval: rx.Var) -> rx.Component:
    return rx.cond(interval == Interval.YEAR.value, _PER[Interval.YEAR], _PER[Interval.MONTH])


def billing_href(plan_id: PlanId, interval: str, currency: str) -> str:
    query = urlencode({"plan": plan_id.value, "interval": interval, "currency": currency})
    return f"{routes.BILLING}?{query}"


def _choose_href(p: Plan, interval: rx.Var, currency: rx.Var, signed_in: rx.Var) -> rx.Var:
    """Free: sign up. Paid: billing with the choice, through the log-in when signed out."""
    if not p.is_paid:
        return rx.Var.create(routes.SIGNUP)
    hrefs = {
        (i.value, c.value): billing_href(p.id, i.value, c.value) for i in Interval for c in Currency
    }
    target = rx.match(
        interval + "-" + currency,
        *[(f"{i}-{c}", href) for (i, c), href in hrefs.items()],
        hrefs[(Interval.MONTH.value, Currency.SEK.value)],
    )
    via_login = rx.match(
        interval + "-" + currency,
        *[
            (f"{i}-{c}", routes.with_next(routes.LOGIN, quote(h, safe="")))
            for (i, c), h in hrefs.items()
        ],
        routes.with_next(routes.LOGIN, quote(hrefs[("month", "SEK")], safe="")),
    )
    return rx.cond(signed_in, target, via_login)  # type: ignore[return-value]


def _limit_lines(p: Plan) -> list[str]:
    return [
        f"{limit_label(p.dynamic_codes, Resource.DYNAMIC_CODES)} dynamic codes",
        f"{limit_label(p.landing_pages, Resource.LANDING_PAGES)} landing pages",
        f"{limit_label(p.seats, Resource.SEATS)} team seats",
        f"{limit_label(p.media_bytes, Resource.MEDIA_BYTES)} media storage",
        f"Scans kept {RETENTION_LABELS[p.max_retention_days]}",
    ]


def plan_card(
    p: Plan,
    interval: rx.Var,
    currency: rx.Var,
    signed_in: rx.Var,
    action: Callable[[Plan], rx.Component] | None = None,
) -> rx.Component:
    """One plan's card; `action` replaces the default call-to-action (the billing page)."""
    button = (
        action(p)
        if action
        else link_button(
            "Start free" if not p.is_paid else f"Choose {p.name}",
            href=_choose_href(p, interval, currency, signed_in),
            variant="solid" if p.id is PlanId.PRO else "soft",
            width="100%",
            id=f"choose-{p.id.value}",
        )
    )
    return card(
        rx.vstack(
            rx.heading(p.name, size="5", as_="h2"),
            rx.text(p.tagline, **MUTED_MD),
            rx.hstack(
                rx.text(price_text(p, interval, currency), size="7", weight="bold"),
                rx.text(per_text(interval), **MUTED_MD),
                align="baseline",
                spacing="1",
                id=f"price-{p.id.value}",
            ),
            rx.el.ul(
                *[rx.el.li(rx.text(line, size="2")) for line in _limit_lines(p)],
                padding_left="18px",
                margin="0",
            ),
            rx.spacer(),
            button,
            spacing="3",
            height="100%",
            width="100%",
        ),
        id=f"plan-{p.id.value}",
    )


def plan_cards(
    interval: rx.Var,
    currency: rx.Var,
    signed_in: rx.Var,
    action: Callable[[Plan], rx.Component] | None = None,
) -> rx.Component:
    return rx.grid(
        *[plan_card(p, interval, currency, signed_in, action) for p in PLANS.values()],
        columns=rx.breakpoints(initial="1", sm="2", lg="4"),
        spacing="4",
        width="100%",
    )


def _choice_group(
    label: str, value: rx.Var, on_change, options: list[tuple[str, str]], id_: str
) -> rx.Component:
    """A real radio group (arrow keys move, one tab stop), labelled for screen readers."""
    return rx.hstack(
        rx.text(label, size="2", weight="medium", id=f"{id_}-label"),
        rx.radio_group.root(
            rx.hstack(
                *[
                    rx.text(
                        rx.hstack(
                            rx.radio_group.item(value=v, id=f"{id_}-{v.lower()}"),
                            text,
                            spacing="2",
                            align="center",
                        ),
                        as_="label",
                        size="2",
                    )
                    for v, text in options
                ],
                spacing="4",
            ),
            value=value,
            on_change=on_change,
            aria_labelledby=f"{id_}-label",
            id=id_,
        ),
        spacing="3",
        align="center",
        wrap="wrap",
    )


def toggles(interval: rx.Var, currency: rx.Var, on_interval, on_currency) -> rx.Component:
    return rx.hstack(
        _choice_group(
            "Billing",
            interval,
            on_interval,
            [(Interval.MONTH.value, "Monthly"), (Interval.YEAR.value, "Yearly (2 months free)")],
            "pricing-interval",
        ),
        _choice_group(
            "Currency",
            currency,
            on_currency,
            [(Currency.SEK.value, "SEK"), (Currency.EUR.value, "EUR")],
            "pricing-currency",
        ),
        spacing="6",
        wrap="wrap",
        justify="center",
    )


def _yes_no(value: bool) -> rx.Component:
    return rx.cond(
        value,
        rx.hstack(rx.icon("check", size=16, aria_hidden="true"), rx.text("Yes"), spacing="1"),
        rx.text("No", color_scheme="gray"),
    )


def _rows(interval: rx.Var, currency: rx.Var) -> list[tuple[str, Callable[[Plan], rx.Component]]]:
    """(row heading, the cell for a plan): every limit and feature core/plans knows."""

    def limit(resource: Resource) -> Callable[[Plan], rx.Component]:
        return lambda p: rx.text(limit_label(p.limit(resource), resource))

    return [
        ("Price", lambda p: rx.text(price_text(p, interval, currency), " ", per_text(interval))),
        ("Dynamic codes", limit(Resource.DYNAMIC_CODES)),
        ("Static codes", limit(Resource.STATIC_CODES)),
        ("Landing pages", limit(Resource.LANDING_PAGES)),
        ("Media storage", limit(Resource.MEDIA_BYTES)),
        ("Team seats", limit(Resource.SEATS)),
        ("Rows per bulk job", limit(Resource.BULK_ROWS)),
        (
            "API requests per minute",
            lambda p: rx.text(f"{p.api_per_minute:,}".replace(",", "\u202f")),
        ),
        (
            "Analytics retention",
            lambda p: rx.text(", ".join(RETENTION_LABELS[d] for d in p.retention_days)),
        ),
        ("Custom domains", lambda p: _yes_no(p.custom_domains)),
        ("White label", lambda p: _yes_no(p.white_label)),
        ("Single sign-on (SSO)", lambda p: _yes_no(p.sso)),
    ]


def comparison_table(interval: rx.Var, currency: rx.Var) -> rx.Component:
    """Every plan side by side: a real table (th scope col/row), scrolling sideways on a
    phone rather than squeezing."""
    plans = list(PLANS.values())
    return rx.box(
        rx.table.root(
            rx.el.caption(
                rx.text("Plans compared", size="4", weight="bold"),
                text_align="left",
                padding_bottom="8px",
            ),
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Feature", scope="col"),
                    *[rx.table.column_header_cell(p.name, scope="col") for p in plans],
                )
            ),
            rx.table.body(
                *[
                    rx.table.row(
                        rx.table.row_header_cell(title, scope="row"),
                        *[rx.table.cell(cell(p)) for p in plans],
                    )
                    for title, cell in _rows(interval, currency)
                ]
            ),
            variant="surface",
            size="2",
            width="100%",
            id="plan-comparison",
        ),
        width="100%",
        max_width="100%",
        min_width="0",
        overflow_x="auto",
        tab_index=0,
        role="region",
        aria_label="Plans compared",
    )


def fine_print() -> rx.Component:
    return rx.text(
        "Yearly plans cost ten months. Changing or cancelling a plan never deletes your "
        "codes: those beyond a smaller plan keep scanning and become read-only.",
        **MUTED_SM,
        align="center",
    )
