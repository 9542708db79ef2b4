"""An idle tab's session watch: one query for every watched session of the process, the
wait ends True within a few seconds of a sign-out elsewhere (or of the idle timeout), and
False when the tab goes away first; watching never keeps a session alive."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from sqlmodel import select

from qrapp.db import read_session, transaction
from qrapp.models import UserSession
from qrapp.services.accounts import devices, session_watch
from qrapp.services.accounts.tokens import token_hash
from qrapp.settings import get_settings
from tests.integration.helpers import actor, sign_up_and_session
from tests.integration.test_access_sessions import FIREFOX_LINUX, _login


def test_a_watched_tab_learns_of_its_sign_out_within_seconds(clean_db):
    here = sign_up_and_session("watch@example.com")
    there = _login("watch@example.com", ip="198.51.100.9", ua=FIREFOX_LINUX)
    bystander = _login("watch@example.com", ip="198.51.100.10", ua=FIREFOX_LINUX)
    assert session_watch.ended_among([token_hash(there), token_hash(here)]) == set()

    async def run() -> None:
        gone = asyncio.Event()
        watch = {
            token: asyncio.create_task(
                session_watch.wait_until_ended(token, lambda: not gone.is_set())
            )
            for token in (there, bystander)
        }
        first = session_watch.rounds
        async with asyncio.timeout(15):  # a check round passes: both still signed in
            while session_watch.rounds <= first:
                await asyncio.sleep(0.05)
        assert not any(task.done() for task in watch.values())
        me = actor(here)
        with read_session() as s:
            row = s.exec(
                select(UserSession).where(UserSession.token_hash == token_hash(there))
            ).one()
        started = time.monotonic()
        await asyncio.to_thread(devices.sign_out, actor=me, session_id=row.id)
        assert await asyncio.wait_for(watch[there], timeout=10) is True
        assert time.monotonic() - started < 8  # CHECK_SECONDS plus a loaded machine's slack
        assert not watch[bystander].done()
        gone.set()  # the bystander's tab closes: its wait ends without a sign-out
        assert await asyncio.wait_for(watch[bystander], timeout=5) is False

    asyncio.run(run())
    assert session_watch._watched == {}  # nothing left behind


def test_watching_reads_only_and_the_idle_timeout_counts_as_ended(clean_db):
    token = sign_up_and_session("idle@example.com")
    with read_session() as s:
        before = s.exec(
            select(UserSession).where(UserSession.token_hash == token_hash(token))
        ).one()
    assert session_watch.ended_among([token_hash(token)]) == set()
    idle = get_settings().session_idle_timeout_minutes
    with transaction() as tx:
        row = tx.session.get_one(UserSession, before.id)
        row.last_seen_at = row.last_seen_at - dt.timedelta(minutes=idle + 1)
        tx.session.add(row)
    assert session_watch.ended_among([token_hash(token)]) == {token_hash(token)}
    with read_session() as s:  # the check did not touch (nor delete) the row
        assert s.get_one(UserSession, before.id).last_seen_at < before.last_seen_at
