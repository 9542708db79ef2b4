"""A receipt as PDF, drawn with reportlab like the analytics report (offline, in-process).

Provider-neutral: it takes the facts of one paid invoice, so every provider that has no
hosted receipt of its own (Swish) can hand out the same document.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

GRAY = colors.HexColor("#64748B")
LIGHT = colors.HexColor("#E2E8F0")
WIDTH = A4[0] - 36 * mm


@dataclass(frozen=True)
class ReceiptFacts:
    number: str
    workspace: str
    description: str  # "Pro plan, 1 month"
    period_start: dt.datetime | None
    period_end: dt.datetime | None
    amount: str  # already formatted with its currency: "99,00 kr"
    provider: str  # "Swish"
    payment_reference: str
    paid_at: dt.datetime | None
    refunded: bool
    seller: str = "qrapp"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _day(value: dt.datetime | None) -> str:
    return "" if value is None else f"{value:%d %b %Y}"


def render_receipt(facts: ReceiptFacts) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Receipt {facts.number}",
        author=facts.seller,
    )
    period = (
        f"{_day(facts.period_start)} to {_day(facts.period_end)}"
        if facts.period_start and facts.period_end
        else ""
    )
    rows = [
        ["Receipt number", facts.number],
        ["Paid", f"{facts.paid_at:%d %b %Y %H:%M} UTC" if facts.paid_at else ""],
        ["Billed to", facts.workspace],
        ["Paid with", facts.provider],
        ["Payment reference", facts.payment_reference],
    ]
    lines = [["Description", "Period", "Amount"], [facts.description, period, facts.amount]]
    table = Table(lines, colWidths=[WIDTH * 0.45, WIDTH * 0.35, WIDTH * 0.2])
    table.setStyle(
        TableStyle(
            [
                ("TEXTCOLOR", (0, 0), (-1, 0), GRAY),
                ("FONTSIZE", (0, 0), (-1, 0), 8),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, LIGHT),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, LIGHT),
                ("FONTNAME", (2, 1), (2, 1), "Helvetica-Bold"),
            ]
        )
    )
    facts_table = Table(rows, colWidths=[WIDTH * 0.3, WIDTH * 0.7])
    facts_table.setStyle(TableStyle([("TEXTCOLOR", (0, 0), (0, -1), GRAY)]))
    story = [
        Paragraph(f"Receipt from {_esc(facts.seller)}", styles["Title"]),
        Spacer(1, 6),
        facts_table,
        Spacer(1, 14),
        table,
        Spacer(1, 10),
        Paragraph(f"Total paid: <b>{_esc(facts.amount)}</b>", styles["Normal"]),
    ]
    if facts.refunded:
        # A refunded payment keeps its receipt (bookkeeping), marked so nobody reads it
        # as money still held.
        story += [Spacer(1, 8), Paragraph("<b>Refunded in full.</b>", styles["Normal"])]
    doc.build(story)
    return out.getvalue()
