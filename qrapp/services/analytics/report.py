"""The PDF report: drawn with reportlab's own charts, offline and in-process (no browser)."""

from __future__ import annotations

import io

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from qrapp.core.scan_dimensions import DIMENSION_TITLES
from qrapp.services.analytics.buckets import WEEKDAYS
from qrapp.services.analytics.views import BreakdownRow, CodeRow, Dashboard

INDIGO = colors.HexColor("#3E63DD")
GRAY = colors.HexColor("#64748B")
LIGHT = colors.HexColor("#E2E8F0")
WIDTH = A4[0] - 36 * mm


def _esc(text: str) -> str:
    """For Paragraph markup only; table cells and chart labels are plain text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _kpi_table(data: Dashboard) -> Table:
    k = data.kpis
    change = "n/a" if k.change is None else f"{k.change:+.0%}"
    cells = [
        ["Scans", "Unique visitors", "Human share", "Scans today", "vs previous"],
        [f"{k.scans:,}", f"{k.uniques:,}", f"{k.human_share:.0%}", f"{k.scans_today:,}", change],
    ]
    table = Table(cells, colWidths=[WIDTH / 5] * 5)
    table.setStyle(
        TableStyle(
            [
                ("TEXTCOLOR", (0, 0), (-1, 0), GRAY),
                ("FONTSIZE", (0, 0), (-1, 0), 8),
                ("FONTSIZE", (0, 1), (-1, 1), 16),
                ("FONTNAME", (0, 1), (-1, 1), "Helvetica-Bold"),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
                ("BOX", (0, 0), (-1, -1), 0.5, LIGHT),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, LIGHT),
            ]
        )
    )
    return table


def _line_chart(data: Dashboard) -> Drawing:
    drawing = Drawing(WIDTH, 170)
    points = [(i, p.scans) for i, p in enumerate(data.series)] or [(0, 0)]
    chart = LinePlot()
    chart.x, chart.y, chart.width, chart.height = 30, 25, WIDTH - 40, 130
    chart.data = [points]
    chart.lines[0].strokeColor = INDIGO
    chart.lines[0].strokeWidth = 2
    chart.xValueAxis.valueMin = 0
    chart.xValueAxis.valueMax = max(1, len(points) - 1)
    step = max(1, len(points) // 6)
    chart.xValueAxis.valueSteps = list(range(0, len(points), step))
    labels = [p.label for p in data.series]
    chart.xValueAxis.labelTextFormat = lambda v: (
        labels[int(v)][5:16] if labels and 0 <= int(v) < len(labels) else ""
    )
    chart.xValueAxis.labels.fontSize = 7
    chart.yValueAxis.valueMin = 0
    chart.yValueAxis.valueMax = max(1, max(s for _, s in points))
    chart.yValueAxis.labels.fontSize = 7
    drawing.add(chart)
    drawing.add(String(0, 160, f"Scans per {data.window.granularity}", fontSize=9, fillColor=GRAY))
    return drawing


def _bar_chart(title: str, rows: list[BreakdownRow]) -> Drawing:
    rows = rows[:8]
    height = 40 + 16 * max(1, len(rows))
    drawing = Drawing(WIDTH / 2 - 6, height)
    drawing.add(String(0, height - 12, title, fontSize=9, fillColor=GRAY))
    if not rows:
        drawing.add(String(0, height - 30, "No scans", fontSize=8, fillColor=GRAY))
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y = 70, 10
    chart.width, chart.height = WIDTH / 2 - 90, 16 * len(rows)
    chart.data = [[r.scans for r in reversed(rows)]]
    chart.categoryAxis.categoryNames = [r.label[:14] for r in reversed(rows)]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = INDIGO
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing


def _heatmap(data: Dashboard) -> Drawing:
    cell_w, cell_h = (WIDTH - 30) / 24, 12
    drawing = Drawing(WIDTH, 7 * cell_h + 30)
    peak = max((v for row in data.heatmap for v in row), default=0) or 1
    for d in range(7):
        y = (6 - d) * cell_h + 12
        drawing.add(String(0, y + 3, WEEKDAYS[d], fontSize=7, fillColor=GRAY))
        for h in range(24):
            shade = data.heatmap[d][h] / peak
            fill = colors.Color(0.24, 0.39, 0.87, alpha=0.08 + 0.92 * shade)
            drawing.add(
                Rect(30 + h * cell_w, y, cell_w - 1, cell_h - 1, fillColor=fill, strokeWidth=0)
            )
    for h in range(0, 24, 3):
        drawing.add(String(30 + h * cell_w, 2, f"{h:02d}", fontSize=6, fillColor=GRAY))
    return drawing


def _table(title: str, header: list[str], rows: list[list[str]]) -> list[Flowable]:
    styles = getSampleStyleSheet()
    body = (
        [header, *rows]
        if rows
        else [header, ["No scans in this period"] + [""] * (len(header) - 1)]
    )
    table = Table(
        body, colWidths=[WIDTH * 0.55] + [WIDTH * 0.45 / (len(header) - 1)] * (len(header) - 1)
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("TEXTCOLOR", (0, 0), (-1, 0), GRAY),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, LIGHT),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return [KeepTogether([Paragraph(title, styles["Heading4"]), table]), Spacer(1, 6)]


def render_report(
    data: Dashboard, full: dict[str, list[BreakdownRow]], codes: list[CodeRow]
) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title="qrapp scan report",
    )
    title = "Scan report"
    if data.code is not None:
        title += f": {_esc(data.code.name)}"
    story: list[Flowable] = [
        Paragraph(title, styles["Title"]),
        Paragraph(
            f"{data.window.first_day:%d %b %Y} to {data.window.last_day:%d %b %Y} "
            f"({_esc(data.timezone)}) · {'bots included' if data.filter.bots else 'human scans'}",
            styles["Normal"],
        ),
        Spacer(1, 10),
        _kpi_table(data),
        Spacer(1, 12),
        _line_chart(data),
        Spacer(1, 8),
        Table(
            [
                [
                    _bar_chart("Top countries", full["country"]),
                    _bar_chart(DIMENSION_TITLES["device"], full["device"]),
                ],
                [
                    _bar_chart(DIMENSION_TITLES["os"], full["os"]),
                    _bar_chart(DIMENSION_TITLES["browser"], full["browser"]),
                ],
            ],
            colWidths=[WIDTH / 2] * 2,
        ),
        Paragraph("Busiest times (weekday x hour, local time)", styles["Heading4"]),
        _heatmap(data),
        Spacer(1, 8),
    ]
    story += _table(
        "Top codes",
        ["Code", "Scans", "Unique", "Share"],
        [[c.name[:60], f"{c.scans:,}", f"{c.uniques:,}", f"{c.share:.1%}"] for c in codes[:25]],
    )
    for dim in ("country", "city", "language", "referrer", "source"):
        story += _table(
            DIMENSION_TITLES[dim],
            [DIMENSION_TITLES[dim], "Scans", "Unique", "Share"],
            [
                [
                    (r.label + (f" ({r.country})" if dim == "city" and r.country else ""))[:60],
                    f"{r.scans:,}",
                    f"{r.uniques:,}",
                    f"{r.share:.1%}",
                ]
                for r in full[dim][:15]
            ],
        )
    doc.build(story)
    return out.getvalue()
