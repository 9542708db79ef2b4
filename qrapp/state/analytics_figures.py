"""Plotly figures of the analytics dashboard, built from the services' plain data.

Transparent backgrounds and gray text so the same figure reads in light and dark mode.
"""

from __future__ import annotations

import plotly.graph_objects as go

from qrapp.core import routes
from qrapp.core.countries import alpha_3, country_name
from qrapp.services.analytics.buckets import WEEKDAYS
from qrapp.services.analytics.views import BreakdownRow, Dashboard

ACCENT = "#3E63DD"
ACCENT_SOFT = "rgba(62, 99, 221, 0.14)"
MUTED = "rgba(120, 130, 150, 0.55)"
TEXT = "#8B8D98"
GRID = "rgba(139, 141, 152, 0.18)"


def _base(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"family": "Inter, system-ui, sans-serif", "size": 12, "color": TEXT},
        showlegend=False,
        hoverlabel={"bgcolor": "white", "font": {"color": "#1C2024"}},
    )
    return fig


def timeseries(data: Dashboard) -> go.Figure:
    x = [p.label for p in data.series]
    hover = "%{y:,} scans<extra></extra>"
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[p.scans for p in data.previous_series],
            mode="lines",
            line={"color": MUTED, "width": 1.5, "dash": "dot"},
            name="Previous period",
            hovertemplate="%{y:,} scans in the previous period<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[p.scans for p in data.series],
            mode="lines+markers" if len(x) <= 31 else "lines",
            line={"color": ACCENT, "width": 2.5, "shape": "spline", "smoothing": 0.4},
            marker={"size": 5},
            fill="tozeroy",
            fillcolor=ACCENT_SOFT,
            name="Scans",
            hovertemplate=hover,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[p.uniques for p in data.series],
            mode="lines",
            line={"color": "#8DA4EF", "width": 1.5},
            name="Unique visitors",
            hovertemplate="%{y:,} unique visitors<extra></extra>",
        )
    )
    _base(fig, 280)
    fig.update_layout(hovermode="x unified")
    tick = {"hour": "%H:%M", "day": "%b %d", "week": "%b %d"}[data.window.granularity]
    fig.update_xaxes(showgrid=False, tickformat=tick, type="date", fixedrange=True)
    fig.update_yaxes(gridcolor=GRID, rangemode="tozero", fixedrange=True, tickformat=",d")
    top = max((p.scans for p in (*data.series, *data.previous_series)), default=0)
    if top < 6:  # whole-number ticks only: plotly's 0.5 steps print as 0, 1, 1, 2, 2
        fig.update_yaxes(dtick=1)
    return fig


def heatmap(data: Dashboard) -> go.Figure:
    fig = go.Figure(
        go.Heatmap(
            z=data.heatmap,
            x=[f"{h:02d}" for h in range(24)],
            y=list(WEEKDAYS),
            colorscale=[[0, "rgba(62,99,221,0.05)"], [1, ACCENT]],
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} %{x}:00 · %{z:,} scans<extra></extra>",
        )
    )
    _base(fig, 230)
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    fig.update_xaxes(fixedrange=True, dtick=3)
    return fig


def world_map(rows: list[BreakdownRow]) -> go.Figure:
    located = [(alpha_3(r.value), r) for r in rows if alpha_3(r.value)]
    fig = go.Figure(
        go.Choropleth(
            locations=[code for code, _ in located],
            z=[r.scans for _, r in located],
            text=[country_name(r.value) for _, r in located],
            locationmode="ISO-3",
            colorscale=[[0, "#C6D4F9"], [1, ACCENT]],
            marker_line_color="rgba(255,255,255,0.6)",
            marker_line_width=0.5,
            showscale=False,
            hovertemplate="%{text}: %{z:,} scans<extra></extra>",
        )
    )
    _base(fig, 300)
    fig.update_geos(
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showland=True,
        landcolor="rgba(139, 141, 152, 0.18)",
        showcountries=True,
        countrycolor="rgba(255,255,255,0.5)",
        bgcolor="rgba(0,0,0,0)",
        lataxis_range=[-58, 85],
    )
    return fig


def donut(rows: list[BreakdownRow]) -> go.Figure:
    palette = [ACCENT, "#8DA4EF", "#C6D4F9", "#F76B15", "#30A46C", "#8E4EC6"]
    fig = go.Figure(
        go.Pie(
            labels=[r.label for r in rows] or ["No scans"],
            values=[r.scans for r in rows] or [1],
            hole=0.62,
            marker={"colors": palette if rows else ["rgba(139,141,152,0.2)"]},
            textinfo="none",
            hovertemplate="%{label}: %{value:,} (%{percent})<extra></extra>"
            if rows
            else "<extra></extra>",
            sort=False,
        )
    )
    _base(fig, 180)
    return fig


# The page's world map and donut read the geo topojson from our own assets.
PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True, "topojsonURL": routes.TOPOJSON_ASSETS}
