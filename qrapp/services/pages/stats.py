"""Landing-page analytics: views, unique visitors and clicks per block, read from the
daily rollup the ingest keeps (page_daily; services.scans.page_ingest). Human counts
only: bots and link previewers are counted apart.

For the builder's page screen (`page_stats`) and the page list (`views_by_page`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from qrapp.core.permissions import Permission
from qrapp.db import read_session
from qrapp.models import LandingPage
from qrapp.models.page_events import CLICK, VIEW
from qrapp.models.types import utcnow
from qrapp.services.authz import Actor, require
from qrapp.services.errors import NotFound

MAX_DAYS = 366


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    views: int
    uniques: int
    clicks: int


@dataclass(frozen=True)
class PageStats:
    days: int
    views: int
    uniques: int
    bots: int
    clicks: int
    # click target id -> human clicks, most clicked first. A target is a block's id
    # (button, map, app store, download), a link-list item's id, or "<block id>-<part>"
    # (a contact card's phone/email/web, a rich text's n-th link, an app store's
    # -ios/-android badge).
    clicks_by_target: dict[str, int] = field(default_factory=dict)
    # the same summed per block id (the part before "-"), most clicked first
    clicks_by_block: dict[str, int] = field(default_factory=dict)
    daily: list[DayCount] = field(default_factory=list)  # oldest first, every day


def _workspace_page(s, workspace_id: uuid.UUID, page_id: uuid.UUID | str) -> LandingPage:
    try:
        key = page_id if isinstance(page_id, uuid.UUID) else uuid.UUID(str(page_id))
    except ValueError:
        raise NotFound("Landing page") from None
    page = s.get(LandingPage, key)
    if page is None or page.workspace_id != workspace_id:
        raise NotFound("Landing page")  # another workspace's page is "not found" too
    return page


def page_stats(*, actor: Actor, page_id: uuid.UUID | str, days: int = 30) -> PageStats:
    """The page's counts over the last `days` UTC days (today included)."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    days = max(1, min(int(days), MAX_DAYS))
    today = utcnow().date()
    start = today - dt.timedelta(days=days - 1)
    t = SQLModel.metadata.tables["page_daily"]
    with read_session() as s:
        page = _workspace_page(s, workspace_id, page_id)
        rows = s.execute(
            sa.select(t.c.day, t.c.kind, t.c.target, t.c.count, t.c.uniques, t.c.bots).where(
                t.c.page_id == page.id, t.c.workspace_id == workspace_id, t.c.day >= start
            )
        ).all()
    per_day = {start + dt.timedelta(days=i): [0, 0, 0] for i in range(days)}
    views = uniques = bots = clicks = 0
    by_target: dict[str, int] = {}
    for day, kind, target, count, day_uniques, day_bots in rows:
        bots += day_bots
        slot = per_day.get(day)
        if kind == VIEW:
            views += count
            uniques += day_uniques
            if slot is not None:
                slot[0] += count
                slot[1] += day_uniques
        elif kind == CLICK:
            clicks += count
            if count:
                by_target[target] = by_target.get(target, 0) + count
            if slot is not None:
                slot[2] += count
    by_block: dict[str, int] = {}
    for target, n in by_target.items():
        block = target.split("-", 1)[0]
        by_block[block] = by_block.get(block, 0) + n
    return PageStats(
        days=days,
        views=views,
        uniques=uniques,
        bots=bots,
        clicks=clicks,
        clicks_by_target=dict(sorted(by_target.items(), key=lambda kv: (-kv[1], kv[0]))),
        clicks_by_block=dict(sorted(by_block.items(), key=lambda kv: (-kv[1], kv[0]))),
        daily=[DayCount(d, v[0], v[1], v[2]) for d, v in sorted(per_day.items())],
    )


def views_by_page(*, actor: Actor, days: int | None = None) -> dict[str, int]:
    """Human views per page id (as text) of the actor's workspace, all time or the last
    `days` UTC days: the page list's "views" column in one query."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    t = SQLModel.metadata.tables["page_daily"]
    q = sa.select(t.c.page_id, sa.func.coalesce(sa.func.sum(t.c.count), 0)).where(
        t.c.workspace_id == workspace_id, t.c.kind == VIEW
    )
    if days:
        q = q.where(t.c.day >= utcnow().date() - dt.timedelta(days=max(1, days) - 1))
    with read_session() as s:
        rows = s.execute(q.group_by(t.c.page_id)).all()
    return {str(page_id): int(n) for page_id, n in rows}


def view_totals(session: Session, page_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """All-time human views per page, inside the caller's session (already scoped to the
    workspace by the caller's page list): the page list's "views" column."""
    if not page_ids:
        return {}
    t = SQLModel.metadata.tables["page_daily"]
    rows = session.execute(
        sa.select(t.c.page_id, sa.func.coalesce(sa.func.sum(t.c.count), 0))
        .where(t.c.page_id.in_(page_ids), t.c.kind == VIEW)
        .group_by(t.c.page_id)
    ).all()
    return {page_id: int(n) for page_id, n in rows}


@dataclass(frozen=True)
class PagesTotal:
    views: int
    uniques: int
    clicks: int


def pages_total(
    *, actor: Actor, page_ids: list[uuid.UUID], first_day: dt.date, last_day: dt.date
) -> PagesTotal:
    """Human views, unique visitors and clicks of the workspace's pages among `page_ids`
    over UTC days first_day..last_day (the analytics "page" filter's summary). Ids of
    other workspaces' pages count nothing."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    if not page_ids:
        return PagesTotal(0, 0, 0)
    t = SQLModel.metadata.tables["page_daily"]
    with read_session() as s:
        rows = s.execute(
            sa.select(t.c.kind, sa.func.sum(t.c.count), sa.func.sum(t.c.uniques))
            .where(
                t.c.workspace_id == workspace_id,
                t.c.page_id.in_(page_ids),
                t.c.day >= first_day,
                t.c.day <= last_day,
            )
            .group_by(t.c.kind)
        ).all()
    got = {kind: (int(n or 0), int(u or 0)) for kind, n, u in rows}
    views, uniques = got.get(VIEW, (0, 0))
    return PagesTotal(views=views, uniques=uniques, clicks=got.get(CLICK, (0, 0))[0])
