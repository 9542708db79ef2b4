"""Two API processes (`python -m qrapp.api`, as production runs them) on one database:
a revoked key is refused by both at once although both had it cached, a rotated key's
new secret is accepted by both at once (its old one still cached there), and with Redis
they share one rate limit: exactly the plan's allowance passes across both."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qrapp.services import api_keys
from tests.integration.api.conftest import bearer
from tests.support.processes import free_port, start, stop, wait_http

pytestmark = pytest.mark.integration


@pytest.fixture
def two_apis(clean_db, tmp_path: Path) -> Iterator[list[str]]:
    env = {k: str(v) for k, v in clean_db.items() if k.isupper()}
    # Free's 30 per hour, not per minute: the burst below is counted exactly however
    # slowly a shared machine runs it (one request comes back every two minutes).
    # Keys cached for ten minutes: only the revocation broadcast can make them refused.
    env |= {
        "API_RATE_WINDOW_SECONDS": "3600",
        "API_KEY_CACHE_SECONDS": "600",
        "PYTHONPATH": str(Path.cwd()),
    }
    procs, urls = [], []
    try:
        for i in range(2):
            port = free_port()
            log = tmp_path / f"api{i}.log"
            proc = start([sys.executable, "-m", "qrapp.api", "--port", str(port)], env, log)
            procs.append(proc)
            urls.append(f"http://127.0.0.1:{port}")
            wait_http(f"{urls[-1]}/api/v1/openapi.json", 60, proc, log)
        yield urls
    finally:
        for proc in procs:
            stop(proc)


def test_a_revoked_key_is_refused_at_once_by_every_process(world, make_key, two_apis):
    owner = world["a_owner"]
    token = make_key(owner, ["codes:read"])
    path = f"/api/v1/codes/{world['a_code'].id}"
    for base in two_apis:  # both look the key up and cache it
        for _ in range(2):
            assert httpx.get(base + path, headers=bearer(token)).status_code == 200
    api_keys.revoke_key(actor=owner, key_id=api_keys.list_keys(actor=owner)[0].id)
    for base in two_apis:
        got = httpx.get(base + path, headers=bearer(token))
        assert got.status_code == 401, base


def test_a_rotated_keys_new_secret_works_at_once_on_every_process(world, make_key, two_apis):
    owner = world["a_owner"]
    token = make_key(owner, ["codes:read"])
    path = f"/api/v1/codes/{world['a_code'].id}"
    for base in two_apis:  # both cache the row holding the old secret's hash
        assert httpx.get(base + path, headers=bearer(token)).status_code == 200
    rotated = api_keys.rotate_key(actor=owner, key_id=api_keys.list_keys(actor=owner)[0].id)
    for base in two_apis:
        assert httpx.get(base + path, headers=bearer(rotated.token)).status_code == 200, base
        assert httpx.get(base + path, headers=bearer(token)).status_code == 200, base  # overlap


@pytest.mark.production
def test_exactly_the_allowance_passes_across_two_processes_sharing_redis(world, make_key, two_apis):
    token = make_key(world["a_owner"], ["codes:read"])
    path = f"/api/v1/codes/{world['a_code'].id}"
    statuses = [
        httpx.get(two_apis[i % 2] + path, headers=bearer(token)).status_code for i in range(40)
    ]
    assert statuses.count(200) == 30  # Free: 30
    assert statuses.count(429) == 10
    assert statuses[:30] == [200] * 30
