"""The scan path end to end through a real edge process: 302 (never 301), UTM, unknown
codes, bad rows in the database, validity pages and fallback, rules, cache invalidation."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from qrapp.db import engine
from qrapp.services.codes import qrcodes, redirect_rules
from qrapp.services.codes.redirect_rules import RuleInput, SimulatedVisitor
from tests.integration.edge.conftest import DESKTOP, IPHONE
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def test_redirect_is_302_uncached_with_utm(edge, make_code, owner):
    code = make_code("https://example.com/landing?x=1")
    qrcodes.set_utm(actor=owner, code_id=code.id, utm={"utm_source": "poster", "utm_medium": "qr"})
    for method in ("GET", "HEAD"):
        r = edge.client.request(method, f"/{code.short_code}", headers={"user-agent": IPHONE})
        assert r.status_code == 302
        assert r.headers["location"] == (
            "https://example.com/landing?x=1&utm_source=poster&utm_medium=qr"
        )
        assert r.headers["cache-control"] == "private, max-age=0"


def test_unknown_and_malformed_codes_are_404_pages(edge):
    for path in ("/doesnotexist", "/a/b/c", "/%00x", "/" + "x" * 300):
        r = edge.get(path)
        assert r.status_code == 404, path
        assert "location" not in r.headers


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "file:///etc/passwd",
        "//evil.example/x",
        "https://edge.qrapp.test/loop",
    ],
)
def test_bad_destination_put_straight_into_the_database_is_4xx(edge, make_code, bad):
    code = make_code()
    with engine().begin() as conn:
        conn.execute(
            sa.text("UPDATE qr_code SET destination = :d WHERE id = :i"),
            {"d": bad, "i": code.id.hex if conn.dialect.name == "sqlite" else code.id},
        )
    r = edge.get(f"/{code.short_code}")
    assert 400 <= r.status_code < 500
    assert "location" not in r.headers


def test_changed_destination_is_used_by_the_next_scan_on_every_edge(start_edge, make_code, owner):
    edges = [start_edge(), start_edge()]
    code = make_code("https://example.com/old")
    for e in edges:  # warm both caches
        assert e.get(f"/{code.short_code}").headers["location"] == "https://example.com/old"
    qrcodes.change_destination(actor=owner, code_id=code.id, destination="https://example.com/new")

    def everywhere(check) -> bool:  # pub/sub delivery with Redis; the marker file is immediate
        return all(check(e.get(f"/{code.short_code}")) for e in edges)

    eventually(lambda: everywhere(lambda r: r.headers.get("location") == "https://example.com/new"))
    qrcodes.set_status(actor=owner, code_id=code.id, status="paused")
    eventually(lambda: everywhere(lambda r: r.status_code == 403 and "paused" in r.text))


def test_validity_pages_and_fallback(edge, make_code, owner):
    now = dt.datetime.now(dt.UTC)
    expired = make_code(starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(days=1))
    r = edge.get(f"/{expired.short_code}")
    assert r.status_code == 410
    assert "expired" in r.text
    assert "location" not in r.headers
    assert "script-src" not in r.headers["content-security-policy"]
    future = make_code(starts_at=now + dt.timedelta(days=1))
    assert edge.get(f"/{future.short_code}").status_code == 403
    closed = make_code(
        schedule={
            "timezone": "UTC",
            "days": {
                d: [["00:00", "00:01"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            },
        }
    )
    if dt.datetime.now(dt.UTC).strftime("%H:%M") != "00:00":
        assert edge.get(f"/{closed.short_code}").status_code == 403
    with_fallback = make_code(
        ends_at=now - dt.timedelta(seconds=1) + dt.timedelta(days=0),
        starts_at=now - dt.timedelta(days=3),
        fallback_url="https://example.com/campaign-over",
    )
    r = edge.get(f"/{with_fallback.short_code}")
    assert r.status_code == 302
    assert r.headers["location"] == "https://example.com/campaign-over"


def test_rules_by_device_country_language_query(edge, make_code, owner):
    code = make_code("https://example.com/default")
    add = redirect_rules.add_rule
    add(
        actor=owner,
        code_id=code.id,
        data=RuleInput(
            conditions=[{"field": "country", "op": "in", "value": ["GB"]}],
            destination="https://example.co.uk/",
            label="UK",
        ),
    )
    add(
        actor=owner,
        code_id=code.id,
        data=RuleInput(
            conditions=[{"field": "query", "op": "eq", "value": {"name": "src", "value": "tv"}}],
            destination="https://example.com/tv",
        ),
    )
    add(
        actor=owner,
        code_id=code.id,
        data=RuleInput(
            conditions=[{"field": "language", "op": "in", "value": ["sv"]}],
            destination="https://example.se/",
        ),
    )
    add(
        actor=owner,
        code_id=code.id,
        data=RuleInput(
            conditions=[{"field": "device", "op": "in", "value": ["mobile"]}],
            destination="https://m.example.com/",
        ),
    )
    s = f"/{code.short_code}"
    uk = {"x-forwarded-for": "81.2.69.142"}  # a GB address, from our trusted proxy
    assert edge.get(s, headers=uk).headers["location"] == "https://example.co.uk/"
    assert edge.get(s + "?src=tv").headers["location"] == "https://example.com/tv"
    assert (
        edge.get(s, ua=DESKTOP, headers={"accept-language": "sv-SE,en;q=0.5"}).headers["location"]
        == "https://example.se/"
    )
    assert edge.get(s).headers["location"] == "https://m.example.com/"
    assert edge.get(s, ua=DESKTOP).headers["location"] == "https://example.com/default"

    decision = redirect_rules.simulate(
        actor=owner,
        code_id=code.id,
        visitor=SimulatedVisitor(device="desktop", accept_language="sv"),
    )
    assert decision.destination == "https://example.se/"
    assert [t.matched for t in decision.trace] == [False, False, True, False]


def test_ab_split_is_sticky_per_visitor(edge, make_code, owner):
    code = make_code("https://example.com/default")
    redirect_rules.add_rule(
        actor=owner,
        code_id=code.id,
        data=RuleInput(
            conditions=[],  # a plain split: no condition needed
            variants=[
                {"label": "A", "destination": "https://a.example.com/", "weight": 50},
                {"label": "B", "destination": "https://b.example.com/", "weight": 50},
            ],
        ),
    )
    seen = set()
    for i in range(40):
        ua = IPHONE + f" visitor/{i}"
        first = edge.get(f"/{code.short_code}", ua=ua).headers["location"]
        assert edge.get(f"/{code.short_code}", ua=ua).headers["location"] == first
        seen.add(first)
    assert seen == {"https://a.example.com/", "https://b.example.com/"}


def test_forwarded_for_from_an_untrusted_peer_is_ignored(start_edge, make_code, owner):
    edge = start_edge(EDGE_TRUSTED_PROXIES="10.9.9.9")
    code = make_code("https://example.com/default")
    redirect_rules.add_rule(
        actor=owner,
        code_id=code.id,
        data=RuleInput(
            conditions=[{"field": "country", "op": "in", "value": ["GB"]}],
            destination="https://example.co.uk/",
        ),
    )
    r = edge.get(f"/{code.short_code}", headers={"x-forwarded-for": "81.2.69.142"})
    assert r.headers["location"] == "https://example.com/default"


def test_images_of_a_code(edge, make_code):
    code = make_code()
    png = edge.get(f"/{code.short_code}.png")
    assert png.status_code == 200
    assert png.content.startswith(b"\x89PNG")
    svg = edge.get(f"/{code.short_code}.svg")
    assert svg.status_code == 200
    assert b"<svg" in svg.content
    assert edge.get("/nothing-here.png").status_code == 404
