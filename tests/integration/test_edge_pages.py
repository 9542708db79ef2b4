"""Published landing pages through real edge processes (SQLite, and PostgreSQL + Redis):
/p/<slug> with its CSP, ETag and 304; publish and unpublish seen by every edge at once;
counted clicks (app stores by the visitor's OS) and downloads; a code whose destination
is a page answers with it and counts a scan; page views and clicks stored by the ingest
and read by services.pages.stats; tenancy."""

from __future__ import annotations

import time
import uuid

import pytest
import sqlalchemy as sa

from qrapp.cachebus import announce_page_changed
from qrapp.db import engine, transaction
from qrapp.models import LandingPage, LandingPageVersion
from qrapp.models.types import utcnow
from qrapp.services.codes import code_pages, qrcodes
from qrapp.services.errors import FieldErrors, NotFound
from qrapp.services.pages import stats
from qrapp.services.scans import ingest
from tests.integration.edge import conftest as edge_fixtures
from tests.integration.edge.conftest import DESKTOP, IPHONE, scan_count
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

# The edge fixtures of tests/integration/edge/ (real edge processes over the backend).
edge_env = edge_fixtures.edge_env
start_edge = edge_fixtures.start_edge
edge = edge_fixtures.edge
owner = edge_fixtures.owner
make_code = edge_fixtures.make_code

ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
CLICKS = {
    "b1": "https://example.com/shop",
    "apps": {
        "ios": "https://apps.apple.com/app/id1",
        "android": "https://play.google.com/store/apps/details?id=x",
        "other": "https://example.com/app",
    },
    "bad": "javascript:alert(1)",
}
DOWNLOADS = {
    "card": {
        "filename": "../../Ada Lovelace\r\n.vcf",
        "content_type": "text/vcard",
        "body": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n",
    }
}


def publish_version(
    owner_actor, slug: str, html: str, *, page_id: uuid.UUID | None = None
) -> uuid.UUID:
    """Store a new published version as services.pages publishing does (render -> version
    row -> status published -> announce after commit), with HTML given by the test."""
    with transaction() as tx:
        page = tx.session.get(LandingPage, page_id) if page_id else None
        if page is None:
            page = LandingPage(
                workspace_id=owner_actor.workspace_id, name=f"Page {slug}", slug=slug
            )
            tx.session.add(page)
            tx.session.flush()
        number = (page.published_version or 0) + 1
        tx.session.add(
            LandingPageVersion(
                page_id=page.id,
                number=number,
                html=html,
                csp=CSP,
                etag=f"{page.id.hex[:12]}-{number}",
                clicks=CLICKS,
                downloads=DOWNLOADS,
            )
        )
        page.status, page.published_version, page.published_at = "published", number, utcnow()
        tx.session.add(page)
        pid, domain = page.id, page.domain
    announce_page_changed(domain, slug, str(pid))
    return pid


def unpublish(page_id: uuid.UUID) -> None:
    with transaction() as tx:
        page = tx.session.get(LandingPage, page_id)
        page.status = "unpublished"
        tx.session.add(page)
        domain, slug = page.domain, page.slug
    announce_page_changed(domain, slug, str(page_id))


def page_events(where: str = "1=1") -> int:
    with engine().connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM page_event WHERE {where}")).scalar()  # noqa: S608


def drain_pages(expected: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while True:
        ingest.run_once(block_ms=100)
        n = page_events()
        if n >= expected or time.monotonic() > deadline:
            return n


def test_page_served_with_strict_csp_etag_and_304(edge, owner):
    publish_version(owner, "menu", "<!doctype html><h1>Lunch menu</h1>")
    r = edge.get("/p/menu")
    assert r.status_code == 200
    assert "Lunch menu" in r.text
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-cache"
    etag = r.headers["etag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    again = edge.get("/p/menu", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak = edge.get("/p/menu", headers={"if-none-match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    stale = edge.get("/p/menu", headers={"if-none-match": '"older"'})
    assert stale.status_code == 200
    head = edge.client.head("/p/menu", headers={"user-agent": IPHONE})
    assert head.status_code == 200
    assert head.content == b""
    # 2 views + 2 revalidations (counted: the page was opened again) + HEAD (a bot)
    assert drain_pages(5) == 5
    assert page_events("kind = 'view' AND is_bot = false") == 4
    assert page_events("kind = 'view' AND is_bot = true") == 1


def test_unknown_and_unpublished_pages_are_friendly_404s(start_edge, owner):
    a, b = start_edge(), start_edge()
    for path in ("/p/nothing-here", "/p/", "/p/a/b/c/d", "/p/x/c/", "/p/%00"):
        r = a.get(path)
        assert r.status_code == 404, path
        assert "location" not in r.headers
    assert "This page is not available" in a.get("/p/nothing-here").text
    page_id = publish_version(owner, "event", "<p>v1</p>")
    # Both edges cache the page...
    for e in (a, b):
        assert e.get("/p/event").text == "<p>v1</p>"
    # ... and a new version is served by every edge at once.
    publish_version(owner, "event", "<p>v2</p>", page_id=page_id)
    for e in (a, b):
        eventually(lambda e=e: e.get("/p/event").text == "<p>v2</p>", timeout=5)
    unpublish(page_id)
    for e in (a, b):
        eventually(lambda e=e: e.get("/p/event").status_code == 404, timeout=5)
        assert "This page is not available" in e.get("/p/event").text


def test_clicks_redirect_are_counted_and_pick_the_app_store(edge, owner):
    page_id = publish_version(owner, "bio", "<a href=/p/bio/c/b1>Shop</a>")
    r = edge.get("/p/bio/c/b1")
    assert r.status_code == 302
    assert r.headers["location"] == "https://example.com/shop"
    assert r.headers["cache-control"] == "private, max-age=0"
    assert edge.get("/p/bio/c/apps", ua=IPHONE).headers["location"] == CLICKS["apps"]["ios"]
    assert edge.get("/p/bio/c/apps", ua=ANDROID).headers["location"] == CLICKS["apps"]["android"]
    assert edge.get("/p/bio/c/apps", ua=DESKTOP).headers["location"] == CLICKS["apps"]["other"]
    # A stored target that is not http/https/mailto/tel, and unknown targets: 404, no Location.
    for path in ("/p/bio/c/bad", "/p/bio/c/nope", "/p/nope/c/b1"):
        r = edge.get(path)
        assert r.status_code == 404, path
        assert "location" not in r.headers
    assert drain_pages(4) == 4
    assert page_events("kind = 'click' AND target = 'b1'") == 1
    assert page_events("kind = 'click' AND target = 'apps'") == 3
    s = stats.page_stats(actor=owner, page_id=page_id)
    assert s.clicks == 4
    assert s.clicks_by_target == {"apps": 3, "b1": 1}
    assert s.views == 0


def test_download_is_an_attachment_with_a_safe_name(edge, owner):
    publish_version(owner, "card", "<a href=/p/card/d/card>Save contact</a>")
    r = edge.get("/p/card/d/card")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/vcard; charset=utf-8"
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Ada Lovelace_.vcf"' in disposition
    assert "/" not in disposition.split("filename=")[1]
    assert "\r" not in disposition
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "FN:Ada Lovelace" in r.text
    assert edge.get("/p/card/d/other").status_code == 404
    assert drain_pages(1) == 1
    assert page_events("kind = 'click' AND target = 'card'") == 1


def test_views_uniques_and_bots_reach_the_page_stats(edge, owner):
    page_id = publish_version(owner, "stats", "<p>hi</p>")
    xff = {"x-forwarded-for": "198.51.100.7"}
    for _ in range(3):
        assert edge.get("/p/stats", ua=IPHONE, headers=xff).status_code == 200
    assert edge.get("/p/stats", ua=DESKTOP, headers={"x-forwarded-for": "198.51.100.8"})
    assert edge.get("/p/stats", ua="WhatsApp/2.23.20.0").status_code == 200
    assert drain_pages(5) == 5
    s = stats.page_stats(actor=owner, page_id=page_id, days=7)
    assert (s.views, s.uniques, s.bots) == (4, 2, 1)
    assert s.daily[-1].views == 4
    assert len(s.daily) == 7
    assert stats.views_by_page(actor=owner) == {str(page_id): 4}


def test_code_pointing_at_a_page_answers_with_it_and_counts_a_scan(edge, owner, make_code):
    page_id = publish_version(owner, "menu-code", "<h1>Today's menu</h1>")
    code = make_code("https://example.com/old")
    edge.get(f"/{code.short_code}")  # cached as a URL code first
    code_pages.set_destination_page(actor=owner, code_id=code.id, page_id=page_id)

    def serves_page():
        r = edge.get(f"/{code.short_code}")
        return r.status_code == 200 and "Today's menu" in r.text and r

    r = eventually(serves_page, timeout=5)
    assert "location" not in r.headers
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert (
        edge.get(f"/{code.short_code}", headers={"if-none-match": r.headers["etag"]}).status_code
        == 304
    )
    # A new version of the page is what the code serves next.
    publish_version(owner, "menu-code", "<h1>Dinner menu</h1>", page_id=page_id)
    eventually(lambda: "Dinner menu" in edge.get(f"/{code.short_code}").text, timeout=5)
    # Paused codes are refused first, as for URL codes.
    qrcodes.set_status(actor=owner, code_id=code.id, status="paused")
    eventually(lambda: edge.get(f"/{code.short_code}").status_code == 403, timeout=5)
    qrcodes.set_status(actor=owner, code_id=code.id, status="active")
    eventually(lambda: edge.get(f"/{code.short_code}").status_code == 200, timeout=5)

    deadline = time.monotonic() + 20
    while (scan_count() < 4 or page_events() < 4) and time.monotonic() < deadline:
        ingest.run_once(block_ms=100)
    # Every 200 and 304 answer of the page was a scan of the code and a view of the page.
    assert scan_count("destination = '/p/menu-code'") == page_events(
        "qrcode_id IS NOT NULL AND kind = 'view'"
    )
    assert scan_count() >= 4
    # Unpublished: the code answers the friendly page, not a redirect.
    unpublish(page_id)
    eventually(lambda: edge.get(f"/{code.short_code}").status_code == 404, timeout=5)
    # Pointing the code back at a URL redirects again.
    qrcodes.change_destination(actor=owner, code_id=code.id, destination="https://example.com/b")
    eventually(lambda: edge.get(f"/{code.short_code}").status_code == 302, timeout=5)


def test_code_pages_are_checked_and_scoped_to_the_workspace(edge_env, owner, make_code):
    mine = publish_version(owner, "mine", "<p>mine</p>")
    other = actor(sign_up_and_session(f"other-{uuid.uuid4().hex[:6]}@example.com", "Other"))
    theirs = publish_version(other, "theirs", "<p>theirs</p>")
    code = make_code()
    with pytest.raises(FieldErrors) as err:
        code_pages.set_destination_page(actor=owner, code_id=code.id, page_id=theirs)
    assert "does not exist" in err.value.errors["landing_page"]
    with pytest.raises(NotFound):
        code_pages.set_destination_page(actor=other, code_id=code.id, page_id=theirs)
    with pytest.raises(NotFound):
        stats.page_stats(actor=other, page_id=mine)
    assert [p["id"] for p in code_pages.page_choices(actor=owner)] == [str(mine)]
    unpublish(mine)
    with pytest.raises(FieldErrors) as err:
        code_pages.set_destination_page(actor=owner, code_id=code.id, page_id=mine)
    assert "Publish" in err.value.errors["landing_page"]
    assert code_pages.page_choices(actor=owner) == []
    # Created straight onto a page (the designer's "a landing page" destination).
    publish_version(owner, "mine", "<p>mine again</p>", page_id=mine)
    created = qrcodes.create(
        actor=owner,
        data=qrcodes.CodeInput(name="Menu", destination="", landing_page_id=mine),
    )
    assert created.landing_page_id == mine
    assert code_pages.destination_page(actor=owner, code_id=created.id)["slug"] == "mine"
    copy = qrcodes.duplicate(actor=owner, code_id=created.id)  # answers with the page too
    assert copy.landing_page_id == mine
    assert copy.short_code != created.short_code
    with pytest.raises(FieldErrors):
        qrcodes.create(
            actor=owner, data=qrcodes.CodeInput(name="X", destination="", landing_page_id=theirs)
        )


def test_analytics_page_filter_keeps_the_codes_that_open_the_page(edge, owner, make_code):
    from qrapp.services.analytics import dashboard
    from qrapp.services.analytics.filters import AnalyticsFilter

    page_id = publish_version(owner, "filtered", "<p>filtered</p>")
    on_page, other = make_code(), make_code("https://example.com/other")
    code_pages.set_destination_page(actor=owner, code_id=on_page.id, page_id=page_id)
    eventually(lambda: edge.get(f"/{on_page.short_code}").status_code == 200, timeout=5)
    assert edge.get(f"/{on_page.short_code}").status_code == 200
    assert edge.get(f"/{other.short_code}").status_code == 302
    assert edge.get("/p/filtered").status_code == 200
    deadline = time.monotonic() + 20
    while (scan_count() < 3 or page_events() < 3) and time.monotonic() < deadline:
        ingest.run_once(block_ms=100)
    filt = AnalyticsFilter.from_query({"page": [str(page_id)]})
    assert filt.pages == (page_id,)
    assert AnalyticsFilter.from_query({"page": filt.to_query().split("=")[1]}) == filt
    data = dashboard.dashboard(actor=owner, filters=filt)
    assert data.kpis.scans == 2  # the code that opens the page, not the other one
    assert dashboard.dashboard(actor=owner, filters=AnalyticsFilter()).kpis.scans == 3
    options = dashboard.filter_options(actor=owner)
    assert [(str(i), n) for i, n in options.pages] == [(str(page_id), "Page filtered")]
    total = stats.pages_total(
        actor=owner,
        page_ids=[page_id],
        first_day=data.window.first_day,
        last_day=data.window.last_day,
    )
    assert (total.views, total.clicks) == (3, 0)


def test_publishing_through_the_service_reaches_every_edge_at_once(start_edge, owner):
    """The real path: services.pages publish renders the link-in-bio starter once; every
    edge serves the stored version, a new publish replaces it at once everywhere,
    unpublishing takes it down, and the page list counts the views."""
    from qrapp.services.pages import editing

    a, b = start_edge(), start_edge()
    page = editing.create_page(actor=owner, name="Spring bio", starter="link_in_bio")
    version = editing.publish(actor=owner, page_id=page.id)
    for e in (a, b):
        r = e.get(f"/p/{page.slug}")
        assert r.status_code == 200
        assert r.headers["content-security-policy"] == version.csp
        assert r.headers["etag"] == version.etag
        assert "<script" not in r.text.lower()
        assert len(r.content) < 30_000  # the budget for link-in-bio HTML + CSS
    draft = editing.get_page(actor=owner, page_id=page.id)
    doc = dict(draft.draft)
    heading = next(b for b in doc["blocks"] if b["type"] == "heading")
    heading["props"]["text"] = "Autumn bio"
    editing.save_draft(
        actor=owner, page_id=page.id, document=doc, base_revision=draft.draft_revision
    )
    editing.publish(actor=owner, page_id=page.id)
    for e in (a, b):
        eventually(lambda e=e: "Autumn bio" in e.get(f"/p/{page.slug}").text, timeout=5)
    editing.unpublish(actor=owner, page_id=page.id)
    for e in (a, b):
        eventually(lambda e=e: e.get(f"/p/{page.slug}").status_code == 404, timeout=5)
    assert drain_pages(4) >= 4
    listed = {p.id: p.views for p in editing.list_pages(actor=owner)}
    assert listed[page.id] == page_events("kind = 'view' AND is_bot = false")
