"""The public pricing page: the visitor's choice of interval and currency, and whether
they are signed in (paid plans then go straight to billing, else through the log-in)."""

from __future__ import annotations

import reflex as rx

from qrapp.core.plans import Currency, Interval
from qrapp.services.errors import ServiceError
from qrapp.state.base import load_actor


class PricingState(rx.State):
    interval: str = Interval.MONTH.value
    currency: str = Currency.SEK.value
    signed_in: bool = False

    @rx.event
    async def load(self):
        try:
            await load_actor(self)
        except ServiceError:
            self.signed_in = False
        else:
            self.signed_in = True

    @rx.event
    def choose_interval(self, value: str):
        if value in {i.value for i in Interval}:
            self.interval = value

    @rx.event
    def choose_currency(self, value: str):
        if value in {c.value for c in Currency}:
            self.currency = value
