"""What every route gets from the v1 app without code of its own: rate limits and their
headers, Idempotency-Key on POST, ETags on GET, and the documentation."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from typing import Annotated

import pytest
from fastapi import Depends
from pydantic import BaseModel
from sqlmodel import select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from qrapp.api.v1 import app as v1
from qrapp.api.v1.deps import caller
from qrapp.core.api_scopes import Scope
from qrapp.db import read_session
from qrapp.models import ApiIdempotency, AuditLog, QRCode
from qrapp.services import api_keys
from qrapp.services.authz import Actor
from qrapp.services.codes import qrcodes
from tests.integration.api.conftest import bearer
from tests.support.environment import patched_env
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
def hour_window() -> Iterator[None]:
    """The plan's allowance per hour instead of per minute: one request comes back every
    two minutes on Free (30), so a test's burst is counted exactly however slow it runs."""
    with patched_env({"API_RATE_WINDOW_SECONDS": "3600"}):
        yield


def test_exactly_the_plans_allowance_passes_then_429_with_retry_after(
    world, make_key, api_client, hour_window
):
    key = make_key(world["a_owner"], ["codes:read"])
    url = f"/api/v1/codes/{world['a_code'].id}"
    remaining = []
    for _ in range(30):  # Free: 30
        got = api_client.get(url, headers=bearer(key))
        assert got.status_code == 200
        assert got.headers["x-ratelimit-limit"] == "30"
        remaining.append(int(got.headers["x-ratelimit-remaining"]))
        assert 0 < int(got.headers["x-ratelimit-reset"]) <= 3600
    assert remaining == list(range(29, -1, -1))
    refused = api_client.get(url, headers=bearer(key))
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    assert refused.json()["instance"] == url
    assert 0 < int(refused.headers["retry-after"]) <= 120
    assert refused.headers["x-ratelimit-remaining"] == "0"
    # Another key of the same workspace has its own allowance.
    other = make_key(world["a_owner"], ["codes:read"])
    assert api_client.get(url, headers=bearer(other)).status_code == 200


def test_rate_limit_headers_are_on_error_answers_too_but_not_without_a_key(
    world, make_key, api_client
):
    key = make_key(world["a_owner"], ["analytics:read"])
    url = f"/api/v1/codes/{world['a_code'].id}"
    forbidden = api_client.get(url, headers=bearer(key))
    assert forbidden.status_code == 403
    assert "x-ratelimit-remaining" in forbidden.headers
    reader = make_key(world["a_owner"], ["codes:read"])
    missing = api_client.get(f"/api/v1/codes/{uuid.UUID(int=0)}", headers=bearer(reader))
    assert missing.status_code == 404
    assert missing.headers["x-ratelimit-limit"] == "30"
    anonymous = api_client.get(url)
    assert anonymous.status_code == 401
    assert "x-ratelimit-limit" not in anonymous.headers


def test_reads_carry_a_strong_etag_and_if_none_match_gets_304_without_a_body(
    world, make_key, api_client
):
    key = make_key(world["a_owner"], ["codes:read"])
    url = f"/api/v1/codes/{world['a_code'].id}"
    first = api_client.get(url, headers=bearer(key))
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert api_client.get(url, headers=bearer(key)).headers["etag"] == etag  # stable
    for sent in (etag, f"W/{etag}", f'"nope", {etag}'):
        again = api_client.get(url, headers={**bearer(key), "If-None-Match": sent})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert "x-ratelimit-remaining" in again.headers
    # A change makes a new representation: a new ETag, and the old one no longer matches.
    qrcodes.rename(actor=world["a_owner"], code_id=world["a_code"].id, name="Renamed")
    changed = api_client.get(url, headers={**bearer(key), "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["name"] == "Renamed"
    assert changed.headers["etag"] != etag


class Thing(BaseModel):
    name: str


@pytest.fixture
def post_app() -> Iterator[tuple[TestClient, list[str], threading.Event]]:
    """The v1 app with a tiny POST route of the test's own (counting what it made, and
    waiting for `go` when the name is "slow")."""
    made: list[str] = []
    go = threading.Event()
    app = v1.build()

    @app.post("/things", status_code=201, operation_id="makeThing")
    def make(thing: Thing, actor: Annotated[Actor, Depends(caller(Scope.CODES_WRITE))]) -> dict:
        if thing.name == "slow":
            assert go.wait(30)
        made.append(thing.name)
        return {"number": len(made), "name": thing.name}

    yield TestClient(Starlette(routes=[Mount("/api/v1", app=app)])), made, go
    go.set()


def test_a_post_with_an_idempotency_key_is_answered_once_and_replayed(world, make_key, post_app):
    client, made, _ = post_app
    key = make_key(world["a_owner"], ["codes:write"])
    headers = {**bearer(key), "Idempotency-Key": "order-1"}
    first = client.post("/api/v1/things", json={"name": "poster"}, headers=headers)
    assert first.status_code == 201
    again = client.post("/api/v1/things", json={"name": "poster"}, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json() == {"number": 1, "name": "poster"}
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"] == "application/json"
    assert made == ["poster"]
    # Another body with the same Idempotency-Key: refused, nothing made.
    other = client.post("/api/v1/things", json={"name": "flyer"}, headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert "Idempotency-Key" in other.json()["detail"]
    assert other.json()["instance"] == "/api/v1/things"
    assert made == ["poster"]
    # The same Idempotency-Key from another API key is another request.
    theirs = make_key(world["a_owner"], ["codes:write"])
    own = client.post(
        "/api/v1/things",
        json={"name": "poster"},
        headers={**bearer(theirs), "Idempotency-Key": "order-1"},
    )
    assert own.status_code == 201
    assert own.json()["number"] == 2
    # Without the header, every POST runs.
    client.post("/api/v1/things", json={"name": "poster"}, headers=bearer(key))
    assert made == ["poster", "poster", "poster"]


def test_a_second_request_while_the_first_runs_gets_409(world, make_key, post_app):
    client, made, go = post_app
    key = make_key(world["a_owner"], ["codes:write"])
    headers = {**bearer(key), "Idempotency-Key": "slow-1"}
    answers: list = []
    first = threading.Thread(
        target=lambda: answers.append(
            client.post("/api/v1/things", json={"name": "slow"}, headers=headers)
        )
    )
    first.start()
    try:

        def claimed() -> bool:
            with read_session() as s:
                rows = s.exec(select(ApiIdempotency)).all()
            return any(r.idempotency_key == "slow-1" for r in rows)

        eventually(claimed, 20, message="the first request never claimed its key")
        busy = client.post("/api/v1/things", json={"name": "slow"}, headers=headers)
        assert busy.status_code == 409
        assert busy.json()["status"] == 409
    finally:
        go.set()
        first.join(30)
    assert answers[0].status_code == 201
    replay = client.post("/api/v1/things", json={"name": "slow"}, headers=headers)
    assert replay.json() == answers[0].json()
    assert made == ["slow"]


def test_a_refused_post_is_not_kept_so_a_fixed_retry_runs(world, make_key, post_app):
    client, made, _ = post_app
    reader = make_key(world["a_owner"], ["codes:read"])
    headers = {**bearer(reader), "Idempotency-Key": "k-1"}
    assert client.post("/api/v1/things", json={"name": "x"}, headers=headers).status_code == 403
    # An invalid body is answered 422 and kept like any answer...
    writer = make_key(world["a_owner"], ["codes:write"])
    wh = {**bearer(writer), "Idempotency-Key": "k-2"}
    bad = client.post("/api/v1/things", json={"nom": "x"}, headers=wh)
    assert bad.status_code == 422
    assert client.post("/api/v1/things", json={"nom": "x"}, headers=wh).status_code == 422
    # ...and a too long Idempotency-Key is refused before anything runs.
    long = {**bearer(writer), "Idempotency-Key": "x" * 256}
    assert client.post("/api/v1/things", json={"name": "x"}, headers=long).status_code == 422
    assert made == []


def test_the_reference_page_and_its_assets_come_from_our_own_host(api_client):
    page = api_client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs
    assert all(r.startswith("/api/v1/") for r in refs)
    for ref in refs:
        asset = api_client.get(ref)
        assert asset.status_code == 200, ref
        assert len(asset.content) > 100
    init = api_client.get("/api/v1/docs/init.js").text
    assert '"/api/v1/openapi.json"' in init
    assert "http" not in init


def test_the_openapi_document_describes_errors_rate_limits_and_getting_started(api_client):
    spec = api_client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "curl" in spec["info"]["description"]
    assert "import httpx" in spec["info"]["description"]
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    op = spec["paths"]["/codes/{code_id}"]["get"]
    assert op["security"]
    for status in ("401", "403", "404", "422", "429"):
        content = op["responses"][status]["content"]
        assert content["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    assert "Retry-After" in op["responses"]["429"]["headers"]
    assert "X-RateLimit-Remaining" in op["responses"]["200"]["headers"]
    assert "X-RateLimit-Reset" in spec["components"]["headers"]


def test_creating_a_code_with_an_idempotency_key_makes_one_code_and_the_audit_names_the_key(
    world, make_key, api_client
):
    owner = world["a_owner"]
    token = make_key(owner, ["codes:write"])
    key_id = api_keys.list_keys(actor=owner)[0].id
    headers = {**bearer(token), "Idempotency-Key": "crm-order-77"}
    body = {"name": "Order 77", "destination": "https://example.com/o/77"}
    first = api_client.post("/api/v1/codes", json=body, headers=headers)
    assert first.status_code == 201
    again = api_client.post("/api/v1/codes", json=body, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    with read_session() as s:
        made = s.exec(select(QRCode).where(QRCode.name == "Order 77")).all()
        rows = s.exec(select(AuditLog).where(AuditLog.target_id == str(made[0].id))).all()
    assert len(made) == 1
    assert rows
    assert all(r.api_key_id == key_id for r in rows)
    # The code reads back with an ETag, like every GET.
    read = api_client.get(first.headers["location"], headers=bearer(token))
    assert read.status_code == 200
    assert read.headers["etag"].startswith('"')
