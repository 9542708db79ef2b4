"""The billing page: the overview as small view models, the plan chooser (plan, monthly or
yearly, SEK or EUR, way to pay) and the actions, each of which its service authorizes.

Over 400 lines: one state, because the chooser, the four ways to pay and the polling after
each (Checkout's return, Swish's app, Klarna's and PayPal's return) share the chosen plan
and the overview they refresh; the view models live in billing_views."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.core.plans import PLANS, Currency, Interval, PlanId, Standing, price_label
from qrapp.services.authz import actor_for_token, require
from qrapp.services.billing import overview as billing_overview
from qrapp.services.billing import payments
from qrapp.services.errors import NotSignedIn, PermissionDenied, ServiceError
from qrapp.services.mail import app_link
from qrapp.state.base import load_actor, query_param, session_token
from qrapp.state.billing_views import (
    DateView,
    InvoiceView,
    MeterView,
    PlanCardView,
    day_label,
    meter_view,
    plan_lines,
)

STANDING_LABELS = {
    Standing.FREE: ("Free", "gray"),
    Standing.TRIALING: ("Trial", "indigo"),
    Standing.ACTIVE: ("Active", "green"),
    Standing.GRACE: ("Payment due", "amber"),
    Standing.EXPIRED: ("Expired", "red"),
}
PROVIDER_LABELS = {
    "stripe": "Card (Stripe)",
    "swish": "Swish",
    "paypal": "PayPal",
    "klarna": "Klarna",
    "manual": "Invoice",
}
METHODS = ("card", "swish", "paypal", "klarna")
SWISH_POLL_SECONDS = 2.0
CONFIRM_POLL_SECONDS = 1.0
CONFIRM_POLL_LIMIT = 60
SWISH_POLL_LIMIT = 90  # three minutes: Swish cancels an unanswered request after that


# ?klarna=... as KLARNA_RETURN (or Klarna's cancel/failure/error URLs) sends people back.
_KLARNA_PROBLEMS = {
    "declined": "Klarna declined the payment. Nothing was charged: try again or choose "
    "another way to pay.",
    "cancelled": "You cancelled at Klarna. Nothing was charged.",
    "failed": "The Klarna payment could not be completed. Nothing was charged: please start again.",
    "pending": "Klarna has not confirmed the payment yet. We check again within minutes; "
    "please do not pay again.",
}


def _leave_for(url: str) -> rx.event.EventSpec:
    """This tab goes to the provider's page (rx.redirect's is_external opens a new tab)."""
    return rx.call_script(f"window.location.assign({json.dumps(url)})")


class BillingState(rx.State):
    loaded: bool = False
    allowed: bool = False  # BILLING_VIEW: owners and admins
    can_manage: bool = False  # BILLING_MANAGE: owners
    plan_id: str = "free"
    plan_name: str = "Free"
    standing: str = "free"
    standing_label: str = "Free"
    standing_colour: str = "gray"
    provider_label: str = ""
    interval: str = "month"
    currency: str = "SEK"
    cancel_at_period_end: bool = False
    stripe_subscription: bool = False  # a live Stripe subscription: change, portal, cancel
    subscribed_plan: str = ""  # the paid plan's name, kept after expiry
    dates: list[DateView] = []
    meters: list[MeterView] = []
    scans_this_month: str = "0"
    paused_codes: int = 0
    invoices: list[InvoiceView] = []

    # The plan chooser.
    show_interval: str = "month"
    show_currency: str = "SEK"
    chosen_plan: str = ""
    method: str = "card"
    phone: str = ""
    error: str = ""
    busy: bool = False
    cancel_open: bool = False

    # A started Swish payment: the id stays on the server; the browser gets the QR and link.
    _swish_id: str = ""
    swish_qr: str = ""
    swish_link: str = ""
    swish_status: str = ""  # "" | waiting | paid | failed
    swish_polling: bool = False

    # Back from a provider's checkout: its confirmation (a webhook) may land a moment later.
    confirming: bool = False
    # Back from Klarna's hosted page (?klarna=...): what became of the payment.
    klarna_notice: str = ""

    @rx.var
    def plan_cards(self) -> list[PlanCardView]:
        interval, currency = Interval(self.show_interval), Currency(self.show_currency)
        cards = []
        for p in PLANS.values():
            cards.append(
                PlanCardView(
                    id=p.id.value,
                    name=p.name,
                    tagline=p.tagline,
                    price=price_label(p.price(currency, interval), currency),
                    per="per year" if interval is Interval.YEAR else "per month",
                    current=p.id.value == self.plan_id,
                    chosen=p.id.value == self.chosen_plan,
                    enterprise=p.id is PlanId.ENTERPRISE,
                    lines=plan_lines(p),
                )
            )
        return cards

    @rx.var
    def chosen_name(self) -> str:
        try:
            return PLANS[PlanId(self.chosen_plan)].name
        except ValueError:
            return ""

    @rx.var
    def chosen_price(self) -> str:
        try:
            p = PLANS[PlanId(self.chosen_plan)]
        except ValueError:
            return ""
        currency = Currency.SEK if self.method == "swish" else Currency(self.show_currency)
        per = "a year" if self.show_interval == "year" else "a month"
        return f"{price_label(p.price(currency, Interval(self.show_interval)), currency)} {per}"

    async def _reload(self, actor) -> None:
        view = await asyncio.to_thread(billing_overview.billing_overview, actor=actor)
        self.allowed = True
        self.can_manage = view.can_manage
        self.plan_id = view.plan.id.value
        self.plan_name = view.plan.name
        self.standing = view.standing.value
        self.standing_label, self.standing_colour = STANDING_LABELS[view.standing]
        self.provider_label = PROVIDER_LABELS.get(view.provider, "")
        self.interval = view.interval
        self.currency = view.currency
        self.cancel_at_period_end = view.cancel_at_period_end
        self.stripe_subscription = view.has_provider_subscription
        self.subscribed_plan = view.subscribed_plan.name if view.subscribed_plan else ""
        self.dates = [
            DateView(label=label, value=day_label(value))
            for label, value in (
                ("Trial ends", view.trial_ends),
                ("Renews on", view.renews_on),
                ("Ends on" if view.standing is not Standing.EXPIRED else "Ended", view.ends_on),
                ("Every code scans until", view.grace_until),
            )
            if value is not None
        ]
        self.meters = [meter_view(m) for m in view.meters]
        self.scans_this_month = f"{view.scans_this_month:,}".replace(",", " ")
        self.paused_codes = view.paused_codes
        self.invoices = [
            InvoiceView(
                number=i.number,
                date=i.date.strftime("%Y-%m-%d"),
                amount=i.amount_label,
                status=i.status.capitalize(),
                url=i.url,
            )
            for i in view.invoices
        ]

    @rx.event
    async def load(self):
        self.error, self.busy, self.cancel_open = "", False, False
        self.loaded, self.klarna_notice = False, ""
        try:
            actor = await load_actor(self)
        except NotSignedIn:
            return  # the shell's guard sends the browser to the login page
        try:
            await self._reload(actor)
        except PermissionDenied:
            self.allowed = False
            self.loaded = True
            return
        # ?plan=pro&interval=year&currency=EUR from /pricing: that choice, preselected.
        plan_q, interval_q = query_param(self, "plan"), query_param(self, "interval")
        currency_q = query_param(self, "currency").upper()
        if interval_q in ("month", "year"):
            self.show_interval = interval_q
        elif self.standing != "free":
            self.show_interval = self.interval
        if currency_q in ("SEK", "EUR"):
            self.show_currency = currency_q
        elif self.standing != "free":
            self.show_currency = self.currency
        if self.can_manage and plan_q in ("pro", "business"):
            self.chosen_plan = plan_q
        self.loaded = True
        klarna_outcome = query_param(self, "klarna")
        if klarna_outcome == "paid":
            self.klarna_notice = "Thank you: Klarna confirmed the payment and your plan is on."
        elif klarna_outcome in _KLARNA_PROBLEMS:
            self.error = _KLARNA_PROBLEMS[klarna_outcome]
        paypal_sub = query_param(self, "subscription_id")
        if query_param(self, "paypal") == "approved" and paypal_sub and self.can_manage:
            # Back from PayPal: its answer is read now rather than waiting for the webhook.
            try:
                await asyncio.to_thread(
                    payments.paypal_confirm, actor=actor, subscription_id=paypal_sub
                )
                await self._reload(actor)
            except ServiceError as exc:
                self.error = exc.message
            return
        paid_already = self.standing in ("trialing", "active")
        if query_param(self, "checkout") == "done" and self.can_manage and not paid_already:
            self.confirming = True
            return BillingState.watch_payment

    async def _manager(self):
        """The actor, if they may manage billing; sets the page's error otherwise."""
        try:
            return await load_actor(self, Permission.BILLING_MANAGE)
        except NotSignedIn:
            self.error = "Your session has ended. Please log in again."
        except ServiceError:
            self.error = "Only the workspace's owners can change its plan or payment."
        return None

    @rx.event
    def set_show_interval(self, value: str | list[str]):
        self.show_interval = value if value in ("month", "year") else "month"

    @rx.event
    def set_show_currency(self, value: str | list[str]):
        self.show_currency = value if value in ("SEK", "EUR") else "SEK"

    @rx.event
    def set_method(self, value: str | list[str]):
        self.method = value if value in METHODS else "card"
        self.error = ""

    @rx.event
    def set_phone(self, value: str):
        self.phone = str(value)[:20]

    @rx.event
    def choose_plan(self, plan_id: str):
        self.error = ""
        self.chosen_plan = plan_id if plan_id in ("free", "pro", "business") else ""
        self.swish_status = ""

    @rx.event
    def clear_choice(self):
        self.chosen_plan, self.error, self.swish_status = "", "", ""

    @rx.event
    def set_cancel_open(self, value: bool):
        self.cancel_open = bool(value)

    @rx.event
    async def pay(self):
        """Start paying for the chosen plan in the chosen way."""
        self.error = ""
        actor = await self._manager()
        if actor is None:
            return
        plan_id, interval, currency = self.chosen_plan, self.show_interval, self.show_currency
        back = app_link(routes.BILLING)
        self.busy = True
        yield
        try:
            if self.method == "card":
                url = await asyncio.to_thread(
                    payments.card_checkout_url,
                    actor=actor,
                    plan_id=plan_id,
                    interval=interval,
                    currency=currency,
                    success_url=back + "?checkout=done",
                    cancel_url=back,
                )
            elif self.method == "paypal":
                url = await asyncio.to_thread(
                    payments.paypal_approve_url,
                    actor=actor,
                    plan_id=plan_id,
                    interval=interval,
                    currency=currency,
                )
            elif self.method == "klarna":
                url = await asyncio.to_thread(
                    payments.klarna_start_url,
                    actor=actor,
                    plan_id=plan_id,
                    interval=interval,
                    currency=currency,
                )
            else:
                started = await asyncio.to_thread(
                    payments.start_swish,
                    actor=actor,
                    plan_id=plan_id,
                    interval=interval,
                    phone=self.phone.strip() or None,
                )
                self._swish_id = started.id
                self.swish_qr, self.swish_link = started.qr_image, started.deep_link
                self.swish_status = "waiting"
                self.busy = False
                yield BillingState.poll_swish
                return
        except ServiceError as exc:
            self.error, self.busy = exc.message, False
            return
        self.busy = False
        yield _leave_for(url)

    @rx.event(background=True)
    async def poll_swish(self):
        """Ask Swish (through our service, which reads the status from Swish itself) until
        the payment is final; the page shows a progress indicator meanwhile."""
        async with self:
            if self.swish_polling or not self._swish_id:
                return
            self.swish_polling = True
            payment_id = self._swish_id
            token = session_token(self)
        try:
            for _ in range(SWISH_POLL_LIMIT):
                await asyncio.sleep(SWISH_POLL_SECONDS)
                try:
                    # Authorized again on every round: the session may end while waiting.
                    actor = await asyncio.to_thread(actor_for_token, token)
                    require(actor, Permission.BILLING_MANAGE)
                    status = await asyncio.to_thread(
                        payments.swish_status, actor=actor, payment_id=payment_id
                    )
                except ServiceError as exc:
                    async with self:
                        self.error, self.swish_status = exc.message, "failed"
                    return
                if status == "PAID":
                    async with self:
                        self.swish_status, self.chosen_plan = "paid", ""
                        await self._reload(actor)
                    return
                if status in ("DECLINED", "ERROR", "CANCELLED"):
                    async with self:
                        self.swish_status = "failed"
                        self.error = "The Swish payment did not go through. Nothing was charged."
                    return
            async with self:
                self.swish_status = "failed"
                self.error = "Swish did not answer in time. Try again."
        finally:
            async with self:
                self.swish_polling = False

    @rx.event(background=True)
    async def watch_payment(self):
        """After a checkout: read the overview again until the payment shows (the provider's
        event is processed by the worker), then stop; a minute at most."""
        async with self:
            before = (self.plan_id, self.standing, self.invoices)
            token = session_token(self)
        try:
            for _ in range(CONFIRM_POLL_LIMIT):
                await asyncio.sleep(CONFIRM_POLL_SECONDS)
                try:
                    actor = await asyncio.to_thread(actor_for_token, token)
                    require(actor, Permission.BILLING_VIEW)
                except ServiceError:
                    return
                async with self:
                    await self._reload(actor)
                    if (self.plan_id, self.standing, self.invoices) != before:
                        return
        finally:
            async with self:
                self.confirming = False

    @rx.event
    async def change_plan(self):
        """An existing Stripe subscription to the chosen plan (Free = cancel at period end)."""
        self.error = ""
        actor = await self._manager()
        if actor is None:
            return
        try:
            await asyncio.to_thread(
                payments.change_plan,
                actor=actor,
                plan_id=self.chosen_plan,
                interval=self.show_interval,
            )
            await self._reload(actor)
        except ServiceError as exc:
            self.error = exc.message
            return
        self.chosen_plan = ""
        return rx.toast.success("Your plan change is on its way; this page updates shortly.")

    @rx.event
    async def open_portal(self):
        self.error = ""
        actor = await self._manager()
        if actor is None:
            return
        try:
            url = await asyncio.to_thread(
                payments.portal_url, actor=actor, return_url=app_link(routes.BILLING)
            )
        except ServiceError as exc:
            self.error = exc.message
            return
        return _leave_for(url)

    @rx.event
    async def confirm_cancel(self):
        self.cancel_open = False
        actor = await self._manager()
        if actor is None:
            return
        try:
            await asyncio.to_thread(payments.cancel_at_period_end, actor=actor)
            await self._reload(actor)
        except ServiceError as exc:
            self.error = exc.message
            return
        return rx.toast.success("Your subscription ends at the end of the paid period.")

    @rx.event
    async def resume(self):
        self.error = ""
        actor = await self._manager()
        if actor is None:
            return
        try:
            await asyncio.to_thread(payments.resume, actor=actor)
            await self._reload(actor)
        except ServiceError as exc:
            self.error = exc.message
            return
        return rx.toast.success("Your subscription continues.")

    @rx.event
    async def refresh(self):
        """Read the overview again (after a payment the webhook may land a moment later)."""
        try:
            actor = await load_actor(self, Permission.BILLING_VIEW)
            await self._reload(actor)
        except ServiceError:
            return
