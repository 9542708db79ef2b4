"""The short cut for GET /codes/{id} (qrapp.api.v1.fast_read) answers exactly as the
FastAPI route does, and only when the route would answer 200: every refusal still comes
from the route."""

from __future__ import annotations

import pytest

from qrapp.api.v1 import fast_read
from tests.integration.api.conftest import bearer

pytestmark = pytest.mark.integration

_SAME = ("content-type", "content-length", "etag", "x-ratelimit-limit")


@pytest.fixture
def short_cuts(monkeypatch) -> list[object]:
    """The answers the short cut gave (None: it passed the request on to the route)."""
    seen: list[object] = []
    real = fast_read._read

    def counted(check, code_id):
        response = real(check, code_id)
        seen.append(response)
        return response

    monkeypatch.setattr(fast_read, "_read", counted)
    return seen


def test_the_short_cut_answers_the_routes_own_200(world, make_key, api_client, short_cuts):
    key = bearer(make_key(world["a_owner"], ["codes:read"]))
    path = f"/api/v1/codes/{world['a_code'].id}"
    # A query string (ignored by the route) takes the request past the short cut.
    by_route = api_client.get(path + "?via=route", headers=key)
    assert by_route.status_code == 200
    assert short_cuts == []
    fast = api_client.get(path, headers=key)
    assert fast.status_code == 200
    assert len(short_cuts) == 1
    assert short_cuts[0] is not None
    assert fast.content == by_route.content
    for header in _SAME:
        assert fast.headers[header] == by_route.headers[header], header
    assert fast.json()["id"] == str(world["a_code"].id)
    # The ETag it gave is honoured (ETags sits outside the short cut).
    again = api_client.get(path, headers=key | {"If-None-Match": fast.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_refusals_still_come_from_the_route(world, make_key, api_client, short_cuts):
    a_code, b_code = world["a_code"].id, world["b_code"].id
    reader = bearer(make_key(world["a_owner"], ["codes:read"]))
    # The first request of a workspace loads its IP allowlist in the route; from then on
    # the short cut may answer.
    assert api_client.get(f"/api/v1/codes/{a_code}", headers=reader).status_code == 200
    short_cuts.clear()
    # Another workspace's code: the short cut tries, finds nothing of A's, passes it on.
    other = api_client.get(f"/api/v1/codes/{b_code}", headers=reader)
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")
    assert short_cuts == [None]
    # No key, a key without the scope, an upper-case id: never tried.
    no_key = api_client.get(f"/api/v1/codes/{a_code}")
    assert no_key.status_code == 401
    analytics_only = bearer(make_key(world["a_owner"], ["analytics:read"]))
    missing = api_client.get(f"/api/v1/codes/{a_code}", headers=analytics_only)
    assert missing.status_code == 403
    assert missing.json()["type"].endswith("missing-scope")
    upper = api_client.get(f"/api/v1/codes/{str(a_code).upper()}", headers=reader)
    assert upper.status_code == 200
    assert upper.json()["id"] == str(a_code)
    assert short_cuts == [None]
