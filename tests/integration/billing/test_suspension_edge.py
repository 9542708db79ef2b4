"""A real edge process and an expired workspace, on both databases: the codes beyond the
Free allowance answer the owner's "temporarily unavailable" page (or their fallback URL)
and their scans are stored; paying again makes the next scan redirect; the oldest ten
never stop. Mails tell the owner when codes paused and when they came back."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter

import sqlalchemy as sa
from sqlmodel import select

from qrapp.core.plans import PLANS, PlanId
from qrapp.db import read_session, transaction
from qrapp.models import ScanEvent, Workspace
from qrapp.models.types import utcnow
from qrapp.services.billing import subscriptions
from qrapp.services.codes import qrcodes
from tests.integration.edge import conftest as edge_fixtures
from tests.support.waiting import eventually

# The edge tests' fixtures: real edge processes over this test's database.
edge_env = edge_fixtures.edge_env
start_edge = edge_fixtures.start_edge
edge = edge_fixtures.edge
owner = edge_fixtures.owner
drain = edge_fixtures.drain

DAY = dt.timedelta(days=1)
FREE = PLANS[PlanId.FREE].dynamic_codes or 0


def _apply(ws_id, status: str, period_end: dt.datetime, now: dt.datetime) -> None:
    with transaction() as tx:
        subscriptions.apply_subscription(
            tx,
            ws_id,
            provider="stripe",
            plan_id="pro",
            interval="month",
            currency="SEK",
            status=status,
            current_period_end=period_end,
            now=now,
        )


SENT: Counter = Counter()  # requests per code, to compare with the stored scans


def _get(edge, code):
    SENT[code.id] += 1
    return edge.get(f"/{code.short_code}")


def _answer(edge, code) -> tuple[int, str]:
    r = _get(edge, code)
    return r.status_code, r.headers.get("location", "")


def _stored(code) -> int:
    with read_session() as s:
        return s.exec(
            select(sa.func.count()).select_from(ScanEvent).where(ScanEvent.qrcode_id == code.id)
        ).one()


def _text(message) -> str:
    return message.get_payload(decode=True).decode()


def test_expired_workspace_codes_pause_scan_counted_and_come_back(edge, owner, mail):
    SENT.clear()
    t0 = utcnow()
    _apply(owner.workspace_id, "active", t0 + 30 * DAY, t0)
    with read_session() as s:
        ws_name = s.get(Workspace, owner.workspace_id).name
    codes = [
        qrcodes.create(
            actor=owner,
            data=qrcodes.CodeInput(name=f"Poster {i}", destination=f"https://example.com/{i}"),
        )
        for i in range(FREE + 2)
    ]
    # The newest has a fallback URL: it is sent there instead of the page.
    qrcodes.set_validity(
        actor=owner, code_id=codes[-1].id, fallback_url="https://example.com/later"
    )
    kept, page_code, fallback_code = codes[:FREE], codes[FREE], codes[FREE + 1]
    # Every code scans (and is cached by the edge) while the plan is active.
    for i, code in enumerate(codes):
        assert _answer(edge, code) == (302, f"https://example.com/{i}")

    # A payment failed 20 days ago: its 14 days of grace are over, and the beat job
    # expires the subscription; the edge is told after the commit.
    _apply(owner.workspace_id, "past_due", t0 - 20 * DAY, t0 - 20 * DAY)
    assert subscriptions.expire_due() == 1
    eventually(lambda: _answer(edge, page_code)[0] == 503, 10, interval=0.05)
    r = _get(edge, page_code)
    assert r.headers["retry-after"] == "86400"
    assert r.headers["x-robots-tag"] == "noindex"
    assert r.headers["content-type"].startswith("text/html")
    assert "Temporarily unavailable" in r.text
    assert html.escape(ws_name) in r.text  # the owner's name as the brand
    assert "<script" not in r.text
    assert "Traceback" not in r.text
    assert _answer(edge, fallback_code) == (302, "https://example.com/later")
    for i, code in enumerate(kept):
        assert _answer(edge, code) == (302, f"https://example.com/{i}")

    # The scans of paused codes are stored like any other: one per request.
    assert drain(sum(SENT.values())) == sum(SENT.values())
    assert [_stored(c) for c in codes] == [SENT[c.id] for c in codes]
    assert _stored(page_code) >= 2

    paused_mail = mail.wait_for(owner.email, "2 codes paused")
    text = _text(paused_mail)
    assert "Poster 11" in text
    assert "Poster 10" in text
    assert text.index("Poster 11") < text.index("Poster 10")  # newest first
    assert "Poster 9 " not in text
    assert "/billing" in text

    # Paying again: the very next scan redirects, nothing lost.
    _apply(owner.workspace_id, "active", utcnow() + 30 * DAY, utcnow())
    eventually(lambda: _answer(edge, page_code) == (302, f"https://example.com/{FREE}"), 10, 0.05)
    assert _answer(edge, fallback_code) == (302, f"https://example.com/{FREE + 1}")
    mail.wait_for(owner.email, "your codes are back")
    # Re-applying the same state sends nothing more.
    _apply(owner.workspace_id, "active", utcnow() + 30 * DAY, utcnow())
    assert mail.count(owner.email, "codes paused") == 1
    assert mail.count(owner.email, "your codes are back") == 1
