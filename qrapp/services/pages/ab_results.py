"""The results of a landing page's A/B test: visitors and conversions per variant (people
only, within the test's time), the statistics of core.ab_tests and the verdict."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from qrapp.core import ab_tests
from qrapp.core.permissions import Permission
from qrapp.db import read_session
from qrapp.models import LandingPageVersion, PageTest, PageVariant
from qrapp.models.page_events import CLICK, LEAD, VIEW
from qrapp.services.authz import Actor, require
from qrapp.services.pages.ab_tests import as_uuid, goals_of, variants_of
from qrapp.services.pages.common import page_in_workspace_or_raise


@dataclass(frozen=True)
class VariantView:
    key: str
    name: str
    weight: int
    page_id: str  # the page to edit the variant in ("" for A: the tested page itself)
    views: int
    conversions: int
    rate: float
    lift: float | None
    p_value: float | None
    probability_best: float
    # The variant's page has no such button, link or form (replaced in its builder): its
    # visitors cannot convert, and the comparison says nothing.
    goal_missing: bool = False


@dataclass(frozen=True)
class AbTestView:
    test_id: str
    status: str  # running | stopped
    goal: str
    goal_label: str
    started_at: dt.datetime
    stopped_at: dt.datetime | None
    winner: str  # the key made the page ("" none yet)
    suggested_winner: str  # what the data names ("" not yet)
    enough_data: bool
    verdict: str
    variants: tuple[VariantView, ...]


def _counts(
    session: Session, page_id: uuid.UUID, test: PageTest, keys: list[str]
) -> dict[str, tuple[int, int]]:
    """Per variant: (visitors who saw it, of them visitors who reached the goal). People
    only (bots and previewers left out), within the test's time."""
    t = SQLModel.metadata.tables["page_event"]
    where = [
        t.c.page_id == page_id,
        t.c.variant.in_(keys),
        t.c.occurred_at >= test.started_at,
        t.c.is_bot.is_(False),
    ]
    if test.stopped_at is not None:
        where.append(t.c.occurred_at <= test.stopped_at)
    if test.goal_kind == "lead":
        goal = (
            sa.and_(t.c.kind == LEAD, t.c.target == test.goal_target)
            if test.goal_target
            else (t.c.kind == LEAD)
        )
    else:
        goal = sa.and_(t.c.kind == CLICK, t.c.target == test.goal_target)
    views = dict(
        session.execute(
            sa.select(t.c.variant, sa.func.count(sa.distinct(t.c.visitor_hash)))
            .where(*where, t.c.kind == VIEW)
            .group_by(t.c.variant)
        ).all()
    )
    conversions = dict(
        session.execute(
            sa.select(t.c.variant, sa.func.count(sa.distinct(t.c.visitor_hash)))
            .where(*where, goal)
            .group_by(t.c.variant)
        ).all()
    )
    return {k: (int(views.get(k, 0)), int(conversions.get(k, 0))) for k in keys}


def _has_goal(variant: PageVariant, test: PageTest) -> bool:
    if test.goal_kind == "lead":
        return bool(variant.forms) and (
            not test.goal_target or test.goal_target in (variant.forms or {})
        )
    return test.goal_target in (variant.clicks or {})


def results_of(*, actor: Actor, page_id: uuid.UUID | str) -> AbTestView | None:
    """The page's current test (else its latest) with counts, statistics and the verdict;
    None when the page was never tested."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        page = page_in_workspace_or_raise(s, workspace_id, as_uuid(page_id, "page"))
        test = s.exec(
            select(PageTest)
            .where(col(PageTest.page_id) == page.id, col(PageTest.workspace_id) == workspace_id)
            .order_by(col(PageTest.started_at).desc())
        ).first()
        if test is None:
            return None
        variants = variants_of(s, test)
        counts = _counts(s, page.id, test, [v.key for v in variants])
        goal_value = f"{test.goal_kind}:{test.goal_target}"
        goal_label = goal_value
        version = s.exec(
            select(LandingPageVersion).where(
                col(LandingPageVersion.page_id) == page.id,
                col(LandingPageVersion.number) == page.published_version,
            )
        ).first()
        if version is not None:
            goal_label = next(
                (g.label for g in goals_of(version) if g.value == goal_value), goal_value
            )
    result = ab_tests.analyse([ab_tests.VariantCounts(v.key, *counts[v.key]) for v in variants])
    views = tuple(
        VariantView(
            key=v.key,
            name=v.name,
            weight=v.weight,
            page_id=str(v.source_page_id or ""),
            views=r.views,
            conversions=r.conversions,
            rate=r.rate,
            lift=r.lift,
            p_value=r.p_value,
            probability_best=r.probability_best,
            goal_missing=v.key != "A" and not _has_goal(v, test),
        )
        for v, r in zip(variants, result.variants, strict=True)
    )
    return AbTestView(
        test_id=str(test.id),
        status=test.status,
        goal=goal_value,
        goal_label=goal_label,
        started_at=test.started_at,
        stopped_at=test.stopped_at,
        winner=test.winner,
        suggested_winner=result.winner,
        enough_data=result.enough_data,
        verdict=result.verdict,
        variants=views,
    )
