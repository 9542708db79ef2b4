"""The analytics dashboard: filters mirrored in the URL, the data as small view models and
plotly figures, and a live task that refreshes the page when scans arrive.

Every handler loads the actor and checks WORKSPACE_VIEW; client arguments go through
AnalyticsFilter (unknown values fall back to defaults). No ids of other workspaces can
appear: the services scope every query by the actor's workspace.

Over 400 lines: every chart, table and the live task read the same filter and are
rebuilt together; the data itself comes from services.analytics.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import TypedDict
from urllib.parse import parse_qs

import plotly.graph_objects as go
import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.analytics import dashboard, handoff, views
from qrapp.services.analytics import live as scan_signal
from qrapp.services.analytics.filters import RANGE_LABELS, AnalyticsFilter
from qrapp.services.analytics.live import ScanWatcher
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.services.pages import stats as page_stats
from qrapp.settings import get_settings
from qrapp.state import analytics_figures as figures
from qrapp.state.bars import CodeView, code_bars, number, percent
from qrapp.state.base import load_actor
from qrapp.state.connection import connected as _connected

log = logging.getLogger(__name__)

PAGE = routes.ANALYTICS
ALL = "all"  # the select value meaning "no filter" (Radix selects refuse "")
_LIVE_MAX_SECONDS = 12 * 3600
_AUTH_RECHECK_SECONDS = 60.0
# client token -> run id of the live task serving that browser tab in this process
_LIVE: dict[str, str] = {}


class KpiView(TypedDict):
    scans: str
    uniques: str
    human_share: str
    bots: str
    today: str
    change: str
    change_up: bool
    change_known: bool
    uniques_change: str
    uniques_up: bool
    uniques_known: bool


class RowView(TypedDict):
    label: str
    flag: str
    scans: str
    share: str
    width: str


class FeedView(TypedDict):
    id: str
    time: str
    flag: str
    place: str
    device: str
    code: str
    source: str
    bot: bool


class OptionView(TypedDict):
    value: str
    label: str


NO_SCANS = "\u2013"  # an en dash: a share or rate with no scans to take it from


def _change(value: float | None) -> tuple[str, bool, bool]:
    if value is None:
        return "new", True, False
    return f"{value:+.0%}", value >= 0, True


def _rows(rows: list[views.BreakdownRow]) -> list[RowView]:
    top = max((r.scans for r in rows), default=0) or 1
    return [
        RowView(
            label=r.label,
            flag=r.country,
            scans=number(r.scans),
            share=percent(r.share),
            width=f"{max(2, round(100 * r.scans / top))}%",
        )
        for r in rows
    ]


def _feed(rows: list[views.FeedRow]) -> list[FeedView]:
    return [
        FeedView(
            id=str(r.event_id),
            time=r.local_time,
            flag=r.country,
            place=", ".join(p for p in (r.city, r.country) if p) or "Unknown place",
            device=" · ".join(p for p in (r.device, r.os, r.browser) if p and p != "Unknown"),
            code=r.code_name,
            source=r.source,
            bot=r.is_bot,
        )
        for r in rows
    ]


def _toggled(chosen: list[str], value: str) -> list[str]:
    return [v for v in chosen if v != value] if value in chosen else [*chosen, value]


def _page_summary(actor, filt: AnalyticsFilter, data: views.Dashboard) -> str:
    """With a page picked: its own views and clicks over the range's days (the scans
    above are those of the codes pointing at it)."""
    if not filt.pages:
        return ""
    window = data.window
    total = page_stats.pages_total(
        actor=actor,
        page_ids=list(filt.pages),
        first_day=window.first_day,
        last_day=window.last_day,
    )
    return (
        f"On the page itself: {number(total.views)} views, {number(total.uniques)} unique "
        f"visitors, {number(total.clicks)} clicks (scans above: the codes that open it)."
    )


class AnalyticsState(rx.State):
    # The filter, as in the URL.
    range_key: str = "30d"
    date_from: str = ""
    date_to: str = ""
    selected_codes: list[str] = []
    selected_tags: list[str] = []
    code_search: str = ""
    folder_id: str = ALL
    page_id: str = ALL
    include_bots: bool = False

    # Options of the filter menus (the workspace's own).
    code_options: list[OptionView] = []
    tag_options: list[OptionView] = []
    folder_options: list[OptionView] = []
    page_options: list[OptionView] = []
    page_summary: str = ""  # the chosen page's own views and clicks in the range

    # The data.
    loaded: bool = False
    error: str = ""
    range_text: str = ""
    timezone: str = "UTC"
    granularity: str = "day"
    kpis: KpiView = KpiView(
        scans="0",
        uniques="0",
        human_share=NO_SCANS,
        bots="0",
        today="0",
        change="",
        change_up=True,
        change_known=False,
        uniques_change="",
        uniques_up=True,
        uniques_known=False,
    )
    # Never drawn before load fills them (the live view waits for `loaded`): without
    # plotly's template, which every page's initial state carried four times (issue 19).
    series_fig: go.Figure = go.Figure(layout={"template": {}})
    heatmap_fig: go.Figure = go.Figure(layout={"template": {}})
    map_fig: go.Figure = go.Figure(layout={"template": {}})
    device_fig: go.Figure = go.Figure(layout={"template": {}})
    countries: list[RowView] = []
    cities: list[RowView] = []
    devices: list[RowView] = []
    oses: list[RowView] = []
    browsers: list[RowView] = []
    languages: list[RowView] = []
    referrers: list[RowView] = []
    sources: list[RowView] = []
    top_codes: list[CodeView] = []
    feed: list[FeedView] = []
    has_codes: bool = True
    has_scans_in_range: bool = False
    has_any_scans: bool = True
    code_name: str = ""
    can_export: bool = False
    query: str = ""
    live: bool = False
    updated_at: str = ""
    _marker: tuple | None = None  # the workspace's scan marker when the data was read

    # --- filter ------------------------------------------------------------------------

    def _filter(self) -> AnalyticsFilter:
        return AnalyticsFilter.from_query(parse_qs(self.query))

    def _set_filter(self, filt: AnalyticsFilter) -> None:
        self.query = filt.to_query()
        self.range_key = filt.range
        self.date_from = filt.start.isoformat() if filt.start else ""
        self.date_to = filt.end.isoformat() if filt.end else ""
        self.selected_codes = [str(c) for c in filt.codes]
        self.selected_tags = list(filt.tags)
        self.folder_id = str(filt.folders[0]) if filt.folders else ALL
        self.page_id = str(filt.pages[0]) if filt.pages else ALL
        self.include_bots = filt.bots

    def _params(self) -> dict[str, list[str]]:
        return parse_qs(self.query)

    async def _change(self, **changes: str | list[str] | None):
        """Apply filter changes from the client (a value, or the whole list of a
        many-valued one): validated by AnalyticsFilter."""
        params = self._params()
        for key, value in changes.items():
            values = value if isinstance(value, list) else [value]
            values = [str(v)[:100] for v in values if v not in (None, "", ALL)]
            if values:
                params[key] = values
            else:
                params.pop(key, None)
        filt = AnalyticsFilter.from_query(params)
        self._set_filter(filt)
        url = PAGE + (f"?{self.query}" if self.query else "")
        error = await self._reload()
        return [rx.call_script(f"window.history.replaceState(null, '', {json.dumps(url)})")] + (
            [error] if error else []
        )

    @rx.event
    async def set_range(self, value: str):
        if value == "custom":
            return self._open_custom()
        return await self._change(range=str(value), **{"from": None, "to": None})

    def _open_custom(self):
        self.range_key = "custom"

    @rx.event
    async def apply_custom(self, form: dict):
        start, end = str(form.get("from", ""))[:10], str(form.get("to", ""))[:10]
        return await self._change(range="custom", **{"from": start, "to": end})

    @rx.event
    async def set_code(self, value: str):
        return await self._change(code=str(value))

    @rx.event
    async def toggle_code(self, value: str):
        return await self._change(code=_toggled(self.selected_codes, str(value)))

    @rx.event
    async def clear_codes(self):
        return await self._change(code=None)

    @rx.event
    def set_code_search(self, value: str):
        self.code_search = str(value)[:100]

    @rx.event
    async def toggle_tag(self, value: str):
        return await self._change(tag=_toggled(self.selected_tags, str(value)))

    @rx.event
    async def clear_tags(self):
        return await self._change(tag=None)

    @rx.var
    def codes_label(self) -> str:
        """The code menu's button: which codes the view counts."""
        chosen = self.selected_codes
        if not chosen:
            return "All codes"
        if len(chosen) == 1:
            names = {o["value"]: o["label"] for o in self.code_options}
            return names.get(chosen[0], "1 code")
        return f"{len(chosen)} codes"

    @rx.var
    def tags_label(self) -> str:
        chosen = self.selected_tags
        if not chosen:
            return "All tags"
        return chosen[0] if len(chosen) == 1 else f"{len(chosen)} tags"

    @rx.event
    async def set_folder(self, value: str):
        return await self._change(folder=str(value))

    @rx.event
    async def set_page(self, value: str):
        return await self._change(page=str(value))

    @rx.event
    async def set_include_bots(self, value: bool):
        return await self._change(bots="1" if value is True else None)

    @rx.event
    async def clear_filters(self):
        self._set_filter(AnalyticsFilter())
        await self._reload()
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(PAGE)})")

    # --- loading -----------------------------------------------------------------------

    @rx.event
    async def load(self):
        """on_load: the filter from the URL, the data, then live updates."""
        self._set_filter(AnalyticsFilter.from_query(parse_qs(self.router.url.query or "")))
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            options = await asyncio.to_thread(dashboard.filter_options, actor=actor)
        except NotSignedIn:
            return
        except ServiceError as exc:
            self.error = exc.message
            self.loaded = True  # the page shows the error rather than its skeleton
            return
        self.code_options = [OptionView(value=str(i), label=n) for i, n in options.codes]
        self.tag_options = [OptionView(value=t, label=t) for t in options.tags]
        self.folder_options = [OptionView(value=str(i), label=n) for i, n in options.folders]
        self.page_options = [OptionView(value=str(i), label=n) for i, n in options.pages]
        self.can_export = actor.can(Permission.ANALYTICS_EXPORT)
        await self._reload(actor, after_first_view=True)
        return AnalyticsState.live_updates

    async def _reload(self, actor=None, after_first_view: bool = False):
        try:
            actor = actor or await load_actor(self, Permission.WORKSPACE_VIEW)
            self._marker = await asyncio.to_thread(scan_signal.marker, actor.workspace_id)
            if after_first_view:  # the page's HTML may have just read this very view
                data = await asyncio.to_thread(
                    handoff.read_for_load, actor=actor, filters=self._filter(), marker=self._marker
                )
            else:
                data = await asyncio.to_thread(
                    dashboard.dashboard, actor=actor, filters=self._filter()
                )
        except NotSignedIn:
            return rx.redirect(routes.LOGIN)
        except ServiceError as exc:
            self.error = exc.message
            self.loaded = True
            return rx.toast.error(exc.message)
        self._apply(data)
        self.page_summary = await asyncio.to_thread(_page_summary, actor, self._filter(), data)
        return None

    def _apply(self, data: views.Dashboard) -> None:
        k = data.kpis
        change, up, known = _change(k.change)
        u_change, u_up, u_known = _change(k.uniques_change)
        self.kpis = KpiView(
            scans=number(k.scans),
            uniques=number(k.uniques),
            # A share of nothing is no share: "100%" beside 0 scans reads as a claim.
            human_share=percent(k.human_share) if k.humans + k.bots else NO_SCANS,
            bots=number(k.bots),
            today=number(k.scans_today),
            change=change,
            change_up=up,
            change_known=known,
            uniques_change=u_change,
            uniques_up=u_up,
            uniques_known=u_known,
        )
        w = data.window
        self.range_text = (
            f"{w.first_day:%b %d, %Y}"
            if w.first_day == w.last_day
            else f"{w.first_day:%b %d} - {w.last_day:%b %d, %Y}"
        )
        self.timezone = data.timezone
        self.granularity = w.granularity
        self.series_fig = figures.timeseries(data)
        self.heatmap_fig = figures.heatmap(data)
        b = data.breakdowns
        self.map_fig = figures.world_map(b["country"])
        self.device_fig = figures.donut(b["device"])
        self.countries, self.cities = _rows(b["country"]), _rows(b["city"])
        self.devices, self.oses, self.browsers = (
            _rows(b["device"]),
            _rows(b["os"]),
            _rows(b["browser"]),
        )
        self.languages, self.referrers = _rows(b["language"]), _rows(b["referrer"])
        self.sources = _rows(b["source"])
        self.top_codes = code_bars((c.id, c.name, c.scans, c.share) for c in data.top_codes)
        self.feed = _feed(data.feed)
        self.has_codes = data.has_codes
        self.has_any_scans = data.has_any_scans
        self.has_scans_in_range = (k.scans + k.bots) > 0
        self.code_name = data.code.name if data.code else ""
        self.updated_at = time.strftime("%H:%M:%S")
        self.error = ""
        self.loaded = True

    @rx.var
    def range_label(self) -> str:
        return RANGE_LABELS.get(self.range_key, "")

    @rx.var
    def export_base(self) -> str:
        return get_settings().public_api_url + routes.ANALYTICS_EXPORT

    # --- live --------------------------------------------------------------------------

    @rx.event(background=True)
    async def live_updates(self):
        """Wait for new scans of the workspace and refresh; one task per tab, it ends when
        the tab closes or leaves the page, the session ends or the role loses access."""
        token = self.router.session.client_token
        run_id = uuid.uuid4().hex
        # The newest start wins: a task of an earlier load of this tab sees it is no longer
        # the tab's and ends after its current wait without touching the state, so a tab
        # never has two live tasks refreshing it.
        _LIVE[token] = run_id
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
        except ServiceError:
            if _LIVE.get(token) == run_id:
                _LIVE.pop(token, None)
            return
        watcher = ScanWatcher(actor.workspace_id)
        started = last_auth = time.monotonic()
        try:
            async with self:
                baseline = self._marker
            await watcher.start(baseline)
            async with self:
                self.live = True
            poll = max(0.2, get_settings().analytics_live_poll_seconds)
            while _LIVE.get(token) == run_id and _connected(token):
                if time.monotonic() - started > _LIVE_MAX_SECONDS:
                    break
                changed = await watcher.wait(poll)
                if _LIVE.get(token) != run_id or not _connected(token):
                    break
                if time.monotonic() - last_auth > _AUTH_RECHECK_SECONDS:
                    actor = await load_actor(self, Permission.WORKSPACE_VIEW)
                    last_auth = time.monotonic()
                if not changed:
                    continue
                async with self:
                    filt = self._filter()
                marker = watcher.last
                data = await asyncio.to_thread(dashboard.dashboard, actor=actor, filters=filt)
                async with self:
                    if _LIVE.get(token) == run_id and self._filter() == filt:
                        self._apply(data)
                        self._marker = marker
        except ServiceError:
            pass  # signed out or access removed: stop quietly
        except Exception:
            log.exception("live analytics task failed")
        finally:
            await watcher.close()
            if _LIVE.get(token) == run_id:
                _LIVE.pop(token, None)
                if _connected(token):
                    async with self:
                        self.live = False

    @rx.event
    def stop_live(self):
        """on_unmount: the tab left the page."""
        _LIVE.pop(self.router.session.client_token, None)
        self.live = False
