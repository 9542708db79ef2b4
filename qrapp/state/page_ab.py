"""A landing page's A/B test (/landing-pages/<id>/ab-test): start one (what counts as a
conversion, the traffic split), the results table and verdict, new weights, stop, and
"make the winner the page". Every handler reloads the actor and goes through
services.pages.ab_tests, which checks the permission and the workspace; the browser gets
small row views (variant keys, counts, and the id of the variant's own page to edit)."""

from __future__ import annotations

import asyncio
from typing import TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.errors import FieldErrors, NotSignedIn, ServiceError
from qrapp.services.pages import ab_results, ab_tests, editing
from qrapp.state.base import client_ip, landing_page_id_from_path, load_actor


class VariantRow(TypedDict):
    key: str
    name: str
    weight: str
    views: str
    conversions: str
    rate: str
    lift: str
    p_value: str
    best: str
    edit_href: str  # the variant's own page in the builder ("" for A: the page itself)
    note: str  # a problem with the variant, in words ("" none)


class GoalOption(TypedDict):
    value: str
    label: str


def _percent(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"


def _row(v: ab_results.VariantView) -> VariantRow:
    return VariantRow(
        key=v.key,
        name=v.name,
        weight=str(v.weight),
        views=str(v.views),
        conversions=str(v.conversions),
        rate=_percent(v.rate),
        lift=_percent(v.lift, signed=True),
        p_value="—" if v.p_value is None else f"{v.p_value:.3f}",
        best=_percent(v.probability_best),
        edit_href=routes.landing_page(v.page_id) if v.page_id else "",
        note=(
            "This variant has no such button, link or form any more, so it cannot convert."
            if v.goal_missing
            else ""
        ),
    )


class PageAbState(rx.State):
    loaded: bool = False
    found: bool = True
    page_name: str = ""
    builder_href: str = ""
    published: bool = False
    can_edit: bool = False
    has_test: bool = False
    running: bool = False
    goal_label: str = ""
    started: str = ""
    verdict: str = ""
    suggested_winner: str = ""
    winner: str = ""
    rows: list[VariantRow] = []
    goals: list[GoalOption] = []
    goal: str = ""
    weight_a: str = "50"
    weight_b: str = "50"
    error: str = ""

    @rx.event
    async def load(self):
        self.error = ""
        await self._load()

    async def _load(self) -> None:
        try:
            page_id = landing_page_id_from_path(self, "ab-test")
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            page = await asyncio.to_thread(editing.get_page, actor=actor, page_id=page_id)
            goals = await asyncio.to_thread(ab_tests.goal_choices, actor=actor, page_id=page_id)
            view = await asyncio.to_thread(ab_results.results_of, actor=actor, page_id=page_id)
        except NotSignedIn:
            return
        except (ValueError, ServiceError):
            self.found, self.loaded = False, True
            return
        self.found = True
        self.page_name = page.name
        self.builder_href = routes.landing_page(str(page_id))
        self.published = page.status == "published"
        self.can_edit = actor.can(Permission.PAGES_EDIT)
        self.goals = [GoalOption(value=g.value, label=g.label) for g in goals]
        if self.goal not in {g.value for g in goals}:
            self.goal = goals[0].value if goals else ""
        self._show(view)
        self.loaded = True

    def _show(self, view: ab_results.AbTestView | None) -> None:
        self.has_test = view is not None
        if view is None:
            self.rows, self.running, self.verdict, self.winner = [], False, "", ""
            return
        self.running = view.status == "running"
        self.goal_label = view.goal_label
        self.started = view.started_at.strftime("%Y-%m-%d %H:%M UTC")
        self.verdict = view.verdict
        self.suggested_winner = view.suggested_winner
        self.winner = view.winner
        self.rows = [_row(v) for v in view.variants]
        if self.running:
            self.weight_a, self.weight_b = (self.rows[0]["weight"], self.rows[-1]["weight"])

    @rx.event
    def set_goal(self, value: str):
        self.goal = str(value)[:80]

    @rx.event
    def set_weight_a(self, value: str):
        self.weight_a = str(value)[:5]

    @rx.event
    def set_weight_b(self, value: str):
        self.weight_b = str(value)[:5]

    async def _act(self, call, done: str):
        """Run one service call for the page; show its message or reload the results."""
        self.error = ""
        try:
            page_id = landing_page_id_from_path(self, "ab-test")
            actor = await load_actor(self, Permission.PAGES_EDIT)
            await asyncio.to_thread(call, actor, page_id, client_ip(self))
        except FieldErrors as exc:
            self.error = next(iter(exc.errors.values()), exc.message)
            return None
        except (ValueError, ServiceError) as exc:
            self.error = getattr(exc, "message", "That page does not exist.")
            return None
        await self._load()
        return rx.toast.success(done)

    @rx.event
    async def start(self):
        goal, weights = self.goal, {"A": self.weight_a, "B": self.weight_b}
        return await self._act(
            lambda actor, page_id, ip: ab_tests.start_test(
                actor=actor, page_id=page_id, goal=goal, weights=weights, ip=ip
            ),
            "Test started. Visitors are now split between A and B.",
        )

    @rx.event
    async def save_weights(self):
        weights = {"A": self.weight_a, "B": self.weight_b}
        return await self._act(
            lambda actor, page_id, ip: ab_tests.set_weights(
                actor=actor, page_id=page_id, weights=weights, ip=ip
            ),
            "New split saved.",
        )

    @rx.event
    async def stop(self):
        return await self._act(
            lambda actor, page_id, ip: ab_tests.stop_test(actor=actor, page_id=page_id, ip=ip),
            "Test stopped. Every visitor sees the page again.",
        )

    @rx.event
    async def make_winner(self, key: str):
        key = str(key)[:4]
        return await self._act(
            lambda actor, page_id, ip: ab_tests.make_winner(
                actor=actor, page_id=page_id, key=key, ip=ip
            ),
            f"{key} is now the page.",
        )
