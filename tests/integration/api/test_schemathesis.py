"""Schemathesis fuzzes every operation of the OpenAPI document against the REST v1 app
itself (ASGI, in process): valid and invalid input from the schemas, sent with a key that
has every scope, in a workspace that has a code, a folder and a landing page (their ids
are used half the time, random ones the rest). Every answer must be what the document
says: no 5xx, a documented status code, the documented content type and headers, and a
body that matches the schema (problem documents included). Not checked: that every
schema-violating request is refused (Schemathesis' negative_data_rejection): FastAPI reads
the last of a repeated scalar query parameter (`?limit=x&limit=5` is limit 5), which that
check counts as accepting invalid input.

Bounded and repeatable: a few examples per operation and mode, derandomized (the same
examples every run), no example database."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from qrapp.api.v1 import app as v1
from qrapp.core.api_scopes import Scope
from qrapp.services.pages import editing
from tests.integration.api.conftest import bearer
from tests.support.plans import give_plan

# Once per run, on the production set-up (PostgreSQL, and Redis for the rate limits and
# key revocations): the answers do not depend on the database, the time does.
pytestmark = [pytest.mark.integration, pytest.mark.production]

EXAMPLES = 8  # per operation and generation mode: about 400 requests
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzzed(world, make_key) -> dict:
    """The app, its schema, a key with every scope and real ids for the path parameters."""
    owner = world["a_owner"]
    # Enterprise: the fuzzing's requests stay within the plan's rate and code limits.
    give_plan(owner.workspace_id, "enterprise")
    app = v1.build()
    key = bearer(make_key(owner, [s.value for s in Scope]))
    from starlette.testclient import TestClient

    with TestClient(app) as client:
        folder = client.post("/folders", json={"name": "Fuzz folder"}, headers=key)
        assert folder.status_code == 201, folder.text
    page = editing.create_page(actor=owner, name="Fuzz page")
    ids = {
        "code_id": str(world["a_code"].id),
        "folder_id": folder.json()["id"],
        "page_id": str(page.id),
    }
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return {"schema": schema, "key": key, "ids": ids}


def _cases(operation, mode: GenerationMode, ids: dict[str, str]):
    random = operation.as_strategy(generation_mode=mode)
    names = {p.name for p in operation.path_parameters}
    known = {k: v for k, v in ids.items() if k in names}
    if not known or mode is GenerationMode.NEGATIVE:
        return random
    return st.one_of(operation.as_strategy(generation_mode=mode, path_parameters=known), random)


def _fuzz(operation, mode: GenerationMode, fuzzed: dict) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_cases(operation, mode, fuzzed["ids"]))
    def run(case) -> None:
        case.call_and_validate(headers=fuzzed["key"], checks=CHECKS)

    run()


def test_every_operation_answers_as_its_spec_says(fuzzed):
    schema = fuzzed["schema"]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, fuzzed)
            # Schemathesis raises a FailureGroup (an exception group): every operation is
            # reported, not only the first that fails.
            except (AssertionError, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} ({mode.value}):\n{exc}")
    assert not failures, "\n\n".join(failures)


def test_a_problem_document_is_described_for_every_error():
    """The spec describes the problem+json answers, so clients parse them."""
    spec = schemathesis.openapi.from_asgi("/openapi.json", v1.build()).raw_schema
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status in ("401", "403", "404", "422", "429"):
                content = op["responses"][status]["content"]
                assert "application/problem+json" in content, (method, path, status)
