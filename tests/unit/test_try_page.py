"""GET /try: the try-it form's answer as a plain page (qrapp/api/try_page.py)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from qrapp.api import try_page
from qrapp.services import try_it


def _client() -> TestClient:
    try_it.PREVIEWS._hits.clear()
    return TestClient(Starlette(routes=try_page.routes))


def test_a_website_gets_its_preview_verdict_and_downloads():
    answer = _client().get("/try", params={"kind": "url", "content": "example.com/menu"})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert 'id="try-preview" src="data:image/png;base64,' in answer.text
    assert '<span id="try-encoded">https://example.com/menu</span>' in answer.text
    assert "Scans well" in answer.text
    assert 'href="/try/qr.png?kind=url&amp;content=example.com%2Fmenu&amp;style=classic"' in (
        answer.text
    )
    assert "<script" not in answer.text


def test_bad_input_is_refused_with_a_message_and_escaped():
    client = _client()
    answer = client.get("/try", params={"kind": "url", "content": "javascript:alert(1)"})
    assert answer.status_code == 400
    assert 'role="alert"' in answer.text
    assert "try-preview" not in answer.text
    assert "try-png" not in answer.text

    html = client.get("/try", params={"kind": "text", "content": "</textarea><b>x"}).text
    assert "</textarea><b>" not in html
    assert "&lt;/textarea&gt;&lt;b&gt;x" in html

    # Unknown kinds and styles fall back to the defaults; an empty form asks for input.
    empty = client.get("/try", params={"kind": "evil", "style": "nope"})
    assert empty.status_code == 200
    assert 'value="url" checked' in empty.text
    assert 'value="classic" checked' in empty.text
    assert "Type a web address" in empty.text


def test_the_preview_budget_applies():
    client = _client()
    assert client.get("/try", params={"kind": "text", "content": "a"}).status_code == 200
    for _ in range(try_it.PREVIEWS.limit - 1):  # the rest of the minute's budget
        try_it.PREVIEWS.hit(try_it.ip_key("testclient"))
    answer = client.get("/try", params={"kind": "text", "content": "a"})
    assert answer.status_code == 429
    assert "wait a moment" in answer.text
