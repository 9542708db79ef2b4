"""REST v1 landing pages (list, read, publish) and the workspace's usage."""

from __future__ import annotations

import pytest

from qrapp.services.pages import editing
from tests.integration.api.conftest import bearer

pytestmark = pytest.mark.integration


def test_list_read_and_publish_a_page(world, make_key, api_client):
    owner = world["a_owner"]
    page = editing.create_page(actor=owner, name="Spring menu")
    reader = bearer(make_key(owner, ["pages:read"]))
    writer = bearer(make_key(owner, ["pages:write"]))
    listed = api_client.get("/api/v1/pages", headers=reader).json()["items"]
    assert [(p["name"], p["status"], p["public_url"]) for p in listed] == [
        ("Spring menu", "draft", None)
    ]
    got = api_client.get(f"/api/v1/pages/{page.id}", headers=reader)
    assert got.status_code == 200
    body = got.json()
    assert body["versions"] == []
    assert body["draft_revision"] == 1
    assert isinstance(body["draft"], dict)
    assert body["draft"]
    # A reader cannot publish; a writer with a stale revision is refused, nothing changes.
    refused = api_client.post(f"/api/v1/pages/{page.id}/publish", headers=reader)
    assert refused.status_code == 403
    stale = api_client.post(
        f"/api/v1/pages/{page.id}/publish", json={"revision": 7}, headers=writer
    )
    assert stale.status_code == 409
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["title"] == "Conflict"
    assert stale.json()["detail"].startswith("This page was changed in another tab")
    assert api_client.get(f"/api/v1/pages/{page.id}", headers=reader).json()["versions"] == []
    done = api_client.post(f"/api/v1/pages/{page.id}/publish", json={"revision": 1}, headers=writer)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "published"
    assert body["published_version"] == 1
    assert body["public_url"].endswith(f"/p/{page.slug}")
    assert [(v["number"], v["is_live"]) for v in body["versions"]] == [(1, True)]
    again = api_client.post(f"/api/v1/pages/{page.id}/publish", headers=writer).json()
    assert [v["number"] for v in again["versions"]] == [2, 1]


def test_usage_shows_the_plan_and_its_meters(world, make_key, api_client):
    key = bearer(make_key(world["a_owner"], ["usage:read"]))
    got = api_client.get("/api/v1/usage", headers=key)
    assert got.status_code == 200
    body = got.json()
    assert body["plan"]["id"] == "free"
    assert body["plan"]["name"] == "Free"
    meters = {m["key"]: m for m in body["meters"]}
    assert meters["dynamic_codes"]["used"] == 1
    assert meters["dynamic_codes"]["limit"] == 10
    assert meters["static_codes"]["used"] == 0
    assert body["scans_this_month"] == 0
    # Another workspace's usage is its own.
    other = bearer(make_key(world["b_owner"], ["usage:read"]))
    api_client.post(
        "/api/v1/codes",
        json={"name": "More", "destination": "https://example.com/"},
        headers=bearer(make_key(world["b_owner"], ["codes:write"])),
    )
    theirs = {
        m["key"]: m["used"] for m in api_client.get("/api/v1/usage", headers=other).json()["meters"]
    }
    assert theirs["dynamic_codes"] == 2
    assert {
        m["key"]: m["used"] for m in api_client.get("/api/v1/usage", headers=key).json()["meters"]
    }["dynamic_codes"] == 1
