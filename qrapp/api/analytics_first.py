"""The analytics page (/analytics) with its KPIs and first chart in its HTML.

The exported /analytics page has no data: its content used to wait for the scripts
(plotly's among them), the websocket and the page's on_load, 5.7 s on a phone-speed
CPU. For a signed-in browser this middleware answers GET /analytics with the exported
page plus the view the URL asks for, read once: the four KPIs and the scans-over-time
chart as an inline SVG (no plotly), written into the page's first-view element
(components/first_view.py), which React keeps until the live view has loaded. The
live view's load reuses that read (services/analytics/handoff.py). Anyone
else (no or an ended session, an error) gets the exported page as before.

The answer is personal: `Cache-Control: private, no-store`, and no ETag.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import logging
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from qrapp.api.security_headers import build_dir
from qrapp.api.session_auth import actor_from_request
from qrapp.core import routes
from qrapp.services.analytics import handoff
from qrapp.services.analytics.filters import RANGE_LABELS, AnalyticsFilter
from qrapp.services.analytics.views import Dashboard
from qrapp.services.errors import ServiceError

log = logging.getLogger(__name__)

PLACEHOLDER = '<div id="first-view"></div>'
_PATHS = {routes.ANALYTICS, routes.ANALYTICS + "/"}
# The figures' colours (state/analytics_figures.py), on Radix's own variables elsewhere.
ACCENT, ACCENT_SOFT, PREVIOUS, UNIQUES = "#3E63DD", "rgba(62,99,221,0.14)", "#8B8D98", "#8DA4EF"
_CSS = """
#first-view .fv{display:flex;flex-direction:column;gap:var(--space-4)}
#first-view .fv-kpis{display:grid;gap:var(--space-4);grid-template-columns:repeat(2,1fr)}
@media (min-width:768px){#first-view .fv-kpis{grid-template-columns:repeat(4,1fr)}}
#first-view .fv-card{border:1px solid var(--gray-a5);border-radius:var(--radius-4);
padding:var(--space-4);background:var(--color-panel-solid)}
#first-view p{margin:0}
#first-view .fv-label{color:var(--gray-11);font-size:var(--font-size-2);font-weight:500}
#first-view .fv-value{font-size:var(--font-size-7);font-weight:700;line-height:1.3;
color:var(--gray-12);margin:var(--space-2) 0}
#first-view .fv-hint,#first-view .fv-range{color:var(--gray-11);font-size:var(--font-size-1)}
#first-view h2{margin:0;font-size:var(--font-size-5);color:var(--gray-12)}
#first-view h3{margin:0 0 var(--space-3);font-size:var(--font-size-2);color:var(--gray-12)}
#first-view svg{display:block;width:100%;height:auto}
#first-view svg text{fill:var(--gray-11);font-size:11px;font-family:inherit}
#first-view svg .grid{stroke:var(--gray-a4)}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _change(value: float | None) -> str:
    return "" if value is None else f"{value:+.0%} vs the previous period"


def _percent(value: float) -> str:
    return f"{value:.0%}" if value >= 0.01 or value == 0 else "<1%"


def _kpi(label: str, value: str, hint: str, id_: str) -> str:
    return (
        f'<div class="fv-card"><p class="fv-label">{_e(label)}</p>'
        f'<p class="fv-value" id="{id_}">{_e(value)}</p><p class="fv-hint">{_e(hint)}</p></div>'
    )


def _tick(label: str, granularity: str) -> str:
    try:
        when = dt.datetime.fromisoformat(label)
    except ValueError:
        return label
    return f"{when:%H:%M}" if granularity == "hour" else f"{when:%b %d}"


def series_svg(data: Dashboard, width: int = 640, height: int = 240) -> str:
    """Scans (area), unique visitors and the previous period (dotted) over the range, as
    plotly draws them on the live page: a static picture, its numbers in the KPIs."""
    points, previous = data.series, data.previous_series
    left, right, top, bottom = 36, 8, 8, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((p.scans for p in (*points, *previous)), default=0)
    step = max(1, -(-peak // 4))  # four whole-number grid steps
    y_max = step * 4
    n = max(len(points), 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int) -> float:
        return top + plot_h - plot_h * v / y_max

    def path(values: list[int]) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values)
        )

    parts = []
    for k in range(5):
        gy = y(step * k)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{gy:.1f}" y2="{gy:.1f}"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end">{step * k:,}</text>')
    every = max(1, -(-len(points) // 6))
    for i in range(0, len(points), every):
        tick = _e(_tick(points[i].label, data.window.granularity))
        parts.append(f'<text x="{x(i):.1f}" y="{height - 6}" text-anchor="middle">{tick}</text>')
    scans = [p.scans for p in points]
    if scans:
        line = path(scans)
        area = f"{line} L{x(len(scans) - 1):.1f},{y(0):.1f} L{x(0):.1f},{y(0):.1f} Z"
        parts += [
            f'<path d="{path([p.scans for p in previous])}" fill="none" stroke="{PREVIOUS}"'
            ' stroke-width="1.5" stroke-dasharray="3 3"/>'
            if previous
            else "",
            f'<path d="{area}" fill="{ACCENT_SOFT}" stroke="none"/>',
            f'<path d="{path([p.uniques for p in points])}" fill="none" stroke="{UNIQUES}"'
            ' stroke-width="1.5"/>',
            f'<path d="{line}" fill="none" stroke="{ACCENT}" stroke-width="2.5"'
            ' stroke-linejoin="round"/>',
        ]
    return (
        f'<svg class="fv-chart" viewBox="0 0 {width} {height}" role="img" aria-label="Chart of'
        ' scans over time. The totals are in the figures above.">' + "".join(parts) + "</svg>"
    )


def first_view_html(data: Dashboard) -> str:
    k = data.kpis
    w = data.window
    days = (
        f"{w.first_day:%b %d, %Y}"
        if w.first_day == w.last_day
        else f"{w.first_day:%b %d} - {w.last_day:%b %d, %Y}"
    )
    title = data.code.name if data.code else "All codes"
    range_text = f"{RANGE_LABELS.get(data.filter.range, '')} · {days} · {data.timezone}"
    share = _percent(k.human_share) if k.humans + k.bots else "\u2013"
    kpis = "".join(
        [
            _kpi("Scans", f"{k.scans:,}", _change(k.change) or "no scans before", "kpi-scans"),
            _kpi(
                "Unique visitors",
                f"{k.uniques:,}",
                _change(k.uniques_change) or "first scan of a visitor per day",
                "kpi-uniques",
            ),
            _kpi("Scans today", f"{k.scans_today:,}", data.timezone, "kpi-today"),
            _kpi("Human share", share, f"{k.bots:,} bot or preview scans", "kpi-humans"),
        ]
    )
    return (
        f'<style>{_CSS}</style><section class="fv" aria-busy="true">'
        f'<div><h2 id="view-title">{_e(title)}</h2><p class="fv-range">{_e(range_text)}</p></div>'
        f'<div class="fv-kpis">{kpis}</div>'
        f'<div class="fv-card"><h3>Scans over time</h3>{series_svg(data)}</div></section>'
    )


def _read(request: Request) -> str | None:
    """The first view for this browser's session and URL, or None (not signed in, no
    codes, an error: the exported page alone shows what to do)."""
    try:
        actor = actor_from_request(request)
        filt = AnalyticsFilter.from_query(parse_qs(request.url.query))
        # Kept for a few seconds: the page's load takes it instead of reading it again.
        data = handoff.read_for_first_view(actor=actor, filters=filt)
    except ServiceError:
        return None
    except Exception:  # the page must still load: the live view reads it again
        log.exception("analytics first view failed")
        return None
    if not data.has_codes:
        return None
    return first_view_html(data)


class AnalyticsFirstView:
    """ASGI middleware: GET /analytics for a session cookie gets the first view."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in _PATHS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        page = build_dir() / routes.ANALYTICS.strip("/") / "index.html"
        if not request.cookies or not page.is_file():
            await self.app(scope, receive, send)
            return
        exported = page.read_text(encoding="utf-8")
        first = await run_in_threadpool(_read, request) if PLACEHOLDER in exported else None
        if first is None:
            await self.app(scope, receive, send)
            return
        body = exported.replace(PLACEHOLDER, PLACEHOLDER[:-6] + first + "</div>", 1).encode()
        headers = {"Cache-Control": "private, no-store", "Vary": "Cookie"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            body = gzip.compress(body, 6)
            headers["Content-Encoding"] = "gzip"
        await Response(body, media_type="text/html; charset=utf-8", headers=headers)(
            scope, receive, send
        )
