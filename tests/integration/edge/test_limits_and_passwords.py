"""Scan limits exact under concurrency, one scan per visitor, bots not using up limits,
and password-protected codes (interstitial, throttling, signed grant cookie)."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from qrapp.services.codes import qrcodes
from qrapp.services.scans import ingest
from tests.integration.edge.conftest import DESKTOP, IPHONE, drain, scan_count
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def _burst(url: str, n: int, ua: str) -> list[int]:
    limits = httpx.Limits(max_connections=n)
    async with httpx.AsyncClient(follow_redirects=False, timeout=60, limits=limits) as client:
        responses = await asyncio.gather(
            *[client.get(url, headers={"user-agent": ua + f" #{i}"}) for i in range(n)]
        )
    return [r.status_code for r in responses]


def test_max_scans_one_with_50_concurrent_scans_gives_exactly_one_redirect(start_edge, make_code):
    edges = [start_edge(), start_edge()]  # two processes race on the same row
    code = make_code(max_scans=1)

    async def both():
        return await asyncio.gather(
            *[_burst(f"{e.url}/{code.short_code}", 25, IPHONE) for e in edges]
        )

    statuses = [s for batch in asyncio.run(both()) for s in batch]
    assert len(statuses) == 50
    assert statuses.count(302) == 1
    assert statuses.count(410) == 49
    assert drain(1) == 1


def test_max_scans_counts_the_scans_a_code_already_had(start_edge, make_code, owner):
    """A code with 40 scans given a maximum of 42 allows 2 more, exactly, with 50 people
    scanning at once on two edges."""
    edges = [start_edge(), start_edge()]
    code = make_code()
    for i in range(40):
        assert edges[i % 2].get(f"/{code.short_code}", ua=f"{IPHONE} #{i}").status_code == 302
    assert drain(40) == 40
    code = qrcodes.set_validity(actor=owner, code_id=code.id, max_scans=42)
    assert code.total_scans == 40
    assert code.scans_granted == 40
    for e in edges:  # each edge has seen the limit (a link previewer gets the neutral page)
        _wait_until(
            lambda e=e: (
                e.get(f"/{code.short_code}", ua="Slackbot-LinkExpanding 1.0").status_code == 200
            )
        )

    async def both():
        return await asyncio.gather(
            *[_burst(f"{e.url}/{code.short_code}", 25, DESKTOP) for e in edges]
        )

    statuses = [s for batch in asyncio.run(both()) for s in batch]
    assert statuses.count(302) == 2
    assert statuses.count(410) == 48
    assert _drain_people(42) == 42

    # Raising the limit later counts on from the same total, not from zero again.
    code = qrcodes.set_validity(actor=owner, code_id=code.id, max_scans=43)
    assert code.scans_granted == 42
    _wait_until(lambda: edges[0].get(f"/{code.short_code}", ua=DESKTOP).status_code == 302)
    assert [e.get(f"/{code.short_code}").status_code for e in edges * 2] == [410] * 4


def _drain_people(expected: int, timeout: float = 20) -> int:
    """drain() for people's scans only (the previewer's polls above are stored as bots)."""
    deadline = time.monotonic() + timeout
    while True:
        ingest.run_once(block_ms=100)
        n = scan_count("NOT is_bot")
        if n >= expected or time.monotonic() > deadline:
            return n


def _wait_until(condition, timeout: float = 10) -> None:
    eventually(condition, timeout)


def test_max_scans_three_allows_three(edge, make_code):
    code = make_code(max_scans=3)
    statuses = asyncio.run(_burst(f"{edge.url}/{code.short_code}", 20, DESKTOP))
    assert statuses.count(302) == 3


def test_bots_do_not_use_up_a_limited_code(edge, make_code):
    code = make_code(max_scans=1)
    for ua in ("WhatsApp/2.23.20.0 A", "Slackbot-LinkExpanding 1.0", "curl/8.5"):
        r = edge.get(f"/{code.short_code}", ua=ua)
        assert r.status_code == 200
        assert "location" not in r.headers
    assert (
        edge.client.head(f"/{code.short_code}", headers={"user-agent": IPHONE}).status_code == 200
    )
    assert edge.get(f"/{code.short_code}").status_code == 302
    assert edge.get(f"/{code.short_code}", ua=DESKTOP).status_code == 410


def test_one_scan_per_visitor(edge, make_code):
    code = make_code(one_scan_per_visitor=True)
    assert edge.get(f"/{code.short_code}").status_code == 302
    again = edge.get(f"/{code.short_code}")
    assert again.status_code == 410
    assert "once per person" in again.text
    assert edge.get(f"/{code.short_code}", ua=DESKTOP).status_code == 302  # someone else
    other_ip = {"x-forwarded-for": "198.51.100.23"}
    assert edge.get(f"/{code.short_code}", headers=other_ip).status_code == 302


def test_password_interstitial_throttle_and_grant(edge, make_code, owner, monkeypatch):
    code = make_code("https://example.com/secret")
    qrcodes.set_password(actor=owner, code_id=code.id, password="open sesame")
    path = f"/{code.short_code}"
    first = edge.get(path)
    assert first.status_code == 200
    assert 'type="password"' in first.text
    assert "location" not in first.headers

    wrong = edge.client.post(path, data={"password": "nope"}, headers={"user-agent": IPHONE})
    assert wrong.status_code == 401
    assert "Wrong password" in wrong.text
    right = edge.client.post(path, data={"password": "open sesame"})
    # A page that refreshes to the short link, not a redirect (see pages.unlocked_page).
    assert right.status_code == 200
    assert "location" not in right.headers
    assert f'<meta http-equiv="refresh" content="0;url={path}">' in right.text
    assert f'<a href="{path}">Continue</a>' in right.text
    assert "form-action 'self'" in right.headers["content-security-policy"]
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert f"Path={path}" in cookie
    assert "open sesame" not in cookie
    assert str(code.id) not in cookie
    granted = edge.get(path, cookies=dict(right.cookies))
    assert granted.status_code == 302
    assert granted.headers["location"] == "https://example.com/secret"
    forged = edge.get(path, cookies={f"qrg_{code.short_code}": "9999999999.deadbeef"})
    assert forged.status_code == 200
    assert "location" not in forged.headers

    # Only the scan after the password counts.
    assert drain(1) == 1
    assert scan_count() == 1

    # Another IP (through our proxy) guesses: locked after 5 failures, even with the right one.
    guesser = {"x-forwarded-for": "203.0.113.50", "user-agent": IPHONE}
    codes_seen = [
        edge.client.post(path, data={"password": f"guess{i}"}, headers=guesser).status_code
        for i in range(5)
    ]
    assert codes_seen == [401] * 5
    locked = edge.client.post(path, data={"password": "open sesame"}, headers=guesser)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    # The right person elsewhere is unaffected.
    assert edge.client.post(path, data={"password": "open sesame"}).status_code == 200

    # Changing the password ends existing grants.
    qrcodes.set_password(actor=owner, code_id=code.id, password="new secret")
    _wait_until(lambda: edge.get(path, cookies=dict(right.cookies)).status_code == 200)


def test_concurrent_wrong_passwords_all_count(edge_env, make_code, owner):
    """Eight wrong guesses at once from one IP, before any throttle row exists: none fails
    on creating the row, and every one is counted."""
    from concurrent.futures import ThreadPoolExecutor

    from qrapp.db import read_session
    from qrapp.models import AuthThrottle
    from qrapp.services.codes import code_access

    code = make_code()
    qrcodes.set_password(actor=owner, code_id=code.id, password="open sesame 42")
    with ThreadPoolExecutor(8) as pool:
        verdicts = list(
            pool.map(
                lambda _: code_access.check_code_password(code.id, "192.0.2.9", "wrong"),
                range(8),
            )
        )
    assert all(v is False or isinstance(v, int) for v in verdicts), verdicts
    with read_session() as s:
        row = s.get(AuthThrottle, code_access._throttle_key(code.id, "192.0.2.9"))
    assert row is not None
    assert row.failures == sum(1 for v in verdicts if v is False)
    assert row.failures >= 1
