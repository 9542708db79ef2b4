"""The edge's landing-page answers (qrapp.edge.landing), without a server: routes, ETag
matching, click targets checked again before they become a Location, app stores by OS,
download headers and file names, and the view/click events the ingest parses."""

from __future__ import annotations

import json

import pytest

from qrapp.edge import landing, page_answers
from qrapp.services.scans.page_ingest import is_page_event, parse_page_event
from tests.unit.edge.test_edge_scan_path import StubEdge

IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile"
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36"
SNAP = {
    "page_id": "0196a0e0-0000-7000-8000-00000000000a",
    "workspace_id": "0196a0e0-0000-7000-8000-00000000000b",
    "domain": "",
    "slug": "bio",
    "version": 3,
    "html": "<!doctype html><p>Hello</p>",
    "csp": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "etag": "abc123",
    "clicks": {
        "b1": "https://example.com/",
        "mail": "mailto:hi@example.com",
        "apps": {"ios": "https://apps.apple.com/x", "android": "", "other": "https://x.test/"},
        "js": "javascript:alert(1)",
        "js2": " JaVaScRiPt:alert(1)",
        "data": "data:text/html,<script>alert(1)</script>",
        "crlf": "https://example.com/\r\nSet-Cookie: a=b",
        "nohost": "https:/evil",
    },
    "downloads": {
        "card": {"filename": "../../x\x00y.vcf", "content_type": "text/vcard", "body": "BEGIN"},
        "html": {"filename": "a.html", "content_type": "text/html", "body": "<script>"},
    },
}


def headers(r) -> dict[bytes, bytes]:
    return dict(r[1])


@pytest.mark.parametrize(
    ("path", "parsed"),
    [
        ("/p/bio", ("bio", "", "")),
        ("/p/bio/", ("bio", "", "")),
        ("/p/bio/c/b1", ("bio", "c", "b1")),
        ("/p/bio/d/card", ("bio", "d", "card")),
        ("/p/", None),
        ("/p/bio/x/b1", None),
        ("/p/bio/c/", None),
        ("/p/../etc", None),
        ("/p/" + "a" * 81, None),
    ],
)
def test_routes(path, parsed):
    assert landing.parse(path) == parsed


def test_page_answer_headers_and_304():
    page = page_answers.page_from_snapshot(SNAP)
    status, hs, body = landing.view(page, {})
    h = dict(hs)
    assert status == 200
    assert body == SNAP["html"].encode()
    assert h[b"etag"] == b'"abc123"'
    assert h[b"cache-control"] == b"no-cache"
    assert h[b"content-security-policy"] == SNAP["csp"].encode()
    assert h[b"x-frame-options"] == b"DENY"
    assert h[b"content-length"] == str(len(body)).encode()
    for inm in (b'"abc123"', b'W/"abc123"', b'"zzz", "abc123"', b"*"):
        assert landing.view(page, {b"if-none-match": inm})[0] == 304
    assert landing.view(page, {b"if-none-match": b'"abc"'})[0] == 200


@pytest.mark.parametrize("target", ["js", "js2", "data", "crlf", "nohost", "missing"])
def test_bad_or_unknown_click_targets_are_refused(target):
    page = page_answers.page_from_snapshot(SNAP)
    assert page.click_url(target, IPHONE) is None


def test_app_store_by_os_with_fallback():
    page = page_answers.page_from_snapshot(SNAP)
    assert page.click_url("apps", IPHONE) == "https://apps.apple.com/x"
    assert page.click_url("apps", ANDROID) == "https://x.test/"  # empty android -> other
    assert page.click_url("apps", "curl/8") == "https://x.test/"
    assert page.click_url("mail", IPHONE) == "mailto:hi@example.com"


def test_downloads_are_attachments_with_safe_names_and_types():
    page = page_answers.page_from_snapshot(SNAP)
    h = headers(page.downloads["card"])
    assert h[b"content-type"] == b"text/vcard; charset=utf-8"
    assert h[b"content-disposition"].startswith(b'attachment; filename="x_y.vcf"')
    # Never HTML from a download route.
    assert headers(page.downloads["html"])[b"content-type"].startswith(b"application/octet")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("a\r\nb.ics", "a_b.ics"),
        ("Ünïcode café.vcf", "Unicode cafe.vcf"),
        ("x" * 300 + ".vcf", "x" * 100),
        ("", "download"),
        ("...", "download"),
    ],
)
def test_safe_filename(name, safe):
    assert page_answers.safe_filename(name) == safe


def test_view_and_click_events_parse_in_the_ingest():
    edge = StubEdge()
    page = page_answers.page_from_snapshot(SNAP)
    hs = {b"user-agent": IPHONE.encode(), b"referer": b"https://t.co/x"}
    assert landing.answer(edge, page, "", "", hs, False, "203.0.113.5")[0] == 200
    assert landing.answer(edge, page, "c", "b1", hs, False, "203.0.113.5")[0] == 302
    assert landing.answer(edge, page, "c", "js", hs, False, "203.0.113.5")[0] == 404
    assert landing.answer(edge, page, "d", "card", hs, True, "203.0.113.5")[0] == 200
    assert len(edge.events) == 3
    for raw in edge.events:
        json.loads(raw)
        assert is_page_event(raw)
    view, click, download = (parse_page_event(e) for e in edge.events)
    assert (view["kind"], view["target"], view["version"]) == ("view", "", 3)
    assert str(view["page_id"]) == SNAP["page_id"]
    assert view["referrer_host"] == "t.co"
    assert view["country"] == "SE"
    assert (click["kind"], click["target"]) == ("click", "b1")
    assert download["is_bot"] is True  # a HEAD request


def test_unknown_page_is_the_friendly_404():
    status, _h, body = landing.answer(StubEdge(), None, "", "", {}, False, "")
    assert status == 404
    assert b"This page is not available" in body


def test_header_values_cached_per_value_never_mix_visitors():
    # User-Agent, Accept-Language and Referer fragments are kept by header value: each
    # view's event still carries its own visitor's values, a previewer stays a bot.
    edge = StubEdge()
    page = page_answers.page_from_snapshot(SNAP)
    visitors = [
        {b"user-agent": IPHONE.encode(), b"accept-language": b"sv-SE,sv;q=0.9"},
        {b"user-agent": b"Android 14 Chrome", b"referer": b"https://l.facebook.com/x"},
        {b"user-agent": b"Slackbot-LinkExpanding 1.0", b"accept-language": b"de"},
        {b"user-agent": IPHONE.encode(), b"accept-language": b"en-GB", b"referer": b"x"},
    ]
    for hs in visitors * 2:
        assert landing.answer(edge, page, "", "", hs, False, "203.0.113.5")[0] == 200
    events = [json.loads(raw) for raw in edge.events]
    got = [(e["ua"], e["lang"], e["ref"], e["bot"]) for e in events]
    expected = [
        (IPHONE, "sv", "", False),
        ("Android 14 Chrome", "", "l.facebook.com", False),
        ("Slackbot-LinkExpanding 1.0", "de", "", True),
        (IPHONE, "en", "", False),
    ]
    assert got == expected * 2
