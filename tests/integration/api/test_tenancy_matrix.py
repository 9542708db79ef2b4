"""The tenancy matrix, walked over EVERY route of the REST v1 app (build().routes), so a
new route that forgets a property fails here:

- no key -> 401;
- a key of the same workspace without the route's scope -> 403;
- workspace B's key (every scope) on workspace A's objects -> 404, word for word the
  answer for an id that does not exist; on routes without an id, nothing of A's shows.

A route whose path names an object this file cannot make fails with a message saying
so: add a maker to OBJECTS (and a valid request to REQUESTS when it takes a body).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from qrapp.api.v1.app import build
from qrapp.core.api_scopes import Scope, parse_scopes
from qrapp.db import transaction
from qrapp.models import BulkJob
from qrapp.services.bulk import jobs, work
from qrapp.services.codes import library
from qrapp.services.pages import editing
from tests.integration.api.conftest import bearer

pytestmark = pytest.mark.integration


def _api_routes() -> list[tuple[str, APIRoute]]:
    """Every (method, route) the app answers, through included routers too."""
    out = []
    for ctx in iter_route_contexts(build().routes):
        route = ctx.original_route
        if isinstance(route, APIRoute):
            assert ctx.path == route.path, "a router included with a prefix: use ctx.path"
            out += [(method, route) for method in route.methods]
    return sorted(out, key=lambda mr: (mr[1].path, mr[0]))


ROUTES = _api_routes()
IDS = [f"{method} {route.path}" for method, route in ROUTES]

# A valid request per route (beyond its path), so B's 404 is about the object alone.
CSV = b"name,url\nOne,https://example.com/one\n"
REQUESTS: dict[str, dict[str, Any]] = {
    "POST /codes": {"json": {"name": "Theirs", "destination": "https://example.com/"}},
    "POST /codes/batch": {
        "json": {"items": [{"name": "Theirs", "destination": "https://example.com/"}]}
    },
    "PATCH /codes/{code_id}": {"json": {}},
    "PUT /codes/{code_id}/rules": {"json": {"rules": []}},
    "POST /folders": {"json": {"name": "Theirs"}},
    "POST /bulk-jobs": {"files": {"file": ("codes.csv", CSV, "text/csv")}},
    "POST /webhooks/endpoints": {
        "json": {"url": "https://hooks.example/b", "event_types": ["code.created"]}
    },
    "PATCH /webhooks/endpoints/{endpoint_id}": {"json": {}},
}


@pytest.fixture(autouse=True)
def _nothing_sent(monkeypatch) -> None:
    """A bulk job started here is not handed to the suite's worker: it would work on it
    while the test's tables are emptied (a deadlock on PostgreSQL)."""
    sent: list[tuple] = []
    monkeypatch.setattr(jobs, "enqueue", lambda *args: sent.append(args))
    monkeypatch.setattr(work, "enqueue", lambda *args: sent.append(args))


def _a_folder(world) -> uuid.UUID:
    return library.create_folder(actor=world["a_owner"], name="A's folder").id


def _a_page(world) -> uuid.UUID:
    return editing.create_page(actor=world["a_owner"], name="A's page").id


def _a_job(world) -> uuid.UUID:
    owner = world["a_owner"]
    with transaction() as tx:
        job = BulkJob(workspace_id=owner.workspace_id, created_by=owner.user_id, name="A's job")
        tx.session.add(job)
    return job.id


def _a_webhook_endpoint(world) -> uuid.UUID:
    # Imported here: the webhooks lane brings these models (rows only: nothing is sent).
    from qrapp.models.webhooks import WebhookEndpoint

    with transaction() as tx:
        ep = WebhookEndpoint(
            workspace_id=world["a_owner"].workspace_id,
            url="https://hooks.example/a",
            event_types=["code.created"],
            secret="whsec_" + "a" * 32,
        )
        tx.session.add(ep)
    return ep.id


def _a_webhook_delivery(world) -> uuid.UUID:
    from qrapp.models.webhooks import WebhookMessage

    endpoint_id = _a_webhook_endpoint(world)
    with transaction() as tx:
        msg = WebhookMessage(
            msg_id=f"msg_{uuid.uuid4().hex}",
            workspace_id=world["a_owner"].workspace_id,
            endpoint_id=endpoint_id,
            event_type="code.created",
            body="{}",
        )
        tx.session.add(msg)
    return msg.id


# Path parameter -> a maker of workspace A's object of that kind.
OBJECTS: dict[str, Callable[[dict], uuid.UUID]] = {
    "code_id": lambda world: world["a_code"].id,
    "folder_id": _a_folder,
    "page_id": _a_page,
    "job_id": _a_job,
    "endpoint_id": _a_webhook_endpoint,
    "delivery_id": _a_webhook_delivery,
}


def _scope_of(route: APIRoute) -> Scope:
    """The scope asked by the route's `caller(...)` dependency (read from its closure)."""
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        call = dep.call
        names = getattr(getattr(call, "__code__", None), "co_freevars", ())
        if "scope" in names and call.__closure__:  # type: ignore[union-attr]
            value = call.__closure__[names.index("scope")].cell_contents  # type: ignore[union-attr]
            if isinstance(value, Scope):
                return value
        stack += dep.dependencies
    raise AssertionError(f"{route.path} has no caller(Scope.X) dependency: every route needs a key")


def _params(route: APIRoute) -> list[str]:
    return [p.name for p in route.dependant.path_params]


def _url(route: APIRoute, values: dict[str, Any]) -> str:
    return "/api/v1" + route.path.format(**{k: str(v) for k, v in values.items()})


def _call(api_client, method: str, route: APIRoute, values: dict, headers: dict):
    kwargs = REQUESTS.get(f"{method} {route.path}", {})
    return api_client.request(method, _url(route, values), headers=headers, **kwargs)


def _made(world, route: APIRoute) -> dict[str, uuid.UUID]:
    values = {}
    for name in _params(route):
        assert name in OBJECTS, f"{route.path}: add a maker of A's {name} to OBJECTS"
        values[name] = OBJECTS[name](world)
    return values


def test_the_matrix_covers_every_resource():
    paths = {route.path for _, route in ROUTES}
    for expected in (
        "/codes",
        "/folders",
        "/tags",
        "/analytics",
        "/scans",
        "/pages",
        "/bulk-jobs",
        "/usage",
    ):
        assert expected in paths
    assert len(ROUTES) >= 26


@pytest.mark.parametrize(("method", "route"), ROUTES, ids=IDS)
def test_no_key_is_401(world, api_client, method, route):
    values = {name: uuid.uuid4() for name in _params(route)}
    got = _call(api_client, method, route, values, {})
    assert got.status_code == 401, got.text
    assert got.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("method", "route"), ROUTES, ids=IDS)
def test_a_key_without_the_routes_scope_is_403(world, make_key, api_client, method, route):
    needed = _scope_of(route)
    others = [s.value for s in Scope if needed not in parse_scopes([s.value])]
    key = make_key(world["a_owner"], others)
    values = _made(world, route)
    got = _call(api_client, method, route, values, bearer(key))
    assert got.status_code == 403, got.text
    assert got.json()["detail"] == f"This API key lacks the {needed.value} scope."


@pytest.mark.parametrize(("method", "route"), ROUTES, ids=IDS)
def test_another_workspaces_key_finds_nothing_of_a(world, make_key, api_client, method, route):
    key = bearer(make_key(world["b_owner"], [s.value for s in Scope]))
    values = _made(world, route)
    theirs = _call(api_client, method, route, values, key)
    if values:
        missing = _call(api_client, method, route, {k: uuid.uuid4() for k in values}, key)
        assert theirs.status_code == missing.status_code == 404, (theirs.text, missing.text)
        assert theirs.json()["detail"] == missing.json()["detail"]
    else:
        # Lists and creations answer for B's own workspace (a creation may refuse B's
        # input, e.g. a webhook address that does not resolve here); never with A's.
        assert theirs.status_code < 500, theirs.text
        assert theirs.status_code not in (401, 403, 404), theirs.text
        text = theirs.text
        assert str(world["a_code"].id) not in text
        assert "Poster a" not in text
